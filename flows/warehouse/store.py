"""The warehouse: Parquet parts per table, the derived entities table, and the DuckDB views file.

The tables live in the local folder, or under a URL on object storage (`s3://bucket/prefix`); the writer lock
and `rassegna.duckdb` always live in the local folder.

A run writes its parts of articles, mentions, themes and rejected first and its `runs` row last; the views show
a run's rows only once that row exists, so a crash at any point leaves the dataset as it was before the run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from flows import failpoints
from flows.warehouse.damage import DamagedWarehouseError, unreadable_parts
from flows.warehouse.entities import compute_entities
from flows.warehouse.known import Known, load_known
from flows.warehouse.location import is_remote, register, tables_root
from flows.warehouse.lock import writer_lock
from flows.warehouse.parquet import part_files, part_run_id, read_file, read_footer, write_file, write_part
from flows.warehouse.records import RunRow
from flows.warehouse.rows import to_arrow
from flows.warehouse.schema import COMMITTED_BY_RUNS, DERIVED, TABLES, check_version
from flows.warehouse.views import VIEWS_FILE, connection, create_views, views_file_current, write_views_file

if TYPE_CHECKING:
    from flows.settings import WarehouseSettings

ENTITIES_FILE = "entities.parquet"


class Warehouse:
    def __init__(self, folder: Path, url: str | None = None, storage_options: Mapping[str, str] | None = None) -> None:
        """`folder`: the local warehouse folder; `url`: where the tables live instead, any fsspec URL."""
        self.folder = Path(folder)
        self.tables = tables_root(self.folder, url, storage_options or {})

    @classmethod
    def configured(cls, settings: WarehouseSettings) -> Warehouse:
        """The warehouse of `Settings.warehouse`."""
        return cls(settings.folder, settings.url, settings.storage_options)

    @property
    def views_file(self) -> Path:
        return self.folder / VIEWS_FILE

    def ensure(self) -> None:
        """Create the folder (and `schema.json`); raise `SchemaVersionError` if it holds another schema version."""
        self.folder.mkdir(parents=True, exist_ok=True)
        check_version(self.tables)

    def append(self, table: str, rows: list[dict], run_id: str) -> Path | None:
        """Store `rows` as one new Parquet part of `table`; None (and nothing written) when there are no rows."""
        if table not in TABLES or table in DERIVED:
            writable = sorted(TABLES.keys() - DERIVED)
            raise ValueError(f"cannot append to {table!r}: the tables written by runs are {writable}")
        if not rows:
            return None
        data = to_arrow(table, rows, run_id)
        self.ensure()
        return write_part(self.tables, table, data, run_id)

    def store(self, run_id: str, rows: Mapping[str, list[dict]], started_at: str, flow: str = "ingest") -> RunRow:
        """Store one run's rows and commit them with its `runs` row; returns that row.

        Every table is checked against the schema before anything is written. Then the derived entities
        table and the views file are rebuilt, unless the run brought no rows (nothing to rewrite).
        """
        unknown = sorted(set(rows) - set(COMMITTED_BY_RUNS))
        if unknown:
            raise ValueError(f"a run stores {list(COMMITTED_BY_RUNS)}, not {unknown}")
        for table, table_rows in rows.items():
            if table_rows:
                to_arrow(table, table_rows, run_id)
        for table in COMMITTED_BY_RUNS:
            self.append(table, rows.get(table, []), run_id)
            failpoints.reached(f"store:{table}")
        summary: RunRow = {
            "run_id": run_id,
            "started_at": started_at,
            "finished_at": datetime.now(UTC).isoformat(),
            "stored": len(rows.get("articles", [])),
            "rejected": len(rows.get("rejected", [])),
            "flow": flow,
        }
        self.append("runs", [summary], run_id)
        failpoints.reached("store:runs")
        if any(rows.values()) or self.entities_stale():
            self.rebuild_entities()
            failpoints.reached("store:entities")
            self.refresh_views()
        return summary

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the writer lock (`WarehouseBusyError` if another process does) and drop what crashed runs left."""
        self.ensure()
        with writer_lock(self.folder):
            damaged = unreadable_parts(self.tables, footers_only=True)
            if damaged:
                raise DamagedWarehouseError(damaged)
            self.discard_uncommitted()
            yield

    def committed_runs(self) -> set[str]:
        """Ids of the runs whose `runs` row is stored; `DamagedWarehouseError` if a runs part cannot be read."""
        committed = set()
        for path in part_files(self.tables, "runs"):
            try:
                committed |= set(read_file(path, columns=["run_id"]).column("run_id").to_pylist())
            except (OSError, pa.ArrowException) as exc:
                raise DamagedWarehouseError([path], exc) from None
        return committed

    def discard_uncommitted(self) -> list[Path]:
        """Delete the parts of runs that never stored their `runs` row, and leftover temp files; returns them.

        Call only while holding the writer lock: a run in progress is uncommitted too.
        """
        committed = self.committed_runs()
        orphaned = self.runs_without_articles(committed)
        committed -= {part_run_id(path) for path in orphaned}
        removed = orphaned + [
            path
            for table in COMMITTED_BY_RUNS
            for path in part_files(self.tables, table)
            if part_run_id(path) not in committed
        ]
        if not is_remote(self.tables):  # object storage has no temp files: each file is one upload
            removed += [path for path in self.tables.glob("*/.*.tmp") if path.is_file()]
        for path in removed:
            path.unlink(missing_ok=True)
        if orphaned:  # committed rows went: what derives from them goes too
            self.rebuild_entities()
            self.refresh_views()
        return removed

    def runs_without_articles(self, committed: set[str]) -> list[Path]:
        """The `runs` parts of committed runs that stored articles whose articles part is gone (removed by hand):
        such a run is undone whole, so its mentions and themes do not outlive its articles and the next run collects
        those items again."""
        with_articles = {part_run_id(path) for path in part_files(self.tables, "articles")}
        orphaned = []
        for path in part_files(self.tables, "runs"):
            run = part_run_id(path)
            if run in committed and run not in with_articles:
                stored = read_file(path, columns=["stored"]).column("stored").to_pylist()
                if any(stored):
                    orphaned.append(path)
        return orphaned

    def known(self) -> Known:
        self.ensure()
        return load_known(self.tables)

    def rebuild_entities(self) -> Path:
        """Recompute `entities` from all mentions and replace its single file in one step."""
        self.ensure()
        with connection() as con:
            create_views(con, self.tables, ["mentions", "articles"])
            entities = compute_entities(con)
        return write_file(self.tables / "entities" / ENTITIES_FILE, entities)

    def entities_stale(self) -> bool:
        """Whether `entities` is missing, unreadable or older than a part it derives from (a crash before its
        rebuild)."""
        path = self.tables / "entities" / ENTITIES_FILE
        if not path.exists():
            return True
        try:
            read_footer(path)
        except (OSError, pa.ArrowException):
            return True
        built = path.stat().st_mtime_ns
        parts = [*part_files(self.tables, "mentions"), *part_files(self.tables, "articles")]
        return any(part.stat().st_mtime_ns > built for part in parts)

    def refresh_views(self) -> Path:
        self.ensure()
        return write_views_file(self.folder, self.tables)

    def connect(self, read_only: bool = True) -> duckdb.DuckDBPyConnection:
        """A connection to `rassegna.duckdb` (built first when missing or out of date); views read the parts live.

        Timestamps show in UTC. What a writable connection adds to the file is lost at the next refresh.
        """
        self.ensure()
        if not views_file_current(self.folder, self.tables):
            write_views_file(self.folder, self.tables)
        return register(connection(self.views_file, read_only=read_only), self.tables)
