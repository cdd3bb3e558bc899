"""Analyst SQL over the warehouse views (read-only), results as pandas, and exports to csv/json/parquet.

In a notebook: `from flows.query import read_sql; df = read_sql("SELECT source, count(*) FROM articles GROUP BY 1")`
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from flows.settings import load
from flows.warehouse import TABLES, Warehouse
from flows.warehouse.atomic import atomic_path
from flows.warehouse.location import sql_location
from flows.warehouse.views import glob_escaped

FORMATS = ("csv", "json", "parquet")

EXAMPLES: list[tuple[str, str]] = [
    (
        "Which organisations were in the most articles in the latest month of data?",
        """
WITH dated AS (
    SELECT article_id, date_trunc('month', coalesce(published_at, collected_at)) AS month FROM articles
)
SELECT e.canonical AS organisation, count(DISTINCT m.article_id) AS articles
FROM mentions m
JOIN entities e USING (entity_id)
JOIN dated d USING (article_id)
WHERE m.label = 'ORG' AND d.month = (SELECT max(month) FROM dated)
GROUP BY e.canonical
ORDER BY articles DESC, organisation
LIMIT 20
""",
    ),
    (
        "How positive or negative is each source?",
        """
SELECT source,
       count(*) AS articles,
       count(*) FILTER (WHERE sentiment_label = 'positive') AS positive,
       count(*) FILTER (WHERE sentiment_label = 'neutral') AS neutral,
       count(*) FILTER (WHERE sentiment_label = 'negative') AS negative,
       round(avg(tone), 3) AS net_tone
FROM articles
GROUP BY source
ORDER BY articles DESC, source
""",
    ),
    (
        "Which articles mention a place in Lombardia?",
        """
SELECT a.article_id, a.title, a.source, a.published_at, list(DISTINCT m.canonical ORDER BY m.canonical) AS places
FROM articles a
JOIN mentions m USING (article_id)
WHERE m.region = 'Lombardia'
GROUP BY a.article_id, a.title, a.source, a.published_at
ORDER BY a.published_at DESC NULLS LAST, a.article_id
""",
    ),
    (
        "What is the tone of the articles towards each organisation?",
        """
WITH towards AS (  -- the tone of each article towards each organisation it names
    SELECT DISTINCT m.article_id, e.canonical, m.tone_label, m.tone_score
    FROM mentions m
    JOIN entities e USING (entity_id)
    WHERE m.label = 'ORG' AND m.tone_label IS NOT NULL
)
SELECT canonical AS organisation,
       count(*) AS articles,
       count(*) FILTER (WHERE tone_label = 'positive') AS positive,
       count(*) FILTER (WHERE tone_label = 'neutral') AS neutral,
       count(*) FILTER (WHERE tone_label = 'negative') AS negative,
       round(avg(tone_score), 3) AS net_tone
FROM towards
GROUP BY canonical
ORDER BY articles DESC, organisation
""",
    ),
    (
        "How many articles did each theme get, week by week?",
        """
SELECT CAST(date_trunc('week', coalesce(a.published_at, a.collected_at)) AS DATE) AS week,
       t.theme_label AS theme,
       count(DISTINCT t.article_id) AS articles
FROM themes t
JOIN articles a USING (article_id)
GROUP BY week, theme
ORDER BY week, articles DESC, theme
""",
    ),
]


class QueryError(Exception):
    """SQL the warehouse refused: DuckDB's message on one line, or a write attempt."""


SANDBOX = (
    "SET enable_external_access = false",
    "SET autoload_known_extensions = false",
    "SET autoinstall_known_extensions = false",
    "SET lock_configuration = true",
)


def run_query(warehouse: Warehouse, sql: str) -> pd.DataFrame:
    """Run one SELECT on a read-only connection; anything else (or invalid SQL) raises `QueryError`.

    The connection reads only the warehouse (its folder, and its tables' bucket if elsewhere): no other file
    (`/proc/self/environ` holds secrets), no other network, no extension loading, and the query cannot turn these
    settings back on.
    """
    with warehouse.connect(read_only=True) as con:
        readable = {f"{warehouse.folder.resolve()}/", f"{sql_location(warehouse.tables)}/"}
        readable |= {glob_escaped(path) for path in readable}  # as the views' globs spell the folder
        con.execute("SET allowed_directories = ?", [sorted(readable)])
        for setting in SANDBOX:
            con.execute(setting)
        try:
            statements = con.extract_statements(sql)
            if len(statements) != 1:
                raise QueryError(f"expected one SQL statement, got {len(statements)}")
            kind = statements[0].type
            if kind != duckdb.StatementType.SELECT:
                raise QueryError(f"only read-only SELECT queries are allowed, not {kind.name}")
            return con.execute(sql).df()
        except duckdb.Error as exc:
            raise QueryError(_one_line(str(exc))) from exc


def read_sql(sql: str, warehouse: Warehouse | None = None) -> pd.DataFrame:
    """`sql` on the warehouse of the default settings (or `warehouse`), as a DataFrame."""
    return run_query(warehouse or Warehouse.configured(load().warehouse), sql)


def table(name: str, warehouse: Warehouse | None = None) -> pd.DataFrame:
    """A whole table (articles, mentions, themes, rejected, runs, entities) as a DataFrame."""
    if name not in TABLES:
        raise QueryError(f"unknown table {name!r}; the tables are {sorted(TABLES)}")
    return read_sql(f'SELECT * FROM "{name}"', warehouse)


def export(df: pd.DataFrame, path: Path, fmt: str | None = None, raw: bool = False) -> Path:
    """Write `df` atomically as csv, json (an array of records) or parquet; `fmt` defaults to `path`'s suffix. CSV
    cells that a spreadsheet would run as a formula are neutralised unless `raw` (`as_text`)."""
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    with atomic_path(path) as temp:
        if fmt == "parquet":
            df.to_parquet(temp, index=False)
        else:
            temp.write_text(as_text(df, fmt, raw), encoding="utf-8")
    return path


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula (OWASP CSV injection)


def as_text(df: pd.DataFrame, fmt: str, raw: bool = False) -> str:
    """`df` as csv or json (an array of records) text, as `export` writes it. In CSV a text cell starting with =, +,
    -, @, a tab or a carriage return gets a leading ' (OWASP's advice), so a title cannot run in a spreadsheet;
    `raw` leaves cells as they are."""
    if fmt == "csv":
        frame = _lists_as_json(df)
        return (frame if raw else _without_formulas(frame)).to_csv(index=False)
    if fmt == "json":
        return df.to_json(orient="records", date_format="iso", force_ascii=False, indent=1)
    raise ValueError(f"{fmt} is not a text format: use csv or json")


def _without_formulas(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_neutralised)
    return out


def _neutralised(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _lists_as_json(df: pd.DataFrame) -> pd.DataFrame:
    """List cells (keyphrases, variants, ...) as JSON arrays, so a CSV cell reads back with `json.loads`."""
    out = df.copy()
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]):
            out[column] = out[column].map(_json_if_list)
    return out


def _json_if_list(value: object) -> object:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, list) else value


def _one_line(message: str) -> str:
    """DuckDB's message without the quoted SQL and caret lines that follow it."""
    head = message.split("\n\nLINE ")[0]
    return " ".join(line.strip() for line in head.splitlines() if line.strip())
