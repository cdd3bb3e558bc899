"""Saving and loading heads compactly: what training changed, in fp16, without the frozen word embeddings.

The frozen table (the largest tensor by far) comes from the encoder when the model is built, one table
per encoder and process (nlp/encoder/word_embeddings.py).
"""

from __future__ import annotations

import json
from pathlib import Path

WEIGHTS = "head.safetensors"


def save(model, meta: dict, folder: Path, meta_file: str, frozen: tuple[str, ...]) -> None:
    import torch
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items() if k not in frozen}
    save_file(state, str(folder / WEIGHTS))
    (folder / meta_file).write_text(json.dumps(meta, indent=2))


def is_compact(folder: Path | str, meta_file: str) -> bool:
    """Whether `folder` is a shipped compact model (its meta file), not an exported folder or a hub id."""
    return (Path(folder) / meta_file).is_file()


def read_meta(folder: Path, meta_file: str) -> dict:
    return json.loads((Path(folder) / meta_file).read_text())


def load_weights(model, folder: Path, frozen: tuple[str, ...]) -> None:
    from safetensors.torch import load_file

    state = {k: v.float() for k, v in load_file(str(Path(folder) / WEIGHTS)).items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or set(missing) - set(frozen):
        raise ValueError(f"{folder}: weights do not match the encoder ({missing[:3]}, {unexpected[:3]})")


def weights_sha256(folder: Path | str) -> str:
    """The checksum a dependent model records of the weights it was trained on."""
    from nlp.encoder.build import sha256

    return sha256(Path(folder) / WEIGHTS)
