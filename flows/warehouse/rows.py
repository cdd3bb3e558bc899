"""Rows (plain dicts) to an Arrow table of one warehouse table, checked against its schema."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from flows.warehouse.schema import TABLES


class InvalidRowsError(ValueError):
    """Rows that do not fit their table's schema; the message names the table and column."""


def to_arrow(table: str, rows: list[dict], run_id: str) -> pa.Table:
    """Validate `rows` for `table`: missing optional columns become null, unknown or missing required ones raise.

    `run_id` fills the rows' run_id column; timestamps may be datetimes or ISO 8601 strings (naive ones are UTC).
    """
    schema = TABLES[table]
    unknown = sorted(set().union(*rows) - set(schema.names))
    if unknown:
        raise InvalidRowsError(f"{table}: unknown columns {unknown}; the schema has {schema.names}")
    return pa.Table.from_arrays([_column(table, field, rows, run_id) for field in schema], schema=schema)


def _column(table: str, field: pa.Field, rows: list[dict], run_id: str) -> pa.Array:
    values = [row.get(field.name) for row in rows]
    if field.name == "run_id":
        if any(value not in (None, run_id) for value in values):
            raise InvalidRowsError(f"{table}.run_id: rows carry another run_id than {run_id!r}")
        values = [run_id] * len(rows)
    try:
        if pa.types.is_timestamp(field.type):
            values = [_utc(value) for value in values]
        column = pa.array(values, type=field.type)
    except (pa.ArrowException, TypeError, ValueError, OverflowError) as exc:
        raise InvalidRowsError(f"{table}.{field.name}: {exc}") from exc
    if not field.nullable and column.null_count:
        raise InvalidRowsError(f"{table}.{field.name}: required, missing in {column.null_count} of {len(rows)} rows")
    return column


def _utc(value: datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime or an ISO 8601 string, got {type(value).__name__}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
