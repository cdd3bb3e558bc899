"""Which place a LOC mention means, from its name and the words around it.

- A natural feature right before the mention ("lago di Como", "stretto di Messina") means the feature: the place
  named by the whole phrase (the curated area "Lago di Como") if there is one, else none, never the comune.
  A mention holding the whole phrase ("Lago di Como") resolves by that name.
- "provincia di" / "città metropolitana di", "regione", "comune di" before or inside the mention select that kind.
- Otherwise the place index decides: a comune over the province named after it, a country over its own city of the
  same name, a region over a small comune of the same name; any other ambiguity, and any unknown name, is none.
"""

from __future__ import annotations

from spacy.tokens import Span

from nlp.gazetteers.names import fold
from nlp.gazetteers.places import Place, PlaceIndex

FEATURES = frozenset(
    {"lago", "laghi", "golfo", "stretto", "monte", "monti", "fiume", "isola", "isole"}
    | {"mar", "mare", "val", "valle", "laguna", "riviera"}
)
FEATURE_LINKS = frozenset(["di", "del", "della", "dello", "dei", "degli", "delle", "dell'", "d'"])
KIND_PREFIXES = {
    ("provincia", "di"): "provincia",
    ("citta", "metropolitana", "di"): "provincia",
    ("regione",): "regione",
    ("comune", "di"): "comune",
}


def place_of(places: PlaceIndex, mention: Span) -> Place | None:
    doc = mention.doc
    feature = feature_before(mention)
    if feature is not None:  # "lago di Como" is the lake, "Valle d'Aosta" the region
        return places.resolve(doc[feature : mention.end].text)
    words = [fold(token.text) for token in mention]
    for prefix, kind in KIND_PREFIXES.items():
        if tuple(words[: len(prefix)]) == prefix and len(words) > len(prefix):
            return places.resolve(mention[len(prefix) :].text, [kind])
        before = [fold(token.text) for token in doc[max(0, mention.start - len(prefix)) : mention.start]]
        if tuple(before) == prefix:
            return places.resolve(mention.text, [kind])
    return places.resolve(mention.text)


def feature_before(mention: Span) -> int | None:
    """Index of a feature word right before the mention, with or without a link: "lago di", "lago"."""
    doc, start = mention.doc, mention.start
    if start > 0 and fold(doc[start - 1].text) in FEATURE_LINKS:
        start -= 1
    if start > 0 and fold(doc[start - 1].text) in FEATURES:
        return start - 1
    return None
