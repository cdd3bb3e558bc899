"""Warehouse schema version 2: one pyarrow schema per table, and the `schema.json` that records the version."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from flows.warehouse.atomic import write_text
from flows.warehouse.location import is_remote

SCHEMA_VERSION = 2  # 2: articles.tone (net news tone), articles.dateline
SCHEMA_FILE = "schema.json"

TIMESTAMP = pa.timestamp("us", tz="UTC")

PLACE_FIELDS = [
    pa.field("place_kind", pa.string()),  # comune | provincia | regione | country | city | ...
    pa.field("istat_code", pa.string()),
    pa.field("region", pa.string()),
    pa.field("country_code", pa.string()),  # ISO 3166 alpha-2
    pa.field("latitude", pa.float64()),
    pa.field("longitude", pa.float64()),
]


def _required(name: str, type_: pa.DataType) -> pa.Field:
    return pa.field(name, type_, nullable=False)


TABLES: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            _required("article_id", pa.string()),
            pa.field("url", pa.string()),
            pa.field("canonical_url", pa.string()),
            _required("source", pa.string()),
            _required("location", pa.string()),
            pa.field("title", pa.string()),
            pa.field("author", pa.string()),
            pa.field("published_at", TIMESTAMP),
            _required("collected_at", TIMESTAMP),
            _required("language", pa.string()),
            _required("word_count", pa.int32()),
            _required("content_hash", pa.string()),
            _required("minhash", pa.list_(pa.uint32())),
            _required("text", pa.string()),
            _required("summary", pa.string()),
            _required("keyphrases", pa.list_(pa.string())),
            _required("sentiment_label", pa.string()),  # news tone: negative | neutral | positive
            _required("sentiment_score", pa.float64()),  # probability of that label
            _required("tone", pa.float64()),  # net tone in [-1, 1]: weighted P(positive) - P(negative)
            pa.field("dateline", pa.string()),  # the place of the dateline opening the article ("ROMA — ...")
            _required("share_positive", pa.float64()),
            _required("share_neutral", pa.float64()),
            _required("share_negative", pa.float64()),
            _required("models", pa.string()),  # JSON: {"ner": "...", "sentiment": "...", ...}
            _required("run_id", pa.string()),
        ]
    ),
    "mentions": pa.schema(
        [
            _required("article_id", pa.string()),
            _required("entity_id", pa.string()),
            _required("text", pa.string()),
            _required("label", pa.string()),  # PER | LOC | ORG | MISC
            _required("canonical", pa.string()),
            _required("start", pa.int32()),
            _required("end", pa.int32()),
            _required("sentence_index", pa.int32()),
            pa.field("tone_label", pa.string()),  # news tone of the article towards this entity (all its mentions)
            pa.field("tone_score", pa.float64()),  # its net tone in [-1, 1] (nlp/components/tone.py)
            *PLACE_FIELDS,
            _required("run_id", pa.string()),
        ]
    ),
    "themes": pa.schema(
        [
            _required("article_id", pa.string()),
            _required("theme_id", pa.string()),
            _required("theme_label", pa.string()),
            _required("score", pa.float64()),
            _required("run_id", pa.string()),
        ]
    ),
    "rejected": pa.schema(
        [
            _required("item_id", pa.string()),
            _required("source", pa.string()),
            _required("location", pa.string()),
            _required("reason", pa.string()),
            _required("detail", pa.string()),
            pa.field("duplicate_of", pa.string()),
            pa.field("language", pa.string()),
            _required("collected_at", TIMESTAMP),
            _required("run_id", pa.string()),
        ]
    ),
    "runs": pa.schema(
        [
            _required("run_id", pa.string()),
            _required("started_at", TIMESTAMP),
            _required("finished_at", TIMESTAMP),
            _required("stored", pa.int64()),
            _required("rejected", pa.int64()),
            _required("flow", pa.string()),
        ]
    ),
    # derived from mentions (+ articles for the dates) by `Warehouse.rebuild_entities`, never appended to
    "entities": pa.schema(
        [
            _required("entity_id", pa.string()),
            _required("label", pa.string()),
            _required("canonical", pa.string()),
            _required("variants", pa.list_(pa.string())),
            _required("article_count", pa.int64()),
            _required("mention_count", pa.int64()),
            pa.field("first_seen", TIMESTAMP),  # null when none of the entity's articles is stored
            pa.field("last_seen", TIMESTAMP),
            *PLACE_FIELDS,
        ]
    ),
}
DERIVED = frozenset({"entities"})
# a run writes these first and its `runs` row last: the runs row commits them, the views show nothing before
COMMITTED_BY_RUNS = ("articles", "mentions", "themes", "rejected")


class SchemaVersionError(RuntimeError):
    """The warehouse folder holds data written under another schema version."""


def check_version(folder: Path) -> None:
    """Write `schema.json` in a new warehouse; raise `SchemaVersionError` when an existing one has another version."""
    path = folder / SCHEMA_FILE
    if not path.exists():
        text = json.dumps({"schema_version": SCHEMA_VERSION}) + "\n"
        if is_remote(path):
            path.write_text(text)
        else:
            write_text(path, text)
        return
    try:
        found = json.loads(path.read_text(encoding="utf-8"))["schema_version"]
    except (ValueError, KeyError, TypeError) as exc:
        found = f"unreadable ({exc.__class__.__name__})"
    if found != SCHEMA_VERSION:
        raise SchemaVersionError(
            f"warehouse {folder} has schema version {found}, this code expects {SCHEMA_VERSION}: "
            f"migrate it or set warehouse.folder to a new folder"
        )
