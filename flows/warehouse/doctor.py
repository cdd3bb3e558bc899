"""`rassegna doctor`: find damaged warehouse files and rebuild a consistent dataset around them.

A damaged part takes its whole run out of the dataset (moved to `quarantine/<run_id>/`, never deleted), so no
run is half visible; the items of that run are then unknown again and the next run collects them afresh.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from flows.warehouse.damage import unreadable_parts
from flows.warehouse.lock import writer_lock
from flows.warehouse.parquet import part_files, part_run_id
from flows.warehouse.schema import COMMITTED_BY_RUNS, DERIVED
from flows.warehouse.store import Warehouse

QUARANTINE = "quarantine"
RUN_TABLES = (*COMMITTED_BY_RUNS, "runs")


@dataclass
class Repair:
    damaged: list[Path] = field(default_factory=list)
    quarantined_runs: list[str] = field(default_factory=list)
    uncommitted: list[Path] = field(default_factory=list)
    staging: list[Path] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not (self.damaged or self.quarantined_runs or self.uncommitted or self.staging)


def repair(warehouse: Warehouse, staging: Path, forget: list[Path]) -> Repair:
    """Under the writer lock: quarantine runs with damaged parts, drop uncommitted parts and stale staging
    folders, rebuild entities and views. `forget` (HTTP validator caches) is deleted when a run was
    quarantined, so its pages are fetched again instead of answering 304.
    """
    warehouse.ensure()
    result = Repair()
    with writer_lock(warehouse.folder):
        result.damaged = unreadable_parts(warehouse.tables)
        for path in result.damaged:
            if path.parent.name in DERIVED:
                path.unlink()
            elif (run_id := part_run_id(path)) is not None and run_id not in result.quarantined_runs:
                _quarantine(warehouse.tables, run_id)
                result.quarantined_runs.append(run_id)
        result.uncommitted = warehouse.discard_uncommitted()
        result.staging = sorted(staging.iterdir()) if staging.is_dir() else []
        for folder in result.staging:
            shutil.rmtree(folder, ignore_errors=True)
        if result.quarantined_runs:
            for path in forget:
                path.unlink(missing_ok=True)
        warehouse.rebuild_entities()
        warehouse.refresh_views()
    return result


def _quarantine(folder: Path, run_id: str) -> None:
    for table in RUN_TABLES:
        for path in part_files(folder, table):
            if part_run_id(path) == run_id:
                target = folder / QUARANTINE / run_id / table / path.name
                target.parent.mkdir(parents=True, exist_ok=True)
                path.rename(target)
