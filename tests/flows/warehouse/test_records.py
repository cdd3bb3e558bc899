"""The record types of flows/warehouse/records.py mirror the warehouse schema, column for column."""

from __future__ import annotations

import pytest

from flows.warehouse.records import RECORDS
from flows.warehouse.schema import DERIVED, TABLES


def test_every_table_a_run_writes_has_a_record_type():
    assert set(RECORDS) == set(TABLES) - DERIVED


@pytest.mark.parametrize("table", sorted(RECORDS))
def test_a_record_has_the_tables_columns_and_requires_its_required_ones(table):
    record, schema = RECORDS[table], TABLES[table]
    assert record.__required_keys__ | record.__optional_keys__ == set(schema.names)
    filled_by_the_store = {"run_id"} if table != "runs" else set()
    required = {field.name for field in schema if not field.nullable} - filled_by_the_store
    assert record.__required_keys__ == required
