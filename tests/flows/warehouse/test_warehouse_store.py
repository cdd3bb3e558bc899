from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import duckdb
import pytest

from flows.warehouse import TABLES, InvalidRowsError, SchemaVersionError, Warehouse
from flows.warehouse.atomic import atomic_path, write_text
from flows.warehouse.damage import DamagedWarehouseError
from flows.warehouse.lock import WarehouseBusyError
from tests.flows.warehouse.warehouse_samples import ARTICLES, MENTIONS, REJECTED, RUN_ID

STARTED = "2024-03-22T07:00:00Z"


def part_files(warehouse: Warehouse, table: str) -> list:
    return sorted((warehouse.folder / table).glob("*.parquet"))


def test_stored_rows_read_back_through_views(tmp_path):
    warehouse = Warehouse(tmp_path / "wh")
    warehouse.store(RUN_ID, {"articles": ARTICLES, "mentions": MENTIONS}, started_at=STARTED)

    assert len(part_files(warehouse, "articles")) == 1
    with warehouse.connect() as con:
        row = con.execute(
            "SELECT title, published_at, collected_at, word_count, keyphrases, minhash, run_id, author "
            "FROM articles WHERE article_id = 'a1'"
        ).fetchone()
        types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE articles)").fetchall())
        undated = con.execute("SELECT published_at FROM articles WHERE article_id = 'a4'").fetchone()
        places = con.execute("SELECT text, region FROM mentions WHERE region IS NOT NULL ORDER BY text").fetchall()
    title, published_at, collected_at, word_count, keyphrases, minhash, run_id, author = row
    assert title == "Intesa Sanpaolo, utile record nel trimestre"
    assert published_at == datetime(2024, 3, 4, 7, 30, tzinfo=UTC)  # +01:00 stored as UTC
    assert collected_at == datetime(2024, 3, 4, 8, 0, tzinfo=UTC)
    assert word_count == 17
    assert keyphrases == ["utile record", "guida"]
    assert minhash == ARTICLES[0]["minhash"]
    assert (run_id, author) == (RUN_ID, None)  # run_id filled by the store, missing optional column null
    assert undated == (None,)
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["minhash"] == "UINTEGER[]"
    assert places == [("Bergamo", "Lombardia"), ("Milano", "Lombardia"), ("Torino", "Piemonte")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lead": "Il testo"}, "articles: unknown columns ['lead']"),
        ({"text": None}, "articles.text: required"),
        ({"word_count": "diciassette"}, "articles.word_count"),
        ({"published_at": "4 marzo 2024"}, "articles.published_at"),
        ({"run_id": "another-run"}, "articles.run_id"),
    ],
)
def test_rows_that_do_not_fit_the_schema_are_refused(tmp_path, change, message):
    warehouse = Warehouse(tmp_path / "wh")

    with pytest.raises(InvalidRowsError, match=re.escape(message)):
        warehouse.append("articles", [ARTICLES[0], {**ARTICLES[1], **change}], RUN_ID)
    assert part_files(warehouse, "articles") == []


def test_append_without_rows_writes_nothing(tmp_path):
    warehouse = Warehouse(tmp_path / "wh")

    assert warehouse.append("themes", [], RUN_ID) is None
    assert not (tmp_path / "wh" / "themes").exists()


@pytest.mark.parametrize(("table", "run_id"), [("entities", RUN_ID), ("notizie", RUN_ID), ("articles", "../fuori")])
def test_append_refuses_derived_and_unknown_tables_and_unsafe_run_ids(tmp_path, table, run_id):
    with pytest.raises(ValueError):
        Warehouse(tmp_path / "wh").append(table, ARTICLES, run_id)
    assert not (tmp_path / "fuori").exists()


def test_concurrent_appends_write_separate_parts(tmp_path):
    warehouse = Warehouse(tmp_path / "wh")
    warehouse.ensure()

    with ThreadPoolExecutor(max_workers=4) as pool:
        paths = list(pool.map(lambda row: warehouse.append("mentions", [row], RUN_ID), MENTIONS))
    warehouse.store(RUN_ID, {}, started_at=STARTED)

    assert len(set(paths)) == len(MENTIONS)
    with warehouse.connect() as con:
        assert con.execute("SELECT count(*) FROM mentions").fetchone() == (len(MENTIONS),)


def test_writes_are_atomic_and_leave_no_temp_files(sample_warehouse):
    sample_warehouse.refresh_views()

    names = sorted(str(path.relative_to(sample_warehouse.folder)) for path in sample_warehouse.folder.rglob("*"))
    parts = [name for name in names if name.endswith(".parquet") and not name.startswith("entities/")]
    assert all(re.fullmatch(rf"\w+/part-{RUN_ID}-[0-9a-f]{{12}}\.parquet", name) for name in parts)
    assert len(parts) == 5
    assert not [name for name in names if name.endswith(".tmp")]
    assert {"schema.json", "rassegna.duckdb", "entities/entities.parquet"} <= set(names)


def test_a_failed_write_keeps_the_old_file_and_no_temp_file(tmp_path):
    target = write_text(tmp_path / "schema.json", '{"schema_version": 1}\n')

    with pytest.raises(RuntimeError), atomic_path(target) as temp:
        temp.write_text('{"schema_vers')
        raise RuntimeError("disk full")

    assert target.read_text() == '{"schema_version": 1}\n'
    assert [path.name for path in tmp_path.iterdir()] == ["schema.json"]


