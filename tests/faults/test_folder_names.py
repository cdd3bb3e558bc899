"""Any folder name a filesystem allows holds a warehouse: spaces, quotes, brackets, apostrophes, glob characters,
non-ASCII letters. The views see the rows, a second run finds them known, and the printed path is the path."""

from __future__ import annotations

import shutil

from tests.conftest import PROJECT
from tests.faults.conftest import rassegna

NAME = 'rassegna [prod] l\'archivio "perché" {a,b}'
POSTS = ["fonderie-valtrompia-risultati-semestre.txt", "vigevano-calzaturiero-dazi.txt"]


def test_a_warehouse_in_a_folder_with_any_name(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    for post in POSTS:
        shutil.copy(PROJECT / "data" / "samples" / "posts" / post, posts)
    folder = tmp_path / NAME
    settings = tmp_path / "rassegna.toml"
    settings.write_text(
        f'[[sources]]\nname = "cartella"\nkind = "folder"\nlocation = "{posts}"\n'
        f"[warehouse]\nfolder = '''{folder}'''\n",
        encoding="utf-8",
    )
    first = rassegna("run", config=settings)
    assert first.code == 0 and first.last_line.startswith("stored 2 articles"), first.output
    assert f"in {folder}" in first.output.replace("\n", "")  # the brackets survive the terminal
    again = rassegna("run", config=settings)
    assert again.code == 0 and again.last_line.startswith("stored 0 articles"), again.output
    counted = rassegna("query", "SELECT count(*) AS n FROM articles", "--format", "csv", config=settings)
    assert counted.output.splitlines()[-1] == "2", counted.output
