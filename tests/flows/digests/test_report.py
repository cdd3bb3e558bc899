"""`rassegna report`: one static page of charts over the warehouse, images inline."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from flows.report import overview, write_report
from flows.settings import DateSettings, ReportSettings, Settings, WarehouseSettings
from flows.warehouse import Warehouse

TITLES = [
    "Articoli per giorno",
    "Tono per fonte",
    "Tono per tema",
    "Tono verso le organizzazioni",
    "Organizzazioni più citate",
    "Luoghi più citati",
    "Luoghi italiani citati",
]


def test_report_has_every_chart_inline(settings: Settings, tmp_path: Path):
    path = write_report(settings, tmp_path / "reports" / "rassegna.html")
    html = path.read_text(encoding="utf-8")
    assert [p.name for p in path.parent.iterdir()] == ["rassegna.html"]
    assert re.findall(r"<h2>(.*?)</h2>", html) == TITLES
    assert '<strong id="articles">8</strong>articoli' in html and "<strong>4</strong>fonti" in html
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)">', html)
    assert [alt for _, alt in images] == TITLES
    assert all(base64.b64decode(data).startswith(b"\x89PNG") for data, _ in images)
    assert "5 luoghi italiani" in html  # Frankfurt is mentioned, but not in Italy


def test_overview_reads_the_whole_dataset(warehouse_folder: Path):
    with Warehouse(warehouse_folder).connect() as con:
        content = overview(con, ReportSettings(top_n=3), DateSettings())
    assert (content.articles, content.sources) == (8, 4)
    assert content.first is not None and content.first < content.last
    assert len(content.charts) == len(TITLES)


def test_empty_warehouse_gives_a_page_without_charts(tmp_path: Path):
    settings = Settings(warehouse=WarehouseSettings(folder=tmp_path / "empty"))
    html = write_report(settings, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Nessun articolo nel dataset" in html and "<img" not in html
