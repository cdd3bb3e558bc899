"""One record type per table a run writes: the rows `analyse_posts` hands to `Warehouse.store` (`Rows`), and the
`runs` row it hands back. Each mirrors its table in `schema.TABLES` (tests/flows/warehouse/test_records.py checks it):
nullable columns, and `run_id` (filled in by the store), are `NotRequired`."""

# no `from __future__ import annotations`: TypedDict must see NotRequired at run time
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import NotRequired, Self, TypedDict

Timestamp = datetime | str  # a datetime, or an ISO 8601 string; naive ones are UTC


class Place(TypedDict):
    place_kind: NotRequired[str | None]
    istat_code: NotRequired[str | None]
    region: NotRequired[str | None]
    country_code: NotRequired[str | None]
    latitude: NotRequired[float | None]
    longitude: NotRequired[float | None]


class ArticleRow(TypedDict):
    article_id: str
    url: NotRequired[str | None]
    canonical_url: NotRequired[str | None]
    source: str
    location: str
    title: NotRequired[str | None]
    author: NotRequired[str | None]
    published_at: NotRequired[Timestamp | None]
    collected_at: Timestamp
    language: str
    word_count: int
    content_hash: str
    minhash: list[int]
    text: str
    summary: str
    keyphrases: list[str]
    sentiment_label: str
    sentiment_score: float
    tone: float
    dateline: NotRequired[str | None]
    share_positive: float
    share_neutral: float
    share_negative: float
    models: str
    run_id: NotRequired[str]


class MentionRow(Place):
    article_id: str
    entity_id: str
    text: str
    label: str
    canonical: str
    start: int
    end: int
    sentence_index: int
    tone_label: NotRequired[str | None]
    tone_score: NotRequired[float | None]
    run_id: NotRequired[str]


class ThemeRow(TypedDict):
    article_id: str
    theme_id: str
    theme_label: str
    score: float
    run_id: NotRequired[str]


class RejectedRow(TypedDict):
    item_id: str
    source: str
    location: str
    reason: str
    detail: str
    duplicate_of: NotRequired[str | None]
    language: NotRequired[str | None]
    collected_at: Timestamp
    run_id: NotRequired[str]


class RunRow(TypedDict):
    """What a stored run returns: its `runs` row."""

    run_id: str
    started_at: Timestamp
    finished_at: Timestamp
    stored: int
    rejected: int
    flow: str


@dataclass
class Rows:
    """The rows one run stores, table by table."""

    articles: list[ArticleRow] = field(default_factory=list)
    mentions: list[MentionRow] = field(default_factory=list)
    themes: list[ThemeRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)

    def extend(self, other: Self) -> None:
        """Append the rows of `other`, table by table."""
        for table in fields(self):
            getattr(self, table.name).extend(getattr(other, table.name))


RECORDS: dict[str, type] = {
    "articles": ArticleRow,
    "mentions": MentionRow,
    "themes": ThemeRow,
    "rejected": RejectedRow,
    "runs": RunRow,
}
