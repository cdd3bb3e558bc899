"""The `ingest` flow: collect every source → prepare (normalise, language, dedup) → analyse in chunks → store.

Tasks receive a config path, names and file paths only; each worker process loads the models once
(`nlp.load` keeps them per process). The analysis chunks run in the `analyse` subflow, on the task runner
that `analysis.dask_address` chooses.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows import stages
from flows.settings import Settings, load
from flows.warehouse.records import RunRow


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
def split_posts(config: str | None, prepared: str) -> list[str]:
    return [str(chunk) for chunk in stages.split_posts(load(config), Path(prepared))]


@task(cache_policy=NO_CACHE)
def analyse_chunk(config: str | None, chunk: str) -> str:
    return str(stages.analyse_chunk(load(config), Path(chunk), stages.rows_path(Path(chunk))))


@task(cache_policy=NO_CACHE)
def store_rows(config: str | None, prepared: str, analysed: list[str], run_id: str, started_at: str) -> RunRow:
    return stages.store_rows(load(config), Path(prepared), [Path(p) for p in analysed], run_id, started_at)


@flow(name="analyse")
def analyse(config: str | None, chunks: list[str]) -> list[str]:
    """Analyse every chunk as its own task on this flow's task runner; the rows' paths, in chunk order."""
    futures = [analyse_chunk.submit(config, chunk) for chunk in chunks]
    return [future.result() for future in futures]


def analysis_runner(settings: Settings) -> TaskRunner:
    """The configured Dask scheduler, else one thread: the chunks one after another, on the models loaded here."""
    if settings.analysis.dask_address:
        from prefect_dask import DaskTaskRunner  # imports distributed: only when a scheduler is configured

        return DaskTaskRunner(address=settings.analysis.dask_address)
    return ThreadPoolTaskRunner(max_workers=1)


@flow(name="ingest")
def ingest(config: str | None = None) -> RunRow:
    """Collect the configured sources into the warehouse; returns the run summary.

    The run holds the warehouse's writer lock: a second run at once is refused, and its rows show all together
    or not at all. The dataset is the same whichever runner analyses the chunks.
    """
    settings = load(config)
    run_id = stages.new_run_id()
    started_at = datetime.now(UTC).isoformat()
    staging = str(stages.staging_dir(settings, run_id))
    with stages.writing(settings):
        collected = [collect_source.submit(config, source.name, staging, started_at) for source in settings.sources]
        prepared = prepare_items(config, [future.result() for future in collected], staging)
        chunks = split_posts(config, prepared)
        analysed = analyse.with_options(task_runner=analysis_runner(settings))(config, chunks)
        return store_rows(config, prepared, analysed, run_id, started_at)
