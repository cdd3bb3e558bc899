"""What flows between the stages: collected posts, posts prepared for analysis, and why an input was not stored."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def item_id(source: str, location: str) -> str:
    """Stable id of an input (a file path or URL within a named source)."""
    return hashlib.sha1(f"{source}\x00{location}".encode()).hexdigest()[:16]


class Reason(StrEnum):
    UNREADABLE = "unreadable"
    FETCH_ERROR = "fetch_error"
    ROBOTS = "robots_disallowed"
    TOO_LARGE = "too_large"
    BLOCKED_ADDRESS = "blocked_address"
    EMPTY = "empty"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    LANGUAGE = "language"
    DUPLICATE_URL = "duplicate_url"
    DUPLICATE_CONTENT = "duplicate_content"
    NEAR_DUPLICATE = "near_duplicate"
    ANALYSIS_ERROR = "analysis_error"


@dataclass
class Post:
    item_id: str
    source: str
    location: str  # file path or URL the text came from
    text: str
    format: str  # html | md | txt | json | feed
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published_at: str | None = None  # ISO 8601
    collected_at: str = field(default_factory=now_iso)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class PreparedPost(Post):
    """A post accepted for analysis: normalised text, a plausible date (or None), and its dedup keys."""

    language: str = ""
    word_count: int = 0
    canonical_url: str | None = None
    content_hash: str = ""
    minhash: list[int] = field(default_factory=list)
    province: str | None = None  # its source's home province (flows/home_province.py)


@dataclass
class Rejection:
    item_id: str
    source: str
    location: str
    reason: Reason
    detail: str = ""
    duplicate_of: str | None = None
    language: str | None = None
    collected_at: str = field(default_factory=now_iso)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["reason"] = str(self.reason)
        return out
