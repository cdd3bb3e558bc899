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


def test_plans_and_categories_are_no_organisations(nlp):
    doc = nlp(
        "Il governo ha chiesto alla polizia di vigilare sui fondi del PNRR destinati alla Piccola e Media Impresa."
    )
    organisations = {e.text for e in doc.ents if e.label_ == "ORG"}
    assert not organisations & {"PNRR", "Piccola e Media Impresa", "Piccola", "Media Impresa"}, entities(doc)


def test_no_entity_crosses_a_line_break(nlp):
    doc = nlp("Alla presentazione c'era anche Roger\nCOLONIA — La fiera del mobile apre domani con 300 espositori.")
    assert all("\n" not in e.text for e in doc.ents), entities(doc)
    assert ("COLONIA", "LOC") in entities(doc)


@pytest.mark.parametrize(
    ("names", "shouted"),
    [
        (
            "Il presidente Cossiga ha ricevuto al Quirinale l'amministratore delegato di Telecom Italia.",
            "Il presidente COSSIGA ha ricevuto al QUIRINALE l'amministratore delegato di TELECOM ITALIA.",
        ),
        (
            "Stoccolma ha ospitato ieri il vertice tra Volvo e il ministro Giorgetti.",
            "STOCCOLMA ha ospitato ieri il vertice tra VOLVO e il ministro GIORGETTI.",
        ),
    ],
)
def test_names_in_capitals_are_found_like_their_title_case(nlp, names, shouted):
    expected = {(e.text.lower(), e.label_) for e in nlp(names).ents}

    assert len(expected) == 3 and {(e.text.lower(), e.label_) for e in nlp(shouted).ents} == expected


def test_a_capitalised_dateline_and_surname_in_a_wire_story(nlp):
    doc = nlp("STOCCOLMA — Il presidente COSSIGA ha incontrato il re di Svezia.")

    assert ("STOCCOLMA", "LOC") in entities(doc) and ("COSSIGA", "PER") in entities(doc)
    assert doc._.dateline.name == "Stoccolma"
