"""`rassegna_conventions` in the shipped pipeline, on newspaper-style sentences."""

from __future__ import annotations

import pytest

from nlp import load


@pytest.fixture(scope="module")
def nlp():
    return load()


def entities(doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_a_dateline_is_the_articles_place(nlp):
    doc = nlp("MILANO, 3 dicembre — Il consiglio di amministrazione di Brembo ha approvato il piano industriale.")
    assert entities(doc)[0] == ("MILANO", "LOC")
    assert doc._.dateline.name == "Milano" and doc._.dateline.region == "Lombardia"
    assert nlp("Il piano di Brembo è stato approvato a Milano.")._.dateline is None


def test_a_place_that_acts_stays_a_place(nlp):
    doc = nlp("L'Italia ha chiesto alla Commissione europea più tempo, mentre la Germania frena sugli aiuti.")
    found = entities(doc)
    assert ("Italia", "LOC") in found and ("Germania", "LOC") in found
    assert ("Commissione europea", "ORG") in found


def test_common_nouns_and_plans_are_no_organisations(nlp):
    doc = nlp(
        "Il governo ha chiesto alla polizia di vigilare sui fondi del PNRR destinati alla Piccola e Media Impresa."
    )
    assert not [e for e in doc.ents if e.label_ == "ORG"], entities(doc)


def test_no_entity_crosses_a_line_break(nlp):
    doc = nlp("Alla presentazione c'era anche Roger\nCOLONIA — La fiera del mobile apre domani con 300 espositori.")
    assert all("\n" not in e.text for e in doc.ents), entities(doc)
    assert ("COLONIA", "LOC") in entities(doc)
