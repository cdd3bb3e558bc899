"""Finding Parquet files of the warehouse that cannot be read (truncated, overwritten, not Parquet at all)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from flows.warehouse.parquet import PART_GLOB, read_file, read_footer
from flows.warehouse.schema import DERIVED, TABLES


class DamagedWarehouseError(RuntimeError):
    """Files of the warehouse cannot be read; `rassegna doctor` repairs the dataset around them."""

    def __init__(self, paths: list[Path], cause: Exception | None = None) -> None:
        self.paths = paths
        names = ", ".join(str(path) for path in paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        detail = f" ({type(cause).__name__}: {cause})" if cause else ""
        super().__init__(f"damaged warehouse file(s) {names}{detail}: run `rassegna doctor` to repair")


def unreadable_parts(folder: Path, footers_only: bool = False) -> list[Path]:
    """Parquet files under the folders of the tables runs write, in `folder` (local or remote), that fail to read:
    all their data, or only the footer (fast). A derived table is no damage: it is rebuilt."""
    damaged = []
    for table in TABLES.keys() - DERIVED:
        for path in sorted((folder / table).glob(PART_GLOB)):
            try:
                read_footer(path) if footers_only else read_file(path)
            except (OSError, pa.ArrowException):
                damaged.append(path)
    return damaged
