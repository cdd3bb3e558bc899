from __future__ import annotations

import json
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from flows.query import EXAMPLES, QueryError, export, read_sql, run_query, table
from flows.settings import CONFIG_ENV
from flows.warehouse import Warehouse
from tests.flows.warehouse.warehouse_samples import FINANCE, INDUSTRY, LABOUR


def plain(df: pd.DataFrame) -> list[tuple]:
    """Rows as tuples of plain Python values (lists for arrays, None for missing)."""

    def value(cell):
        if isinstance(cell, np.ndarray):
            return cell.tolist()
        if cell is pd.NaT or (isinstance(cell, float) and np.isnan(cell)):
            return None
        return cell.to_pydatetime() if isinstance(cell, pd.Timestamp) else cell

    return [tuple(value(cell) for cell in row) for row in df.itertuples(index=False)]


EXPECTED = [
    # top organisations in March 2024, the latest month: "Intesa" and "Intesa Sanpaolo" counted as one
    [("Intesa Sanpaolo", 3), ("Pirelli", 1), ("Stellantis", 1)],
    # tone by source: net tone = mean of the articles' tone
    [
        ("corriere", 2, 1, 0, 1, pytest.approx(-0.05)),
        ("ilsole24ore", 1, 1, 0, 0, 0.75),
        ("repubblica", 1, 0, 1, 0, 0.0),
    ],
    # Lombardia: Bergamo in a2, Milano in a4 (no publication date: last)
    [
        ("a2", "Pirelli investe a Bergamo", "corriere", datetime(2024, 3, 12, 10, tzinfo=UTC), ["Bergamo"]),
        ("a4", "Stellantis e Intesa Sanpaolo firmano un accordo", "repubblica", None, ["Milano"]),
    ],
    # tone towards organisations
    [
        ("Intesa Sanpaolo", 3, 2, 1, 0, pytest.approx(0.53)),
        ("Stellantis", 2, 0, 1, 1, pytest.approx(-0.39)),
        ("Pirelli", 1, 1, 0, 0, 0.88),
    ],
    # themes per ISO week (Monday); a4 counts in the week it was collected
    [
        (date(2024, 2, 19), INDUSTRY, 1),
        (date(2024, 2, 19), LABOUR, 1),
        (date(2024, 3, 4), FINANCE, 1),
        (date(2024, 3, 11), FINANCE, 1),
        (date(2024, 3, 11), INDUSTRY, 1),
        (date(2024, 3, 18), FINANCE, 1),
    ],
]


@pytest.mark.parametrize(
    ("example", "expected"), list(zip(EXAMPLES, EXPECTED, strict=True)), ids=[q for q, _ in EXAMPLES]
)
def test_examples_answer_their_questions(sample_warehouse, example, expected):
    _, sql = example

    rows = plain(run_query(sample_warehouse, sql))

    if rows and isinstance(rows[0][0], datetime):  # DuckDB DATE comes back as a midnight timestamp
        rows = [(row[0].date(), *row[1:]) for row in rows]
    assert rows == expected


@pytest.mark.parametrize(("question", "sql"), EXAMPLES)
def test_examples_run_on_an_empty_warehouse(tmp_path, question, sql):
    assert run_query(Warehouse(tmp_path / "wh"), sql).empty


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_export_writes_each_format_atomically(sample_warehouse, tmp_path, fmt):
    entities = table("entities", sample_warehouse)
    path = tmp_path / "out" / f"entities.{fmt}"

    assert export(entities, path, fmt) == path

    if fmt == "csv":
        back = pd.read_csv(path)
        variants = back["variants"].map(json.loads)
    elif fmt == "json":
        records = json.loads(path.read_text(encoding="utf-8"))
        back = pd.DataFrame(records)
        variants = back["variants"]
        intesa = next(record for record in records if record["entity_id"] == "Q-intesa")
        assert intesa["first_seen"] == "2024-03-04T07:30:00.000Z"
    else:
        back = pd.read_parquet(path)
        variants = back["variants"].map(list)
        assert back["first_seen"].tolist() == entities["first_seen"].tolist()
    assert back["entity_id"].tolist() == entities["entity_id"].tolist()
    assert variants.tolist() == [list(v) for v in entities["variants"]]
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_export_takes_the_format_from_the_suffix_and_refuses_unknown_ones(sample_warehouse, tmp_path):
    runs = table("runs", sample_warehouse)

    export(runs, tmp_path / "runs.json")
    with pytest.raises(ValueError, match="xlsx"):
        export(runs, tmp_path / "runs.xlsx")

    assert json.loads((tmp_path / "runs.json").read_text())[0]["stored"] == 4
    assert not (tmp_path / "runs.xlsx").exists()


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELEC title FROM articles", 'Parser Error: syntax error at or near "SELEC"'),
        ("SELECT titolo FROM articles", 'Binder Error: Referenced column "titolo" not found'),
        ("SELECT * FROM notizie", "Catalog Error: Table with name notizie does not exist!"),
        ("", "expected one SQL statement, got 0"),
    ],
)
def test_invalid_sql_raises_a_one_line_query_error(sample_warehouse, sql, message):
    with pytest.raises(QueryError) as error:
        run_query(sample_warehouse, sql)

    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE notes AS SELECT * FROM articles",
        "INSERT INTO articles (article_id) VALUES ('x')",
        "DROP VIEW articles",
        "COPY (SELECT * FROM articles) TO '{out}'",
        "SELECT 1; DROP VIEW articles",
    ],
)
def test_writes_through_run_query_are_refused(sample_warehouse, tmp_path, sql):
    out = tmp_path / "leak.csv"

    with pytest.raises(QueryError):
        run_query(sample_warehouse, sql.format(out=out))

    assert not out.exists()
    assert run_query(sample_warehouse, "SELECT count(*) AS n FROM articles")["n"].tolist() == [4]


def test_read_sql_and_table_use_the_configured_warehouse(sample_warehouse, monkeypatch):
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    monkeypatch.setenv("RASSEGNA_WAREHOUSE__FOLDER", str(sample_warehouse.folder))

    sources = read_sql("SELECT DISTINCT source FROM articles ORDER BY source")
    rejected = table("rejected")

    assert sources["source"].tolist() == ["corriere", "ilsole24ore", "repubblica"]
    assert rejected["reason"].tolist() == ["language", "duplicate_url"]
    with pytest.raises(QueryError, match="unknown table 'notizie'"):
        table("notizie")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM glob('/root/*')",
        "SELECT content FROM read_text('/proc/self/environ')",  # the SMTP password lives there
        "SELECT * FROM read_csv('/etc/hosts')",
        "SELECT * FROM read_parquet('https://example.org/x.parquet')",
        "SELECT * FROM read_text('WAREHOUSE/../outside.txt')",
    ],
)
def test_queries_cannot_read_outside_the_warehouse(sample_warehouse, tmp_path, sql):
    (tmp_path / "outside.txt").write_text("segreto")

    with pytest.raises(QueryError, match="disabled by configuration|Permission"):
        run_query(sample_warehouse, sql.replace("WAREHOUSE", str(sample_warehouse.folder)))


def test_the_sandbox_is_on_and_locked_while_the_warehouse_reads_as_before(sample_warehouse):
    assert run_query(sample_warehouse, "SELECT current_setting('enable_external_access') AS a")["a"].tolist() == [False]
    assert run_query(sample_warehouse, "SELECT current_setting('lock_configuration') AS a")["a"].tolist() == [True]
    assert run_query(sample_warehouse, "SELECT count(*) AS n FROM articles")["n"].tolist() == [4]
