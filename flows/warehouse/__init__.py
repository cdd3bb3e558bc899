"""Storage: Parquet part files per table and DuckDB views over them; the schema is `schema.TABLES`."""

from flows.warehouse.known import Known, Signatures
from flows.warehouse.rows import InvalidRowsError
from flows.warehouse.schema import SCHEMA_VERSION, TABLES, SchemaVersionError
from flows.warehouse.store import Warehouse

__all__ = ["SCHEMA_VERSION", "TABLES", "InvalidRowsError", "Known", "SchemaVersionError", "Signatures", "Warehouse"]
