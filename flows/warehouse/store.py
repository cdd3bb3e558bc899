"""The warehouse folder: Parquet parts per table, the derived entities table, and the DuckDB views file."""

from __future__ import annotations

from pathlib import Path

import duckdb

from flows.warehouse.entities import compute_entities
from flows.warehouse.known import Known, load_known
from flows.warehouse.parquet import write_file, write_part
from flows.warehouse.rows import to_arrow
from flows.warehouse.schema import DERIVED, TABLES, check_version
from flows.warehouse.views import VIEWS_FILE, connection, create_views, views_file_current, write_views_file

ENTITIES_FILE = "entities.parquet"


class Warehouse:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @property
    def views_file(self) -> Path:
        return self.folder / VIEWS_FILE

    def ensure(self) -> None:
        """Create the folder (and `schema.json`); raise `SchemaVersionError` if it holds another schema version."""
        self.folder.mkdir(parents=True, exist_ok=True)
        check_version(self.folder)

    def append(self, table: str, rows: list[dict], run_id: str) -> Path | None:
        """Store `rows` as one new Parquet part of `table`; None (and nothing written) when there are no rows."""
        if table not in TABLES or table in DERIVED:
            writable = sorted(TABLES.keys() - DERIVED)
            raise ValueError(f"cannot append to {table!r}: the tables written by runs are {writable}")
        if not rows:
            return None
        data = to_arrow(table, rows, run_id)
        self.ensure()
        return write_part(self.folder, table, data, run_id)

    def known(self) -> Known:
        self.ensure()
        return load_known(self.folder)

    def rebuild_entities(self) -> Path:
        """Recompute `entities` from all mentions and replace its single file in one step."""
        self.ensure()
        with connection() as con:
            create_views(con, self.folder, ["mentions", "articles"])
            entities = compute_entities(con)
        return write_file(self.folder / "entities" / ENTITIES_FILE, entities)

    def refresh_views(self) -> Path:
        self.ensure()
        return write_views_file(self.folder)

    def connect(self, read_only: bool = True) -> duckdb.DuckDBPyConnection:
        """A connection to `rassegna.duckdb` (built first when missing or out of date); views read the parts live.

        Timestamps show in UTC. What a writable connection adds to the file is lost at the next refresh.
        """
        self.ensure()
        if not views_file_current(self.folder):
            write_views_file(self.folder)
        return connection(self.views_file, read_only=read_only)
