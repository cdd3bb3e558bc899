"""Components that read their data from a folder (a model, the gazetteers) and carry it in a saved pipeline.

`nlp.to_disk(DIR)` copies each one's folder into DIR/<component>; `spacy.load(DIR)` reads it back from there
(`from_disk`), so a saved pipeline needs no path of the machine that wrote it. An empty path in a component's
config means exactly that: the data comes from the saved pipeline.
"""

from __future__ import annotations

import shutil
from pathlib import Path


class SavedWithPipeline:
    path_settings: tuple[str, ...] = ("folder",)  # the factory arguments naming data (blanked in a saved config)
    folder: Path

    def __init__(self, folder: Path | None):
        if folder:
            self.use(folder)

    def data_folder(self) -> Path:
        return self.folder

    def use(self, folder: Path) -> None:
        """Read the component's data from `folder`."""
        raise NotImplementedError

    def to_disk(self, path: str | Path, *, exclude=()) -> None:
        shutil.copytree(self.data_folder(), path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))

    def from_disk(self, path: str | Path, *, exclude=()):
        self.use(Path(path))
        return self
