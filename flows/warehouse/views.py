"""DuckDB views over the Parquet parts, and the `rassegna.duckdb` file that holds them for analysts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb

from flows.warehouse.atomic import atomic_path
from flows.warehouse.location import register, sql_location
from flows.warehouse.parquet import PART_GLOB
from flows.warehouse.schema import COMMITTED_BY_RUNS, TABLES

VIEWS_FILE = "rassegna.duckdb"


def connection(path: Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection (in memory without `path`) that shows timestamps in UTC."""
    con = duckdb.connect(":memory:" if path is None else str(path), read_only=read_only)
    con.execute("SET TimeZone = 'UTC'")
    return con


def source_sql(folder: Path, table: str) -> str:
    """The SELECT behind a table's view: its part files under `folder` (the tables' root, local or remote), typed by
    the schema, empty while there are none yet.

    Rows of a run show only once the run is committed, i.e. once its `runs` row is stored.
    """
    schema = TABLES[table]
    columns = ", ".join(identifier(name) for name in schema.names)
    typed_empty = ", ".join(
        f"CAST(NULL AS {sql_type}) AS {identifier(name)}"
        for name, sql_type in zip(schema.names, _duckdb_types(table), strict=True)
    )
    pattern = literal(f"{glob_escaped(sql_location(folder))}/{table}/{PART_GLOB}")
    sql = (
        f"SELECT {columns} FROM ((SELECT {typed_empty} LIMIT 0) UNION ALL BY NAME "
        f"(SELECT * FROM read_parquet({pattern}, union_by_name = true, allow_empty = true)))"
    )
    if table in COMMITTED_BY_RUNS:
        sql += f" WHERE run_id IN (SELECT run_id FROM ({source_sql(folder, 'runs')}))"
    return sql


def create_views(con: duckdb.DuckDBPyConnection, folder: Path, tables: list[str] | None = None) -> None:
    """One view per table; each view's comment is its source SQL, so a stale file (folder moved) can be told apart."""
    register(con, folder)
    for table in tables or list(TABLES):
        sql = source_sql(folder, table)
        con.execute(f"CREATE OR REPLACE VIEW {identifier(table)} AS {sql}")
        con.execute(f"COMMENT ON VIEW {identifier(table)} IS {literal(sql)}")


def write_views_file(folder: Path, tables: Path) -> Path:
    """Build the views of the tables under `tables` in a new DuckDB file and move it onto `<folder>/rassegna.duckdb`
    (open readers keep theirs), only once it reads back whole: else the old file stays, its WAL goes, and OSError
    says why."""
    path = folder / VIEWS_FILE
    with atomic_path(path) as temp:
        wal = temp.with_name(temp.name + ".wal")
        try:
            con = connection(temp)
            try:
                create_views(con, tables)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            if not _holds_views(temp, tables):  # DuckDB may close a file it could not finish (a full disk, EFBIG)
                raise OSError(f"the views file {path} could not be written in full")
        except duckdb.Error as exc:
            raise OSError(f"the views file {path} could not be written: {exc}") from exc
        finally:
            wal.unlink(missing_ok=True)
    return path


def _holds_views(path: Path, tables: Path) -> bool:
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            found = dict(con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall())
    except duckdb.Error:
        return False
    return all(found.get(table) == source_sql(tables, table) for table in TABLES)


def views_file_current(folder: Path, tables: Path) -> bool:
    """Whether `<folder>/rassegna.duckdb` exists and its views are the ones this code builds for `tables`.

    A file that cannot be read (damaged, or locked by another process's writable connection) counts as out of date:
    it is derived, and replacing it does not disturb connections already open on it.
    """
    path = folder / VIEWS_FILE
    return path.exists() and _holds_views(path, tables)


@cache
def _duckdb_types(table: str) -> tuple[str, ...]:
    with duckdb.connect() as con:
        return tuple(str(sql_type) for sql_type in con.from_arrow(TABLES[table].empty_table()).types)


def glob_escaped(path: str) -> str:
    """`path` matched as written inside a glob: "rassegna [prod]" would otherwise be a character class."""
    return "".join(f"[{char}]" if char in "[]*?" else char for char in path)


def identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
