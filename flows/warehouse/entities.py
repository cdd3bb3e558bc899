"""The derived `entities` table: mentions merged by entity_id, with their most frequent names and places."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from flows.warehouse.schema import TABLES

PLACE_COLUMNS = ("place_kind", "istat_code", "region", "country_code", "latitude", "longitude")
_PLACE_LIST = ", ".join(PLACE_COLUMNS)

# ties between equally frequent values go to the first in sort order, so a rebuild is deterministic
ENTITIES_SQL = f"""
WITH
label_counts AS (SELECT entity_id, label, count(*) AS n FROM mentions GROUP BY ALL),
canonical_counts AS (SELECT entity_id, canonical, count(*) AS n FROM mentions GROUP BY ALL),
place_counts AS (
    SELECT entity_id, {_PLACE_LIST}, count(*) AS n
    FROM mentions
    WHERE NOT ({" AND ".join(f"{column} IS NULL" for column in PLACE_COLUMNS)})
    GROUP BY ALL
),
top_label AS (
    SELECT entity_id, first(label ORDER BY n DESC, label) AS label FROM label_counts GROUP BY entity_id
),
top_canonical AS (
    SELECT entity_id, first(canonical ORDER BY n DESC, canonical) AS canonical FROM canonical_counts GROUP BY entity_id
),
top_place AS (
    SELECT entity_id, first(struct_pack({_PLACE_LIST}) ORDER BY n DESC, {_PLACE_LIST}) AS place
    FROM place_counts GROUP BY entity_id
),
seen AS (
    SELECT article_id, min(coalesce(published_at, collected_at)) AS first_seen,
           max(coalesce(published_at, collected_at)) AS last_seen
    FROM articles GROUP BY article_id
),
totals AS (
    SELECT m.entity_id, list(DISTINCT m.text ORDER BY m.text) AS variants,
           count(DISTINCT m.article_id) AS article_count, count(*) AS mention_count,
           min(s.first_seen) AS first_seen, max(s.last_seen) AS last_seen
    FROM mentions m LEFT JOIN seen s USING (article_id)
    GROUP BY m.entity_id
)
SELECT t.entity_id, l.label, c.canonical, t.variants, t.article_count, t.mention_count, t.first_seen, t.last_seen,
       {", ".join(f"p.place.{column} AS {column}" for column in PLACE_COLUMNS)}
FROM totals t
JOIN top_label l USING (entity_id)
JOIN top_canonical c USING (entity_id)
LEFT JOIN top_place p USING (entity_id)
ORDER BY t.entity_id
"""


def compute_entities(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The entities table from the `mentions` and `articles` relations visible to `con`."""
    return con.sql(ENTITIES_SQL).to_arrow_table().cast(TABLES["entities"])
