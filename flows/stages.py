"""The ingest stages as plain file-to-file functions: each reads its input paths and writes one output file.

Tasks in `flows/ingest.py` only call these, so every stage runs (and is tested) without Prefect,
and a worker on another machine needs nothing but paths and ids.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from flows import failpoints, progress
from flows.home_province import home_provinces
from flows.prepare import RETRYABLE, prepare
from flows.records import Post, PreparedPost, Reason, Rejection, item_id
from flows.settings import Settings, Source
from flows.sources import collect
from flows.sources.http import ValidatorCache
from flows.staging import read_jsonl, write_jsonl
from flows.warehouse import Warehouse
from flows.warehouse.atomic import write_text
from flows.warehouse.records import Rows, RunRow

VALIDATORS_PREFIX = "http-validators-"


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def staging_root(settings: Settings) -> Path:
    return settings.warehouse.folder / "staging"


def staging_dir(settings: Settings, run_id: str) -> Path:
    return staging_root(settings) / run_id


def collect_source(settings: Settings, source: Source, target: Path, started_at: str) -> Path:
    """Collect `source` into `target` by the source's and the run's deadline (the run started at `started_at`).

    The source's HTTP validators go to the staging folder until the run commits.
    """
    elapsed = (datetime.now(UTC) - datetime.fromisoformat(started_at)).total_seconds()
    deadline = max(0.0, min(settings.http.source_deadline_s, settings.http.run_deadline_s - elapsed))
    staged = _staged_validators(settings, target.parent, source)
    http = settings.http.model_copy(update={"cache_file": staged, "source_deadline_s": deadline})
    with progress.bar(f"collect {source.name}", None) as advance:
        records = []
        for item in collect(source, http, settings.folders):
            kind = "post" if isinstance(item, Post) else "rejection"
            records.append({"kind": kind, **item.to_dict()})
            advance(1)
    failpoints.reached("collect")
    return write_jsonl(target, records)


def _staged_validators(settings: Settings, staging: Path, source: Source) -> Path:
    staged = staging / f"{VALIDATORS_PREFIX}{item_id(source.name, source.location)}.json"
    if settings.http.cache_file.exists() and not staged.exists():
        staging.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(settings.http.cache_file, staged)
    return staged


def _commit_validators(settings: Settings, staging: Path) -> None:
    """Merge the run's HTTP validators into the cache: a crashed run's pages are fetched in full again, not 304."""
    staged = sorted(staging.glob(f"{VALIDATORS_PREFIX}*.json"))
    if not staged:
        return
    cache = ValidatorCache(settings.http.cache_file)
    for path in staged:
        cache.merge(ValidatorCache(path))
    cache.save()


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
    warehouse = Warehouse.configured(settings.warehouse)
    warehouse.ensure()
    result = prepare(_load_items(collected), settings, warehouse.known(), known_items(warehouse))
    provinces = home_provinces(settings, warehouse, result.accepted) if result.accepted else {}
    for post in result.accepted:
        post.province = provinces.get(post.source)
    records = [{"kind": "post", **post.to_dict()} for post in result.accepted]
    records += [{"kind": "rejection", **rejection.to_dict()} for rejection in result.rejected]
    return write_jsonl(target, records)


def _prepared(prepared: Path, kind: str) -> list[dict]:
    """The records of `kind` ("post" or "rejection") that `prepare_items` wrote, without their kind."""
    return [
        {k: v for k, v in record.items() if k != "kind"} for record in read_jsonl(prepared) if record["kind"] == kind
    ]


def split_posts(settings: Settings, prepared: Path) -> list[Path]:
    """The accepted posts of `prepared` in chunks of `analysis.chunk_articles`, in order: `prepared-<n>.jsonl`
    beside it (none when there are no posts). Its rejections stay where they are, for `store_rows`."""
    posts = _prepared(prepared, "post")
    size = settings.analysis.chunk_articles
    return [
        write_jsonl(prepared.with_name(f"prepared-{n}.jsonl"), posts[first : first + size])
        for n, first in enumerate(range(0, len(posts), size))
    ]


def rows_path(chunk: Path) -> Path:
    """Where the rows of `chunk` go: `prepared-<n>.rows.json` beside it."""
    return chunk.with_suffix(".rows.json")


def analyse_chunk(
    settings: Settings, chunk: Path, target: Path, advance: Callable[[int], None] = lambda n: None
) -> Path:
    """Analyse the posts of `chunk` into warehouse rows (articles failing analysis among the rejected) in `target`."""
    from flows.article_rows import analyse_posts  # spaCy and torch load only when there is something to analyse

    rows = analyse_posts([PreparedPost(**record) for record in read_jsonl(chunk)], settings.nlp, advance)
    failpoints.reached("analyse")
    return write_text(target, json.dumps(asdict(rows), ensure_ascii=False))


def store_rows(settings: Settings, prepared: Path, analysed: list[Path], run_id: str, started_at: str) -> RunRow:
    """Store the rows of the `analysed` chunks, in their order, and the rejections of `prepared`, as one run."""
    rows = Rows()
    for path in analysed:
        rows.extend(Rows(**json.loads(path.read_text())))
    rows.rejected += _prepared(prepared, "rejection")
    warehouse = Warehouse.configured(settings.warehouse)
    failpoints.reached("store")
    summary = warehouse.store(run_id, asdict(rows), started_at)
    _commit_validators(settings, staging_dir(settings, run_id))
    shutil.rmtree(staging_dir(settings, run_id), ignore_errors=True)
    return summary


@contextmanager
def writing(settings: Settings) -> Iterator[None]:
    """Hold the warehouse for one run: a second writer is refused; what crashed runs left is dropped first."""
    with Warehouse.configured(settings.warehouse).writing():
        shutil.rmtree(staging_root(settings), ignore_errors=True)
        yield


def ingest_here(settings: Settings) -> RunRow:
    """The ingest flow's stages in this process, without Prefect: sources collected in parallel threads, then the
    same chunks as the flow's analysed one after another."""
    run_id, started_at = new_run_id(), datetime.now(UTC).isoformat()
    staging = staging_dir(settings, run_id)
    with writing(settings):
        with ThreadPoolExecutor(max_workers=max(1, len(settings.sources))) as pool:
            collected = list(
                pool.map(
                    lambda source: collect_source(
                        settings, source, staging / f"collected-{source.name}.jsonl", started_at
                    ),
                    settings.sources,
                )
            )
        prepared = prepare_items(settings, collected, staging / "prepared.jsonl")
        with progress.bar("analyse", None) as advance:
            analysed = [
                analyse_chunk(settings, chunk, rows_path(chunk), advance) for chunk in split_posts(settings, prepared)
            ]
        return store_rows(settings, prepared, analysed, run_id, started_at)
