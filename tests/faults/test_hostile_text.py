"""Hostile text never reaches an editor or a spreadsheet as it came: titles are cleaned as texts are, and a CSV
cell that a spreadsheet would run as a formula is neutralised (OWASP), unless the analyst asks for `--raw`."""

from __future__ import annotations

import csv
import io

from tests.faults.conftest import config, rassegna, rows

BODY = (
    "La Fonderia Bresciana di Brescia ha annunciato trenta nuove assunzioni nello stabilimento di via Milano, dopo "
    "un semestre chiuso con ordini in crescita del dodici per cento e nuovi clienti in Germania e in Francia."
)
TITLE = '=HYPERLINK("http://x.example") Fonderia\u202e assume\u200b trenta persone'


def test_titles_lose_bidi_and_zero_width_characters_and_csv_cells_run_no_formula(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "fonderia.md").write_text(f"---\ntitle: '{TITLE}'\n---\n\n{BODY}\n", encoding="utf-8")
    settings = config(tmp_path, f'[[sources]]\nname = "cartella"\nkind = "folder"\nlocation = "{posts}"\n')
    assert rassegna("run", config=settings).code == 0
    [(title,)] = rows(tmp_path, "SELECT title FROM articles")
    assert title == '=HYPERLINK("http://x.example") Fonderia assume trenta persone'
    sql = "SELECT title, -1 AS n FROM articles"
    neutral = rassegna("query", sql, "--format", "csv", config=settings)
    assert neutral.code == 0 and list(csv.reader(io.StringIO(neutral.output)))[1] == ["'" + title, "-1"]
    raw = rassegna("query", sql, "--format", "csv", "--raw", config=settings)
    assert list(csv.reader(io.StringIO(raw.output)))[1] == [title, "-1"]
