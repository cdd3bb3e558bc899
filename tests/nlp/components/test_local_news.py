"""Local news through the whole pipeline: datelines by short names, homonyms decided near the story, micro-places,
companies named like people, bodies with their place, and what is no entity."""

from __future__ import annotations

import pytest

from nlp import load
from nlp.doc_records import titled_doc


@pytest.fixture(scope="module")
def nlp():
    return load()


def analysed(nlp, text: str, province: str | None = None, title: str | None = None):
    return nlp(titled_doc(nlp, text, title, province))


def places(doc) -> dict[str, str | None]:
    return {e.text: (e._.place or {}).get("name") for e in doc.ents if e.label_ == "LOC"}


BODY = "La giunta ha approvato il bilancio e i nuovi investimenti per la zona industriale."


@pytest.mark.parametrize(
    ("written", "comune"),
    [
        ("FINALE", "Finale Emilia"),
        ("PAVULLO", "Pavullo nel Frignano"),
        ("SAN FELICE", "San Felice sul Panaro"),
        ("CASTELFRANCO", "Castelfranco Emilia"),
        ("FIORANO", "Fiorano Modenese"),
        ("NOVI", "Novi di Modena"),
        ("SERRA", "Serramazzoni"),
        ("CASTELNUOVO", "Castelnuovo Rangone"),
        ("CONCORDIA", "Concordia sulla Secchia"),
        ("MODENA", "Modena"),
    ],
)
def test_a_modena_paper_s_datelines_are_its_comuni(nlp, written, comune):
    for dateline in (f"{written}. ", f"{written} — ", f"{written}, "):
        doc = analysed(nlp, dateline + BODY, province="MO")
        assert doc._.dateline is not None and doc._.dateline.name == comune, dateline
        assert doc.ents[0].text == written and doc.ents[0].label_ == "LOC"  # never a person
        assert doc.ents[0]._.canonical == comune


def test_homonyms_are_resolved_near_the_story(nlp):
    castelnuovo = "CASTELNUOVO. Incendio in un capannone della zona artigianale, intervengono i vigili del fuoco."
    assert analysed(nlp, castelnuovo, "MO")._.dateline.name == "Castelnuovo Rangone"
    assert analysed(nlp, castelnuovo, "TN")._.dateline.name == "Castelnuovo"
    assert analysed(nlp, castelnuovo)._.dateline.name == "Castelnuovo"  # nothing says where: the comune so named
    concordia = "CONCORDIA. La giunta ha approvato il bilancio con i sindaci di Mirandola e San Possidonio."
    assert analysed(nlp, concordia)._.dateline.name == "Concordia sulla Secchia"  # the places of the story
    carabinieri = analysed(nlp, "PAVULLO. I carabinieri di Serra hanno arrestato un uomo.")
    assert places(carabinieri) == {"PAVULLO": "Pavullo nel Frignano", "Serra": "Serramazzoni"}
    assert analysed(nlp, "MORCIANO (RN) — Chiude la sede della banca.")._.dateline.name == "Morciano di Romagna"


def test_what_is_named_after_a_place_is_not_that_place(nlp):
    doc = analysed(
        nlp,
        "MODENA. Festa al parco Novi Sad, poi la messa al cimitero di San Cataldo e lo spettacolo del Balletto di "
        "Mosca in via Roma.",
        "MO",
    )
    found = places(doc)
    assert found.pop("MODENA") == "Modena"
    assert all(name is None for name in found.values()), found


def test_a_dateline_after_a_title_and_subtitle_is_the_main_place(nlp):
    doc = analysed(nlp, "Nuovo stabilimento\nIn arrivo 40 assunzioni\nMARANELLO, la Ferrari assume 200 operai.")
    assert doc._.dateline.name == "Maranello" and doc._.dateline.istat_code == "036019"


def test_companies_named_like_people_are_organisations(nlp):
    labels = lambda text: {e.text: e.label_ for e in nlp(text).ents}  # noqa: E731
    assert labels("Leonardo firma una commessa da 300 milioni per gli elicotteri.")["Leonardo"] == "ORG"
    assert labels("Thales e Leonardo presentano il nuovo satellite.") == {"Thales": "ORG", "Leonardo": "ORG"}
    assert labels("Il gruppo Benetton chiude trenta negozi.")["Benetton"] == "ORG"
    assert labels("Il ritratto di Leonardo è esposto al Louvre.")["Leonardo"] == "PER"


def test_bodies_keep_their_place_and_common_nouns_are_no_entities(nlp):
    doc = nlp(
        "CARPI. I carabinieri della Compagnia di Carpi hanno arrestato un uomo con precedenti di Polizia. Il "
        "Tribunale di Sorveglianza di Roma ha respinto il ricorso. Le PMI chiedono credito e la Fondazione risponde."
    )
    organisations = {e.text: e._.canonical for e in doc.ents if e.label_ == "ORG"}
    assert organisations == {"Compagnia": "Compagnia di Carpi", "Tribunale di Sorveglianza":
                             "Tribunale di Sorveglianza di Roma"}  # fmt: skip


def test_province_codes_and_areas_are_places(nlp):
    doc = nlp("Chiari (BS) — Le imprese della Brianza e del Lodigiano chiedono credito, e il PD protesta.")
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels["BS"] == labels["Brianza"] == labels["Lodigiano"] == "LOC"
    assert places(doc)["BS"] == "Brescia"
    assert labels.get("PD") != "LOC"  # a party, not Padova
