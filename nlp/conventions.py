"""rassegna's entity conventions, as plain functions over text and character spans.

What a newspaper reader would count (the NER model card states them in full):
- a place stays a place when it acts: an ORG whose whole text is a country, region or city is LOC
  ("l'Italia ha chiesto", "la Germania frena"); a body named after a place ("Regione Lombardia",
  "Comune di Milano") is longer than the place name and stays ORG;
- a common noun is no named entity: a span without a capital letter ("governo", "polizia") is dropped;
- plans, laws, events and generic categories (`not_entities.txt`: PNRR, Jobs Act, Expo, "Piccola e
  Media Impresa") are no organisation: a span that is one, or a fragment of one, is dropped (a longer
  name around one, "Consiglio di Stato", stays);
- a span never crosses a line break: it ends at the first one.

The spaCy component applies them to predictions; `rassegna eval ner --conventions rassegna` applies
the same functions to the gold spans, so both sides are scored under one convention.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from nlp.corpora import CharSpan
from nlp.gazetteers.places import PlaceIndex

NOT_ENTITIES = "not_entities.txt"
ACTING_PLACE_KINDS = ("country", "regione", "comune", "city")


@cache
def not_entity_pattern(folder: Path) -> re.Pattern:
    lines = (Path(folder) / NOT_ENTITIES).read_text(encoding="utf-8").splitlines()
    phrases = sorted({line.strip() for line in lines if line.strip() and not line.startswith("#")}, key=len)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in reversed(phrases)) + r")(?!\w)", re.IGNORECASE)


def excluded(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


def is_common_noun(text: str) -> bool:
    return not any(char.isupper() for char in text)


def is_place(text: str, places: PlaceIndex) -> bool:
    return bool(places.candidates(text, ACTING_PLACE_KINDS))


def until_line_break(text: str, span: CharSpan) -> CharSpan | None:
    """The span cut at its first line break (None when nothing but blanks is left)."""
    inside = text[span.start : span.end]
    if "\n" not in inside:
        return span
    kept = inside.split("\n", 1)[0].rstrip()
    return CharSpan(span.start, span.start + len(kept), span.label) if kept.strip() else None


def apply(text: str, spans: list[CharSpan], places: PlaceIndex, not_entities: re.Pattern) -> list[CharSpan]:
    """The spans under rassegna's conventions: cut at line breaks, acting places LOC, no common nouns or plans."""
    blocked = excluded(text, not_entities)
    out = []
    for span in spans:
        span = until_line_break(text, span)
        if span is None:
            continue
        surface = text[span.start : span.end]
        if is_common_noun(surface) or any(s <= span.start and span.end <= e for s, e in blocked):
            continue
        if span.label == "ORG" and is_place(surface, places):
            span = CharSpan(span.start, span.end, "LOC")
        out.append(span)
    return out


DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-ZÀ-Ý][\w'’\-]*(?:[ ][A-ZÀ-Ý][\w'’\-]*){0,3})"  # ROMA, Reggio Emilia
    r"(?:[ ]\([A-Za-z]{2,}\))?"  # (MI), (ANSA)
    r"(?:,[ ]*\d{1,2}[ ]+[a-zà-ù]+\.?(?:[ ]+\d{4})?)?"  # , 3 dicembre 2025
    r"[ ]*(?:—|–|-|\.|:)[ ]"
)


def datelines(text: str, places: PlaceIndex) -> list[CharSpan]:
    """Datelines opening the text or a paragraph ("ROMA — ", "MILANO, 3 dicembre — ", "TRENTO. La giunta")."""
    return [
        CharSpan(match.start("place"), match.end("place"), "LOC")
        for match in DATELINE.finditer(text)
        if is_place(match["place"], places)
    ]
