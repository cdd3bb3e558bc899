"""rassegna's entity conventions as plain functions, on the shipped gazetteers."""

from __future__ import annotations

import pytest

from nlp import conventions
from nlp.corpora import CharSpan
from nlp.gazetteers.places import load_places
from nlp.settings import GazetteerSettings

FOLDER = GazetteerSettings().folder


@pytest.fixture(scope="module")
def places():
    return load_places(FOLDER)


def spans(text: str, *items: tuple[str, str]) -> list[CharSpan]:
    out = []
    for surface, label in items:
        start = text.index(surface)
        out.append(CharSpan(start, start + len(surface), label))
    return out


def surfaces(text: str, found: list[CharSpan]) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in found]


def test_what_kind_counts_right_is_left_alone(places):
    """A state that acts and a body named by a common noun are ORG in KIND: a convention does not relabel them."""
    text = "L'Italia ha chiesto aiuto, la Germania frena e la Regione Lombardia stanzia fondi con il Comune di Milano."
    given = spans(
        text, ("Italia", "ORG"), ("Germania", "ORG"), ("Regione Lombardia", "ORG"), ("Comune di Milano", "ORG")
    )
    got = conventions.apply(text, given, places, conventions.not_entity_pattern(FOLDER))
    assert surfaces(text, got) == surfaces(text, given)


def test_plans_categories_and_fragments_are_no_entities(places):
    text = "Il governo e la polizia parlano di PNRR con la Piccola e Media Impresa e il Consiglio di Stato."
    given = spans(
        text,
        ("governo", "ORG"),
        ("polizia", "ORG"),
        ("PNRR", "ORG"),
        ("Piccola", "ORG"),
        ("Media Impresa", "ORG"),
        ("Consiglio di Stato", "ORG"),
    )
    got = conventions.apply(text, given, places, conventions.not_entity_pattern(FOLDER))
    assert surfaces(text, got) == [("governo", "ORG"), ("polizia", "ORG"), ("Consiglio di Stato", "ORG")]


def test_generic_heads_idioms_codes_and_areas(places):
    text = "La Fondazione e le PMI di Chiari (BS), con precedenti di Polizia, in Brianza; la Compagnia di Carpi."
    given = spans(
        text, ("Fondazione", "ORG"), ("PMI", "ORG"), ("Chiari", "LOC"), ("BS", "ORG"), ("Polizia", "ORG"),
        ("Brianza", "ORG"), ("Compagnia di", "ORG"), ("Carpi", "LOC"),
    )  # fmt: skip
    got = conventions.apply(text, given, places, conventions.not_entity_pattern(FOLDER))
    assert surfaces(text, got) == [
        ("Chiari", "LOC"), ("BS", "LOC"), ("Brianza", "LOC"), ("Compagnia", "ORG"), ("Carpi", "LOC")
    ]  # fmt: skip


def test_a_span_ends_at_a_line_break():
    text = "Ha parlato Roger\nCOLONIA — La fiera apre."
    (span,) = spans(text, ("Roger\nCOLONIA", "PER"))
    assert surfaces(text, [conventions.until_line_break(text, span)]) == [("Roger", "PER")]
    assert conventions.until_line_break(text, CharSpan(16, 17, "PER")) is None


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("ROMA — Il governo ha approvato il decreto.", "ROMA"),
        ("MILANO, 3 dicembre — La Borsa chiude in rialzo.", "MILANO"),
        ("TRENTO. La giunta provinciale ha deciso.", "TRENTO"),
        ("REGGIO EMILIA (ANSA) - Lo stabilimento riapre.", "REGGIO EMILIA"),
        ("Prima riga.\nBERGAMO — Nuovo paragrafo da Bergamo.", "BERGAMO"),
    ],
)
def test_datelines_are_places(places, text, place):
    (span,) = conventions.datelines(text, places)
    assert (text[span.start : span.end], span.label) == (place, "LOC")


def test_a_sentence_opening_with_a_name_is_no_dateline(places):
    assert conventions.datelines("Intesa Sanpaolo - La banca cresce.", places) == []
    assert conventions.datelines("Milano è la capitale economica.", places) == []
