"""Where the tables live: the local warehouse folder, or object storage through fsspec (`s3://bucket/prefix`).

Table paths are `pathlib.Path`s locally and `upath.UPath`s on object storage, so the warehouse code reads the
same either way. The writer lock, the staging files and `rassegna.duckdb` stay in the local folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb


def tables_root(folder: Path, url: str | None, storage_options: Mapping[str, str]) -> Path:
    """`url` (any fsspec URL, credentials from `storage_options` or the usual environment) or else `folder`."""
    if url is None:
        return folder
    from upath import UPath

    return UPath(url, **storage_options)


def is_remote(path: Path) -> bool:
    return getattr(path, "protocol", "") not in ("", "file", "local")


def sql_location(path: Path) -> str:
    """`path` as DuckDB reads it: absolute locally, the URL on object storage (through `register`)."""
    return str(path) if is_remote(path) else str(Path(path).resolve())


def register(con: duckdb.DuckDBPyConnection, root: Path) -> duckdb.DuckDBPyConnection:
    """Let `con` read the tables under `root`: object storage goes through the same fsspec filesystem."""
    if is_remote(root) and root.protocol not in con.list_filesystems():
        con.register_filesystem(root.fs)
    return con
