"""DuckDB queries over the warehouse views: the articles of a window and the entities they mention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from flows.digests.subscriptions import Window
from flows.settings import Subscription


@dataclass(frozen=True)
class Candidate:
    """An article collected in the window, with how it matches the subscription's themes, entities and places."""

    article_id: str
    title: str | None
    url: str | None
    source: str
    published_at: datetime | None
    collected_at: datetime
    summary: str
    sentiment_label: str
    sentiment_score: float
    themes: list[str]  # all theme labels of the article, best first
    key_entities: list[str]  # its most mentioned organisations, people and places
    theme_score: float  # sum of the scores of the subscribed themes
    entity_mentions: int  # mentions of the subscribed entities
    place_mentions: int  # mentions of the subscribed places (by name or region)


_CANDIDATES = """
WITH topics AS (
    SELECT $themes::VARCHAR[] AS themes, $entities::VARCHAR[] AS entities, $places::VARCHAR[] AS places
),
win AS (
    SELECT * FROM articles WHERE collected_at >= $start AND collected_at < $end
),
th AS (
    SELECT article_id,
           list(theme_label ORDER BY score DESC) AS themes,
           coalesce(sum(score) FILTER (
               WHERE list_contains(topics.themes, lower(theme_id)) OR list_contains(topics.themes, lower(theme_label))
           ), 0) AS theme_score
    FROM themes, topics WHERE article_id IN (SELECT article_id FROM win)
    GROUP BY article_id
),
me AS (
    SELECT article_id,
           count(*) FILTER (WHERE list_contains(topics.entities, lower(canonical))) AS entity_mentions,
           count(*) FILTER (
               WHERE label = 'LOC'
                 AND (list_contains(topics.places, lower(canonical)) OR list_contains(topics.places, lower(region)))
           ) AS place_mentions
    FROM mentions, topics WHERE article_id IN (SELECT article_id FROM win)
    GROUP BY article_id
),
per_entity AS (
    SELECT article_id, canonical, count(*) AS n
    FROM mentions
    WHERE article_id IN (SELECT article_id FROM win) AND label IN ('ORG', 'PER', 'LOC')
    GROUP BY article_id, canonical
),
ke AS (
    SELECT article_id, list(canonical ORDER BY n DESC, canonical) AS entities
    FROM (
        SELECT *, row_number() OVER (PARTITION BY article_id ORDER BY n DESC, canonical) AS rank FROM per_entity
    )
    WHERE rank <= $key_entities
    GROUP BY article_id
)
SELECT win.article_id, win.title, coalesce(win.canonical_url, win.url) AS url, win.source,
       -- nothing collected in the window was published after it (an old warehouse may hold year 9999): unknown
       CASE WHEN win.published_at < $end THEN win.published_at END AS published_at,
       win.collected_at, win.summary, win.sentiment_label, win.sentiment_score,
       coalesce(th.themes, []) AS themes, coalesce(ke.entities, []) AS key_entities,
       coalesce(th.theme_score, 0) AS theme_score,
       coalesce(me.entity_mentions, 0) AS entity_mentions, coalesce(me.place_mentions, 0) AS place_mentions
FROM win
LEFT JOIN th USING (article_id)
LEFT JOIN me USING (article_id)
LEFT JOIN ke USING (article_id)
ORDER BY win.collected_at DESC, win.article_id
"""


def candidates(
    con: duckdb.DuckDBPyConnection, subscription: Subscription, window: Window, key_entities: int
) -> list[Candidate]:
    """Every article whose `collected_at` is in `window`, scored against the subscription's structured topics."""
    params = {
        "start": window.start,
        "end": window.end,
        "themes": _lowered(subscription.themes),
        "entities": _lowered(subscription.entities),
        "places": _lowered(subscription.places),
        "key_entities": key_entities,
    }
    cursor = con.execute(_CANDIDATES, params)
    names = [column[0] for column in cursor.description]
    return [Candidate(**dict(zip(names, row, strict=True))) for row in cursor.fetchall()]


@dataclass(frozen=True)
class EntityCount:
    canonical: str
    articles: int  # in the current window
    previous: int  # in the previous window


_ENTITY_COUNTS = """
WITH cur AS (SELECT unnest($current::VARCHAR[]) AS article_id),
     prev AS (SELECT unnest($previous::VARCHAR[]) AS article_id),
     hits AS (
         SELECT canonical, article_id FROM mentions
         WHERE label = $label AND article_id IN (SELECT article_id FROM cur UNION ALL SELECT article_id FROM prev)
     )
SELECT canonical,
       count(DISTINCT article_id) FILTER (WHERE article_id IN (SELECT article_id FROM cur)) AS articles,
       count(DISTINCT article_id) FILTER (WHERE article_id IN (SELECT article_id FROM prev)) AS previous
FROM hits
GROUP BY canonical
HAVING articles > 0
ORDER BY articles DESC, previous, canonical
LIMIT $limit
"""


def entity_counts(
    con: duckdb.DuckDBPyConnection, label: str, current: list[str], previous: list[str], limit: int
) -> list[EntityCount]:
    """The `label` entities (ORG, LOC, ...) mentioned by most `current` articles, with their count in `previous`."""
    params = {"label": label, "current": current, "previous": previous, "limit": limit}
    return [EntityCount(*row) for row in con.execute(_ENTITY_COUNTS, params).fetchall()]


def _lowered(values: list[str]) -> list[str]:
    return [value.strip().lower() for value in values if value.strip()]


@dataclass(frozen=True)
class EntityTone:
    canonical: str
    good: int  # articles whose mentions of it are more often positive than negative
    bad: int  # ...more often negative than positive


_ENTITY_TONES = """
WITH per_article AS (
    SELECT canonical, article_id,
           count(*) FILTER (WHERE tone_label = 'positive') - count(*) FILTER (WHERE tone_label = 'negative') AS net
    FROM mentions
    WHERE label = $label AND article_id IN (SELECT unnest($current::VARCHAR[]))
    GROUP BY canonical, article_id
)
SELECT canonical, count(*) FILTER (WHERE net > 0) AS good, count(*) FILTER (WHERE net < 0) AS bad
FROM per_article
GROUP BY canonical
"""


def entity_tones(
    con: duckdb.DuckDBPyConnection, label: str, current: list[str], limit: int
) -> tuple[list[EntityTone], list[EntityTone]]:
    """The `label` entities with the most good news and with the most bad news in the `current` articles."""
    rows = [EntityTone(*row) for row in con.execute(_ENTITY_TONES, {"label": label, "current": current}).fetchall()]
    good = sorted((r for r in rows if r.good), key=lambda r: (-r.good, r.bad, r.canonical))[:limit]
    bad = sorted((r for r in rows if r.bad), key=lambda r: (-r.bad, r.good, r.canonical))[:limit]
    return good, bad
