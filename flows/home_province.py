"""Each source's home province: the province near which its local place names are resolved ("CASTELNUOVO." in a
Modena paper is Castelnuovo Rangone; see nlp/components/places.py).

A source's `province` setting, else the province of the comuni its articles name most
(`nlp.gazetteers.home`): the comuni its stored articles mention and those the datelines of this run's posts name
in full; else none.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from flows.records import PreparedPost
from flows.settings import Settings
from flows.warehouse import Warehouse

_COMUNI_NAMED = """
SELECT a.source, m.istat_code, count(*) AS mentions
FROM mentions m JOIN articles a USING (article_id)
WHERE m.place_kind = 'comune' AND m.istat_code IS NOT NULL AND a.source IN (SELECT unnest($sources::VARCHAR[]))
GROUP BY ALL
"""


def home_provinces(settings: Settings, warehouse: Warehouse, posts: list[PreparedPost]) -> dict[str, str]:
    """Source name -> home province (a sigla, name or ISTAT code, as the places read it), for the sources of
    `posts`."""
    found = {source.name: source.province for source in settings.sources if source.province}
    unset = {post.source for post in posts} - set(found)
    if unset:
        found |= mostly_named(settings, warehouse, [post for post in posts if post.source in unset])
    return found


def mostly_named(settings: Settings, warehouse: Warehouse, posts: list[PreparedPost]) -> dict[str, str]:
    """The ISTAT code of the province whose comuni each source's articles name most."""
    from nlp.gazetteers.home import dateline_provinces, named_most
    from nlp.gazetteers.places import load_places

    places = load_places(settings.nlp.gazetteer.folder)
    with warehouse.connect() as db:
        rows = db.execute(_COMUNI_NAMED, {"sources": sorted({post.source for post in posts})}).fetchall()
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    for source, code, mentions in rows:
        comune = places.comune(code)
        if comune is not None and comune.province:
            by_source[source][comune.province] += mentions
    for source in {post.source for post in posts}:
        by_source[source] += dateline_provinces((post.text for post in posts if post.source == source), places)
    return {source: home for source, counts in by_source.items() if (home := named_most(counts))}