def test_a_new_warehouse_records_its_schema_version(tmp_path):
    Warehouse(tmp_path / "wh").ensure()

    assert json.loads((tmp_path / "wh" / "schema.json").read_text()) == {"schema_version": 2}


def test_another_schema_version_is_refused_with_a_one_line_error(tmp_path):
    folder = tmp_path / "wh"
    folder.mkdir()
    (folder / "schema.json").write_text('{"schema_version": 1}')
    warehouse = Warehouse(folder)

    with pytest.raises(SchemaVersionError) as error:
        warehouse.ensure()
    message = str(error.value)
    assert "schema version 1" in message and "expects 2" in message and "\n" not in message
    with pytest.raises(SchemaVersionError):
        warehouse.append("articles", ARTICLES, RUN_ID)
    assert sorted(path.name for path in folder.iterdir()) == ["schema.json"]


def test_an_empty_warehouse_has_typed_empty_views(tmp_path):
    warehouse = Warehouse(tmp_path / "wh")

    with warehouse.connect() as con:
        counts = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}
        types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE entities)").fetchall())
        joined = con.execute(
            "SELECT a.title, e.canonical FROM articles a JOIN mentions m USING (article_id) JOIN entities e "
            "USING (entity_id) WHERE e.region = 'Lombardia' AND a.published_at > TIMESTAMPTZ '2024-01-01 00:00Z'"
        ).fetchall()
    assert counts == dict.fromkeys(TABLES, 0)
    assert list(types) == TABLES["entities"].names
    assert types["variants"] == "VARCHAR[]" and types["first_seen"] == "TIMESTAMP WITH TIME ZONE"
    assert joined == []


def test_an_open_connection_sees_parts_written_later(tmp_path):
    warehouse = Warehouse(tmp_path / "wh")

    with warehouse.connect() as con:
        before = con.execute("SELECT count(*) FROM rejected").fetchone()
        warehouse.store(RUN_ID, {"rejected": REJECTED}, started_at=STARTED)
        after = con.execute("SELECT count(*) FROM rejected").fetchone()
    assert (before, after) == ((0,), (2,))


def test_connections_are_read_only_by_default(sample_warehouse):
    with sample_warehouse.connect() as con, pytest.raises(duckdb.Error, match="read-only"):
        con.execute("CREATE TABLE notes AS SELECT 1 AS n")


def test_a_moved_warehouse_still_reads_its_own_parts(sample_warehouse, tmp_path):
    moved = Warehouse(shutil.move(sample_warehouse.folder, tmp_path / "moved"))

    with moved.connect() as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (4,)


def test_a_damaged_views_file_is_rebuilt(sample_warehouse):
    sample_warehouse.views_file.write_bytes(b"not a DuckDB file")

    with sample_warehouse.connect() as con:
        assert con.execute("SELECT count(*) FROM themes").fetchone() == (6,)


def test_known_lists_what_is_stored_or_rejected(sample_warehouse):
    later = {**ARTICLES[1], "article_id": "a2-copy", "collected_at": "2024-03-23T07:00:00Z"}
    sample_warehouse.store("20240323T070000Z", {"articles": [later]}, started_at="2024-03-23T07:00:00Z")

    known = sample_warehouse.known()

    assert known.item_ids == {"a1", "a2", "a3", "a4", "a2-copy", "r1", "r2"}
    assert known.canonical_urls["https://www.corriere.it/economia/a2"] == "a2"  # the earliest collected wins
    assert known.content_hashes[ARTICLES[1]["content_hash"]] == "a2"
    signatures = list(known.signatures)
    assert [article_id for article_id, _ in signatures] == ["a1", "a4", "a2", "a3", "a2-copy"]
    assert dict(signatures)["a3"] == ARTICLES[2]["minhash"]
    assert list(known.signatures) == signatures  # iterable again


def test_known_of_an_empty_warehouse_is_empty(tmp_path):
    known = Warehouse(tmp_path / "wh").known()

    assert (known.item_ids, known.canonical_urls, known.content_hashes, list(known.signatures)) == (
        frozenset(),
        {},
        {},
        [],
    )


def test_rows_of_a_run_show_only_once_its_runs_row_is_stored(tmp_path):
    warehouse = Warehouse(tmp_path / "wh")
    warehouse.append("articles", ARTICLES, RUN_ID)  # a run killed before its commit
    warehouse.append("mentions", MENTIONS, RUN_ID)

    with warehouse.connect() as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    assert warehouse.known().item_ids == frozenset()
    assert list(warehouse.known().signatures) == []


def test_a_writer_drops_what_a_crashed_run_left_and_a_second_writer_is_refused(tmp_path):
    warehouse = Warehouse(tmp_path / "wh")
    warehouse.append("articles", ARTICLES, "crashed")
    (warehouse.folder / "articles" / ".part-x.parquet.0123.tmp").write_bytes(b"half")

    with warehouse.writing():
        assert part_files(warehouse, "articles") == []
        assert not list((warehouse.folder / "articles").glob(".*.tmp"))
        with (
            pytest.raises(WarehouseBusyError, match="another rassegna run is writing"),
            Warehouse(warehouse.folder).writing(),
        ):
            pass
    with warehouse.writing():  # released
        pass


def test_a_truncated_part_stops_writers_with_a_pointer_to_the_doctor(sample_warehouse):
    part = part_files(sample_warehouse, "mentions")[0]
    part.write_bytes(part.read_bytes()[:100])

    with pytest.raises(DamagedWarehouseError, match="rassegna doctor"), sample_warehouse.writing():
        pass
