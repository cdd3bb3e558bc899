"""rassegna's entity conventions, as plain functions over text and character spans.

What a newspaper reader would count (the NER model card states them in full):
- a convention fixes what a reader counts wrong and leaves alone what KIND counts right: a state that acts ("la
  Russia ha imposto", ORG in KIND) and a body named by a common noun ("il governo", "la polizia", ORG in KIND) stay
  as the model found them; a person or place without a capital letter is dropped;
- plans, laws, events, generic categories and idioms (`not_entities.txt`: PNRR, Jobs Act, Expo, PMI,
  "precedenti di Polizia") are no organisation: a span that is one, or a fragment of one, is dropped (a
  longer name around one, "Consiglio di Stato", stays);
- a generic head noun standing for a body named before, after an article ("la Fondazione", "il Comune"), is no
  entity; a province's sigla in parentheses ("Chiari (BS)") or an Italian area ("Brianza", "Lodigiano") is a
  place, never an organisation;
- a span does not end on a linking word: "Compagnia di" is "Compagnia" (the place after it is its own entity, as
  KIND annotates "Procura di Milano"; the canonical name joins them, `rassegna_canonical`);
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
AREA_KINDS = ("area",)
GENERIC_HEADS = frozenset(
    {"comune", "fondazione", "società", "azienda", "gruppo", "consorzio", "cooperativa", "associazione"}
)
ARTICLES = re.compile(
    r"(?:\b(?:il|lo|la|l'|l’|i|gli|le|del|dello|della|dell'|dell’|al|allo|alla|dal|dalla|nel|nella))\s*$", re.IGNORECASE
)
LINKS = frozenset({"di", "del", "della", "dello", "dei", "degli", "delle", "d'", "d’", "dell'", "dell’"})


@cache
def not_entity_pattern(folder: Path) -> re.Pattern:
    lines = (Path(folder) / NOT_ENTITIES).read_text(encoding="utf-8").splitlines()
    phrases = sorted({line.strip() for line in lines if line.strip() and not line.startswith("#")}, key=len)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in reversed(phrases)) + r")(?!\w)", re.IGNORECASE)


def excluded(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


def is_common_noun(text: str) -> bool:
    return not any(char.isupper() for char in text)


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
        span = without_trailing_link(text, span)
        if span is None:
            continue
        surface = text[span.start : span.end]
        if span.label != "ORG" and is_common_noun(surface):
            continue
        if any(s <= span.start and span.end <= e for s, e in blocked):
            continue
        if span.label == "ORG" and surface.lower() in GENERIC_HEADS and ARTICLES.search(text[: span.start]):
            continue
        if span.label == "ORG" and is_area(text, span, places):
            span = CharSpan(span.start, span.end, "LOC")
        out.append(span)
    return out


def is_area(text: str, span: CharSpan, places: PlaceIndex) -> bool:
    """An Italian area ("Brianza") or a province's sigla in parentheses ("Chiari (BS)"; PD alone is a party)."""
    surface = text[span.start : span.end]
    if len(surface) == 2 and surface.isupper():
        return text[span.start - 1 : span.start] == "(" and places.province(surface) is not None
    return any(area.country_code == "IT" for area in places.candidates(surface, AREA_KINDS))


def without_trailing_link(text: str, span: CharSpan) -> CharSpan | None:
    """The span without a linking word at its end ("Compagnia di" -> "Compagnia")."""
    words = text[span.start : span.end].split()
    if len(words) > 1 and words[-1].lower() in LINKS:
        kept = text[span.start : span.end].rstrip()[: -len(words[-1])].rstrip()
        return CharSpan(span.start, span.start + len(kept), span.label)
    return span


DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-ZÀ-Ý][\w'’\-]*(?:[ ][A-ZÀ-Ý][\w'’\-]*){0,3})"  # ROMA, Reggio Emilia
    r"(?:[ ]\((?P<sigla>[A-Za-z]{2,})\))?"  # (MI), (ANSA)
    r"(?:,[ ]*\d{1,2}[ ]+[a-zà-ù]+\.?(?:[ ]+\d{4})?)?"  # , 3 dicembre 2025
    r"[ ]*(?:—|–|-|\.|:|,)[ ]"
)
SUBTITLE_WORDS = 40  # the lines before the dateline that may be a title or sub-title, at most this many words each


def datelines(text: str, places: PlaceIndex) -> list[CharSpan]:
    """Datelines opening the text or a paragraph ("ROMA — ", "MILANO, 3 dicembre — ", "TRENTO. La giunta",
    "PAVULLO. ", "MARANELLO, "): a place's name or a comune's local short name. Before a comma, only a name in
    capitals is a dateline ("Modena, la città..." opens a sentence)."""
    found = []
    for match in DATELINE.finditer(text):
        place, after = match["place"], match.group(0).rstrip()[-1]
        if after == "," and not (place.isupper() and len(place) > 2):
            continue
        if places.known(place, ACTING_PLACE_KINDS):
            found.append(CharSpan(match.start("place"), match.end("place"), "LOC"))
    return found


def dateline_sigla(text: str, span: CharSpan) -> str | None:
    """The province sigla a dateline gives after its place, "MORCIANO (RN) —"."""
    found = re.match(r"[ ]\(([A-Z]{2})\)", text[span.end : span.end + 6])
    return found[1] if found else None


def opening_dateline(text: str, spans: list[CharSpan]) -> CharSpan | None:
    """The dateline that opens the article: the first one, with nothing before it but a title or sub-title (short
    lines without a full stop, "Crisi alla Fonderia\nIn 40 a casa")."""
    if not spans:
        return None
    first = spans[0]
    before = [line.strip() for line in text[: first.start].splitlines() if line.strip()]
    if all(len(line.split()) <= SUBTITLE_WORDS and not line.endswith(".") for line in before) and len(before) <= 2:
        return first
    return None
