"""Which place a LOC mention means, from its name and the words around it.

- A natural feature right before the mention ("lago di Como", "stretto di Messina") means the feature: the place
  named by the whole phrase (the curated area "Lago di Como") if there is one, else none, never the comune.
  A mention holding the whole phrase ("Lago di Como") resolves by that name.
- "provincia di" / "città metropolitana di", "regione", "comune di" before or inside the mention select that kind.
- A province's sigla in parentheses ("Chiari (BS)") is the province.
- A place that only names something smaller ("via Roma", "parco Novi Sad", "cimitero di San Cataldo", "Balletto di
  Mosca") is none: a street, park or company named after a place is not that place.
- Otherwise the place index decides, near the story (`PlaceContext`: the source's home province, the dateline, the
  places the article names without doubt) first: the one comune of that name or local short name in those
  provinces, else regions ("CASTELNUOVO." in a Modena paper is Castelnuovo Rangone). Elsewhere, a comune over the
  province named after it, a country over its own city of the same name, a region over a small comune of the same
  name; any other ambiguity, and any unknown name, is none.
"""

from __future__ import annotations

from spacy.tokens import Span

from nlp.gazetteers.names import fold
from nlp.gazetteers.places import Place, PlaceContext, PlaceIndex

FEATURES = frozenset(
    {"lago", "laghi", "golfo", "stretto", "monte", "monti", "fiume", "isola", "isole"}
    | {"mar", "mare", "val", "valle", "laguna", "riviera"}
)
FEATURE_LINKS = frozenset(["di", "del", "della", "dello", "dei", "degli", "delle", "dell'", "d'"])
STREETS = frozenset(  # what is named after a place right before its name: "via Roma", "zona Novi Sad"
    {"via", "viale", "piazza", "piazzale", "corso", "largo", "vicolo", "strada", "lungomare", "parco", "giardini"}
    | {"zona", "quartiere", "rione", "hotel", "albergo", "ristorante", "palazzo", "galleria", "teatro", "cinema"}
    | {"stadio", "caserma"}
)
NAMED_AFTER = frozenset(  # ...and with "di": a cemetery named after a saint, a touring ballet, a club
    {"cimitero", "balletto", "orchestra", "coro", "squadra", "circolo", "chiesa", "basilica", "parrocchia"}
)
KIND_PREFIXES = {
    ("provincia", "di"): "provincia",
    ("citta", "metropolitana", "di"): "provincia",
    ("regione",): "regione",
    ("comune", "di"): "comune",
}


def place_of(places: PlaceIndex, mention: Span, context: PlaceContext | None = None) -> Place | None:
    doc = mention.doc
    feature = feature_before(mention)
    if feature is not None:  # "lago di Como" is the lake, "Valle d'Aosta" the region
        return places.resolve(doc[feature : mention.end].text)
    if named_after(mention, places):
        return None
    if len(mention.text) == 2 and mention.text.isupper():  # "Chiari (BS)": the province; "PD" alone: none
        within = doc.text[mention.start_char - 1 : mention.start_char] == "("
        return places.province(mention.text) if within else None
    words = [fold(token.text) for token in mention]
    for prefix, kind in KIND_PREFIXES.items():
        if tuple(words[: len(prefix)]) == prefix and len(words) > len(prefix):
            return places.resolve(mention[len(prefix) :].text, [kind])
        before = [fold(token.text) for token in doc[max(0, mention.start - len(prefix)) : mention.start]]
        if tuple(before) == prefix:
            return places.resolve(mention.text, [kind])
    return places.resolve(mention.text, context=context)


def named_after(mention: Span, places: PlaceIndex) -> bool:
    """Whether the mention names a street, park, building or group after a place: "via Roma", "zona Novi Sad",
    "cimitero di San Cataldo", "Balletto di Mosca" (the word inside the mention, unless it is a place's own name,
    "Palazzo San Gervasio", or just before it)."""
    doc, start = mention.doc, mention.start
    if len(mention) > 1 and fold(mention[0].text) in STREETS | NAMED_AFTER and not places.candidates(mention.text):
        return True
    if start > 0 and fold(doc[start - 1].text) in STREETS:
        return True
    return start > 1 and fold(doc[start - 1].text) in FEATURE_LINKS and fold(doc[start - 2].text) in NAMED_AFTER


def feature_before(mention: Span) -> int | None:
    """Index of a feature word right before the mention, with or without a link: "lago di", "lago"."""
    doc, start = mention.doc, mention.start
    if start > 0 and fold(doc[start - 1].text) in FEATURE_LINKS:
        start -= 1
    if start > 0 and fold(doc[start - 1].text) in FEATURES:
        return start - 1
    return None
