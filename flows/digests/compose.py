"""What one digest says: the ranked articles of the window and what moved against the previous window."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from flows.digests.rank import Ranked, rank
from flows.digests.select import EntityCount, EntityTone, candidates, entity_counts, entity_tones
from flows.digests.subscriptions import DigestJob, Window
from flows.settings import DigestSettings

SENTIMENTS = ("positive", "neutral", "negative")


@dataclass(frozen=True)
class DigestContent:
    job: DigestJob
    items: list[Ranked]  # the best `job.max_items` matching articles
    matched: int  # matching articles in the window
    previous_matched: int  # matching articles in the previous window
    sentiment: Counter[str]  # label -> matching articles, this window
    previous_sentiment: Counter[str]
    organisations: list[EntityCount]
    good_news: list[EntityTone]  # organisations with the most good news this window
    bad_news: list[EntityTone]  # ...and with the most bad news
    places: list[EntityCount]
    periods: list[datetime]  # starts of equal slices (about a day) of the previous window, then of this one
    sentiment_by_period: dict[str, list[int]]  # label -> matching articles collected in each slice
    timezone: str


def compose(con: duckdb.DuckDBPyConnection, job: DigestJob, settings: DigestSettings) -> DigestContent:
    subscription, window = job.subscription, job.window
    current = rank(
        candidates(con, subscription, window, settings.key_entities), subscription, window, settings.recency_weight
    )
    previous = rank(
        candidates(con, subscription, window.previous, settings.key_entities),
        subscription,
        window.previous,
        settings.recency_weight,
    )
    current_ids = [r.article.article_id for r in current]
    previous_ids = [r.article.article_id for r in previous]
    periods, by_period = _sentiment_by_period(current + previous, window)
    good_news, bad_news = entity_tones(con, "ORG", current_ids, settings.top_entities)
    return DigestContent(
        job=job,
        items=current[: job.max_items],
        matched=len(current),
        previous_matched=len(previous),
        sentiment=Counter(r.article.sentiment_label for r in current),
        previous_sentiment=Counter(r.article.sentiment_label for r in previous),
        organisations=entity_counts(con, "ORG", current_ids, previous_ids, settings.top_entities),
        good_news=good_news,
        bad_news=bad_news,
        places=entity_counts(con, "LOC", current_ids, previous_ids, settings.top_entities),
        periods=periods,
        sentiment_by_period=by_period,
        timezone=settings.timezone,
    )


def _sentiment_by_period(ranked: list[Ranked], window: Window) -> tuple[list[datetime], dict[str, list[int]]]:
    """Both windows cut into the same number of about-a-day slices (none straddles the two), counted by sentiment."""
    length = window.end - window.start
    slices = max(1, round(length / timedelta(days=1)))
    step = length / slices
    first = window.previous.start
    starts = [first + i * step for i in range(2 * slices)]
    counts = {label: [0] * len(starts) for label in SENTIMENTS}
    for r in ranked:
        index = int((r.article.collected_at - first) / step)
        if r.article.sentiment_label in counts and 0 <= index < len(starts):
            counts[r.article.sentiment_label][index] += 1
    return starts, counts
