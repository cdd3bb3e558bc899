"""A warehouse written before ingest bounded publication dates (articles dated year 1 and 9999): the report and the
digests read it without crashing, and treat those dates as unknown."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from flows.digests.pipeline import send_digest
from flows.digests.select import candidates
from flows.digests.subscriptions import Window, plan
from flows.report import write_report
from flows.settings import DigestSettings, Settings, WarehouseSettings
from flows.warehouse import Warehouse
from tests.flows.digests.digest_data import ARTICLES, AS_OF, WEEKLY_ALL, _article_row, build_warehouse

ODD_DATES = {"anno-1": "0001-01-01T00:00:00+00:00", "anno-9999": "9999-12-31T23:59:00+00:00"}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    warehouse = build_warehouse(tmp_path / "warehouse")
    rows = []
    for (article_id, published), entry in zip(ODD_DATES.items(), ARTICLES, strict=False):
        row = _article_row(entry)
        rows.append({**row, "article_id": article_id, "content_hash": article_id, "published_at": published})
    warehouse.store("old-run", {"articles": rows}, started_at="2025-03-10T05:00:00+00:00")
    return Settings(
        warehouse=WarehouseSettings(folder=warehouse.folder),
        digests=DigestSettings(
            subscriptions=[WEEKLY_ALL], outbox=tmp_path / "outbox", send_log=tmp_path / "sent.jsonl"
        ),
    )


def test_report_counts_them_by_collection_date(settings: Settings, tmp_path: Path):
    """Expected: the page is written; its span and its daily chart come from plausible dates only."""
    html = write_report(settings, tmp_path / "report.html").read_text(encoding="utf-8")

    assert "Articoli per giorno" in html  # not a chart of months from year 1 to 9999
    text = re.sub(r'src="data:[^"]*"', "", html)  # the page without its inline images
    assert not re.search(r"\b(0001|9999|10000)\b", text)


def test_digest_selects_them_without_a_publication_date(settings: Settings):
    """Expected: the year-9999 article is a candidate without a publication date; the digest renders."""
    window = Window(start=AS_OF - timedelta(days=7), end=AS_OF)
    with Warehouse(settings.warehouse.folder).connect() as con:
        found = {c.article_id: c.published_at for c in candidates(con, WEEKLY_ALL, window, key_entities=5)}
    assert found["anno-9999"] is None

    (job,) = plan(settings.digests, "weekly", AS_OF, {})
    assert send_digest(job, settings, dry_run=True).status == "previewed"
