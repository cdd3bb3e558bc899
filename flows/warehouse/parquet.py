"""Parquet files of the warehouse tables: immutable part files per write, and single replaced files."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from flows.warehouse.atomic import atomic_path
from flows.warehouse.location import is_remote

PART_GLOB = "*.parquet"
COMPRESSION = "zstd"
RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
PART_NAME = re.compile(r"part-(?P<run_id>[A-Za-z0-9][A-Za-z0-9._-]*)-[0-9a-f]{12}\.parquet")


def part_files(folder: Path, table: str) -> list[Path]:
    return sorted((folder / table).glob(PART_GLOB))


def part_run_id(path: Path) -> str | None:
    """The run that wrote part file `path` (`part-<run_id>-<n>.parquet`); None for any other name."""
    match = PART_NAME.fullmatch(path.name)
    return match["run_id"] if match else None


def write_part(folder: Path, table: str, data: pa.Table, run_id: str) -> Path:
    """A new part file `<folder>/<table>/part-<run_id>-<n>.parquet`; n is random, so concurrent writers never clash."""
    if not RUN_ID.fullmatch(run_id):
        raise ValueError(f"run_id {run_id!r} must be letters, digits, '.', '_' or '-' (it names files)")
    if data.num_rows == 0:
        raise ValueError(f"no rows to write to {table}")
    return write_file(folder / table / f"part-{run_id}-{uuid.uuid4().hex[:12]}.parquet", data)


def write_file(path: Path, data: pa.Table) -> Path:
    """Write `path` in one step: a temp file moved into place locally, one upload (an atomic PUT) on object storage."""
    if is_remote(path):
        with path.open("wb") as file:
            pq.write_table(data, file, compression=COMPRESSION)
        return path
    with atomic_path(path) as temp:
        pq.write_table(data, temp, compression=COMPRESSION)
    return path


def read_file(path: Path, columns: list[str] | None = None) -> pa.Table:
    with path.open("rb") as file:
        return pq.read_table(file, columns=columns)


def read_footer(path: Path) -> pq.FileMetaData:
    with path.open("rb") as file:
        return pq.read_metadata(file)
