"""A source's home province from what its articles name: the province whose comuni its datelines name in full
most often ("MODENA —", "CARPI."), with counts from elsewhere (its stored articles' mentions) added."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from nlp.conventions import DATELINE
from nlp.gazetteers.places import PlaceIndex

MIN_MENTIONS = 5  # comuni named, at least, before a province is a source's home
MIN_SHARE = 0.3  # ...and the share of them in that province


def dateline_provinces(texts: Iterable[str], places: PlaceIndex) -> Counter[str]:
    """The ISTAT codes of the provinces of the comuni that open `texts` by their full names."""
    found: Counter[str] = Counter()
    for text in texts:
        opening = DATELINE.match(text.lstrip())
        if opening is None:
            continue
        near = places.context([], [opening["sigla"]])
        comune = places.resolve(opening["place"], ["comune"], near if opening["sigla"] else None)
        if comune is not None and comune.province:
            found[comune.province] += 1
    return found


def named_most(provinces: Counter[str]) -> str | None:
    """The province named most, when enough comuni were named and enough of them lie in it."""
    if not provinces:
        return None
    (province, count), total = provinces.most_common(1)[0], sum(provinces.values())
    return province if total >= MIN_MENTIONS and count >= MIN_SHARE * total else None
