"""The ingest stages as plain file-to-file functions: each reads its input paths and writes one output file.

Tasks in `flows/ingest.py` only call these, so every stage runs (and is tested) without Prefect,
and a worker on another machine needs nothing but paths and ids.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from flows import progress
from flows.prepare import RETRYABLE, prepare
from flows.records import Post, Reason, Rejection
from flows.settings import Settings, Source
from flows.sources import collect
from flows.sources.http import PoliteClient
from flows.staging import read_jsonl, write_jsonl
from flows.store import Rows, analyse_posts
from flows.warehouse import Warehouse


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def staging_dir(settings: Settings, run_id: str) -> Path:
    return settings.warehouse.folder / "staging" / run_id


def collect_source(settings: Settings, source: Source, target: Path) -> Path:
    with PoliteClient(settings.http) as client, progress.bar(f"collect {source.name}", None) as advance:
        records = []
        for item in collect(source, settings.http, client):
            kind = "post" if isinstance(item, Post) else "rejection"
            records.append({"kind": kind, **item.to_dict()})
            advance(1)
    return write_jsonl(target, records)


def _load_items(paths: list[Path]) -> list[Post | Rejection]:
    items: list[Post | Rejection] = []
    for path in paths:
        for record in read_jsonl(path):
            kind = record.pop("kind")
            if kind == "post":
                items.append(Post(**record))
            else:
                items.append(Rejection(**{**record, "reason": Reason(record["reason"])}))
    return items


def known_items(warehouse: Warehouse) -> set[str]:
    """Inputs an earlier run settled: stored articles and rejections that retrying would not change."""
    retry = ", ".join(f"'{reason}'" for reason in RETRYABLE)
    with warehouse.connect() as db:
        rows = db.execute(
            f"SELECT article_id FROM articles UNION SELECT item_id FROM rejected WHERE reason NOT IN ({retry})"
        ).fetchall()
    return {row[0] for row in rows}


def prepare_items(settings: Settings, collected: list[Path], target: Path) -> Path:
    warehouse = Warehouse(settings.warehouse.folder)
    warehouse.ensure()
    result = prepare(_load_items(collected), settings, warehouse.known(), known_items(warehouse))
    records = [{"kind": "post", **post} for post in result.accepted]
    records += [{"kind": "rejection", **rejection.to_dict()} for rejection in result.rejected]
    return write_jsonl(target, records)


def analyse_items(settings: Settings, prepared: Path, target: Path) -> Path:
    records = list(read_jsonl(prepared))
    posts = [r for r in records if r.pop("kind") == "post"]
    with progress.bar("analyse", len(posts)) as advance:
        rows = analyse_posts(posts, settings.nlp, advance)
    rows.rejected += [r for r in records if "reason" in r]
    target.write_text(json.dumps(asdict(rows), ensure_ascii=False))
    return target


def store_rows(settings: Settings, analysed: Path, run_id: str, started_at: str) -> dict:
    rows = Rows(**json.loads(analysed.read_text()))
    warehouse = Warehouse(settings.warehouse.folder)
    warehouse.ensure()
    for table in ("articles", "mentions", "themes", "rejected"):
        warehouse.append(table, getattr(rows, table), run_id)
    summary = {
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": datetime.now(UTC).isoformat(),
        "stored": len(rows.articles),
        "rejected": len(rows.rejected),
        "flow": "ingest",
    }
    warehouse.append("runs", [summary], run_id)
    warehouse.rebuild_entities()
    warehouse.refresh_views()
    shutil.rmtree(staging_dir(settings, run_id), ignore_errors=True)
    return summary
