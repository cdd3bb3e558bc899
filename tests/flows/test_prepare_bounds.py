"""`prepare` bounds every post on its way to analysis: plausible publication dates, `max_chars` and `min_words`.

Posts come from real files in a folder source; each case states its expected outcome.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.dedup import KnownArticles
from flows.prepare import prepare
from flows.records import Post, Reason
from flows.settings import DateSettings, Settings, Source
from flows.sources.files import collect_folder
from nlp.settings import NLPSettings
from tests.flows.italian_texts import PARAGRAPHS

COLLECTED = "2025-03-10T06:00:00+00:00"
DATES = {  # published_at as written -> as prepared (None: dropped with a warning)
    "0001-01-01": None,
    "0001-01-01T00:00:00+05:00": None,  # year 1 east of UTC: before year 1 in UTC
    "1899-12-31": None,
    "9999-12-31T23:00:00-05:00": None,  # after 9999 in UTC: no warehouse timestamp holds it
    "2025-03-13T06:00:00+00:00": None,  # three days after collection
    "1900-01-01": "1900-01-01",
    "2025-03-09T18:30:00+01:00": "2025-03-09T18:30:00+01:00",
    "2025-03-12T05:00:00": "2025-03-12T05:00:00",  # without offset: UTC, within the two days allowed
}


def folder_posts(folder: Path) -> list[Post]:
    items = list(collect_folder(Source(name="archivio", kind="folder", location=str(folder))))
    for item in items:
        item.collected_at = COLLECTED
    return items


def prepared(items, settings: Settings | None = None):
    return prepare(items, settings or Settings(), KnownArticles(), set())


def test_implausible_dates_are_dropped_with_a_warning_and_the_post_kept(tmp_path: Path, caplog):
    """Expected: every post accepted; dates outside [1900, collection + 2 days] become None, each with a warning that
    names the post; the kept dates convert to UTC (the warehouse's timestamp type)."""
    records = [{"text": text, "date": date} for text, date in zip(PARAGRAPHS[: len(DATES)], DATES, strict=True)]
    (tmp_path / "posts.jsonl").write_text("\n".join(json.dumps(record) for record in records), encoding="utf-8")
    (tmp_path / "front.md").write_text(f'---\ndate: "9999-12-31"\n---\n\n{PARAGRAPHS[-1]}\n', encoding="utf-8")

    with caplog.at_level(logging.WARNING, logger="flows.prepare"):
        out = prepared(folder_posts(tmp_path))

    assert out.rejected == []
    published = {post.location.removeprefix(f"{tmp_path}/"): post.published_at for post in out.accepted}
    expected = {f"posts.jsonl#{n}": DATES[date] for n, date in enumerate(DATES, start=1)}
    assert published == {**expected, "front.md": None}
    dropped = [location for location, date in published.items() if date is None]
    assert len(caplog.records) == len(dropped)
    assert all(any(location in r.getMessage() for r in caplog.records) for location in dropped)
    for date in filter(None, published.values()):
        datetime.fromisoformat(date).astimezone(UTC)


def test_date_bounds_are_settings(tmp_path: Path):
    """Expected: with earliest_year 2025 and no day ahead allowed, 2024 and tomorrow are dropped, today is kept."""
    records = [
        {"text": PARAGRAPHS[0], "date": "2024-12-31"},
        {"text": PARAGRAPHS[1], "date": "2025-03-11"},
        {"text": PARAGRAPHS[2], "date": "2025-03-10"},
    ]
    (tmp_path / "posts.jsonl").write_text("\n".join(json.dumps(record) for record in records), encoding="utf-8")

    out = prepared(folder_posts(tmp_path), Settings(dates=DateSettings(earliest_year=2025, max_future_days=0)))

    assert [post.published_at for post in out.accepted] == [None, None, "2025-03-10"]


def test_a_date_that_is_not_iso_8601_is_dropped(caplog):
    """Expected: a feed or page that hands over "31/12/2024" keeps its post, without a date, and a warning says why."""
    post = Post("id1", "cronache", "https://e.it/1", PARAGRAPHS[0], "html", published_at="31/12/2024")

    (accepted,) = prepared([post]).accepted

    assert accepted.published_at is None
    assert "https://e.it/1: publication date '31/12/2024' dropped, not an ISO 8601 date" in caplog.text


@pytest.mark.parametrize(
    ("nlp", "reason", "detail"),
    [
        (NLPSettings(max_chars=100), Reason.TOO_LONG, f"{len(PARAGRAPHS[0])} characters (max_chars 100)"),
        (NLPSettings(min_words=31), Reason.TOO_SHORT, "30 words (min_words 31)"),
    ],
)
def test_length_limits_reject_a_folder_post_naming_the_limit(tmp_path: Path, nlp, reason, detail):
    """Expected: a 30-word post of 181 characters is rejected under max_chars 100 (too_long) and min_words 31
    (too_short), the detail naming the limit; within both limits it is accepted."""
    (tmp_path / "nota.txt").write_text(PARAGRAPHS[0], encoding="utf-8")

    (rejection,) = prepared(folder_posts(tmp_path), Settings(nlp=nlp)).rejected
    assert (rejection.reason, rejection.detail, rejection.language) == (reason, detail, "it")
    assert len(prepared(folder_posts(tmp_path)).accepted) == 1


def test_language_detection_settings_reach_prepare(tmp_path: Path):
    """Expected: an Italian post is accepted; with min_confidence above any possible confidence it is undetermined
    ("und"), so it is rejected for its language."""
    (tmp_path / "nota.txt").write_text(PARAGRAPHS[0], encoding="utf-8")
    unsure = NLPSettings()
    unsure.language_detection.min_confidence = 1.01

    (rejection,) = prepared(folder_posts(tmp_path), Settings(nlp=unsure)).rejected
    assert (rejection.reason, rejection.language) == (Reason.LANGUAGE, "und")
