"""The `ingest` flow: collect every source → prepare (normalise, language, dedup) → analyse → store.

Tasks receive a config path, names and file paths only; each worker process loads the models once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows import stages
from flows.settings import load


@task(cache_policy=NO_CACHE, retries=1)
def collect_source(config: str | None, source_name: str, staging: str, started_at: str) -> str:
    settings = load(config)
    source = next(s for s in settings.sources if s.name == source_name)
    target = Path(staging) / f"collected-{source_name}.jsonl"
    return str(stages.collect_source(settings, source, target, started_at))


@task(cache_policy=NO_CACHE)
def prepare_items(config: str | None, collected: list[str], staging: str) -> str:
    return str(stages.prepare_items(load(config), [Path(p) for p in collected], Path(staging) / "prepared.jsonl"))


@task(cache_policy=NO_CACHE)
def analyse_items(config: str | None, prepared: str, staging: str) -> str:
    return str(stages.analyse_items(load(config), Path(prepared), Path(staging) / "analysed.json"))


@task(cache_policy=NO_CACHE)
def store_rows(config: str | None, analysed: str, run_id: str, started_at: str) -> dict:
    return stages.store_rows(load(config), Path(analysed), run_id, started_at)


@flow(name="ingest")
def ingest(config: str | None = None) -> dict:
    """Collect the configured sources into the warehouse; returns the run summary.

    The run holds the warehouse's writer lock: a second run at once is refused, and its rows show all together
    or not at all.
    """
    settings = load(config)
    run_id = stages.new_run_id()
    started_at = datetime.now(UTC).isoformat()
    staging = str(stages.staging_dir(settings, run_id))
    with stages.writing(settings):
        collected = [collect_source.submit(config, source.name, staging, started_at) for source in settings.sources]
        prepared = prepare_items(config, [future.result() for future in collected], staging)
        analysed = analyse_items(config, prepared, staging)
        return store_rows(config, analysed, run_id, started_at)
