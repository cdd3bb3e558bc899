"""What the warehouse already holds, in the shape the dedup stage checks new items against."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from flows.warehouse.location import register, sql_location
from flows.warehouse.parquet import part_files, part_run_id
from flows.warehouse.views import connection, create_views, literal

BATCH_ROWS = 10_000


@dataclass(frozen=True)
class Signatures:
    """(article_id, minhash) of the committed articles, earliest collected first, read lazily on each iteration."""

    parts: tuple[Path, ...]

    def __iter__(self) -> Iterator[tuple[str, list[int]]]:
        if not self.parts:
            return
        files = "[" + ", ".join(literal(sql_location(path)) for path in self.parts) + "]"
        with register(connection(), self.parts[0]) as con:
            reader = con.sql(
                f"SELECT article_id, minhash FROM read_parquet({files}, union_by_name = true) "
                "ORDER BY collected_at, article_id"
            ).to_arrow_reader(BATCH_ROWS)
            for batch in reader:
                yield from zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(), strict=True)


@dataclass(frozen=True)
class Known:
    item_ids: frozenset[str]  # stored article_ids and rejected item_ids
    canonical_urls: dict[str, str]  # canonical_url -> article_id (the earliest collected)
    content_hashes: dict[str, str]  # content_hash -> article_id (the earliest collected)
    signatures: Signatures


def load_known(folder: Path) -> Known:
    with connection() as con:
        create_views(con, folder, ["articles", "rejected", "runs"])
        item_ids = con.execute("SELECT article_id FROM articles UNION SELECT item_id FROM rejected").fetchall()
        committed = {row[0] for row in con.execute("SELECT run_id FROM runs").fetchall()}
        return Known(
            item_ids=frozenset(row[0] for row in item_ids),
            canonical_urls=_earliest_by(con, "canonical_url"),
            content_hashes=_earliest_by(con, "content_hash"),
            signatures=Signatures(
                tuple(path for path in part_files(folder, "articles") if part_run_id(path) in committed)
            ),
        )


def _earliest_by(con: duckdb.DuckDBPyConnection, column: str) -> dict[str, str]:
    rows = con.execute(
        f"SELECT {column}, first(article_id ORDER BY collected_at, article_id) FROM articles "
        f"WHERE {column} IS NOT NULL GROUP BY {column}"
    ).fetchall()
    return dict(rows)
