"""`rassegna_places` on real Italian sentences, and the committed place gazetteer it reads."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import spacy

from nlp.gazetteers.places import PLACES, load_places
from nlp.settings import GazetteerSettings

FOLDER = GazetteerSettings().folder


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("it")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("rassegna_places")
    return nlp


def resolve(nlp, text: str, entities: Sequence[tuple[str, str]]) -> list[dict | None]:
    """`Span._.place` per entity, after setting the model's entities (text, label) found left to right."""
    doc = nlp.get_pipe("sentencizer")(nlp.make_doc(text))
    spans, position = [], 0
    for mention, label in entities:
        start = text.index(mention, position)
        position = start + len(mention)
        spans.append(doc.char_span(start, position, label=label))
    doc.ents = spans
    doc = nlp.get_pipe("rassegna_places")(doc)
    return [entity._.place for entity in doc.ents]


def test_a_comune_gets_its_istat_code_region_and_coordinates(nlp):
    [como] = resolve(nlp, "La Know Net S.r.l. di Como ha firmato un accordo.", [("Como", "LOC")])
    assert {key: como[key] for key in ("kind", "name", "istat_code", "region", "country_code")} == {
        "kind": "comune",
        "name": "Como",
        "istat_code": "013075",
        "region": "Lombardia",
        "country_code": "IT",
    }
    assert como["latitude"] == pytest.approx(45.81, abs=0.05)
    assert como["longitude"] == pytest.approx(9.08, abs=0.05)


def test_regions_countries_and_foreign_cities(nlp):
    text = "Le imprese della Lombardia esportano in Germania e aprono uffici a Londra."
    region, country, city = resolve(nlp, text, [("Lombardia", "LOC"), ("Germania", "LOC"), ("Londra", "LOC")])
    assert (region["kind"], region["istat_code"], region["region"]) == ("regione", "03", "Lombardia")
    assert (country["kind"], country["country_code"], country["istat_code"]) == ("country", "DE", None)
    assert (city["kind"], city["name"], city["country_code"]) == ("city", "Londra", "GB")
    assert city["latitude"] == pytest.approx(51.5, abs=0.1)


def test_the_lake_is_not_the_comune(nlp):
    [after_lago] = resolve(nlp, "Un convegno sul lago di Como.", [("Como", "LOC")])
    [whole] = resolve(nlp, "Il Lago di Como attira turisti.", [("Lago di Como", "LOC")])
    assert after_lago == whole
    assert (whole["kind"], whole["name"], whole["istat_code"], whole["region"]) == (
        "area",
        "Lago di Como",
        None,
        "Lombardia",
    )
    [unknown_lake] = resolve(nlp, "Un convegno sul lago di Ponte.", [("Ponte", "LOC")])
    assert unknown_lake is None


def test_the_province_only_after_provincia_di(nlp):
    [province] = resolve(nlp, "Le imprese in provincia di Como crescono.", [("Como", "LOC")])
    [comune] = resolve(nlp, "Le imprese di Como crescono.", [("Como", "LOC")])
    assert (province["kind"], province["istat_code"]) == ("provincia", "013")
    assert (comune["kind"], comune["istat_code"]) == ("comune", "013075")


def test_only_loc_entities_are_places(nlp):
    text = "Carlo Messina ha visitato il porto di Messina."
    person, city = resolve(nlp, text, [("Carlo Messina", "PER"), ("Messina", "LOC")])
    assert person is None
    assert (city["kind"], city["istat_code"], city["region"]) == ("comune", "083048", "Sicilia")
    [surname] = resolve(nlp, "Messina ha parlato ieri.", [("Messina", "PER")])
    assert surname is None


def test_unknown_and_ambiguous_names_stay_none(nlp):
    text = "Il progetto di Pippolandia e lo stabilimento di Castro sono fermi."
    assert resolve(nlp, text, [("Pippolandia", "LOC"), ("Castro", "LOC")]) == [None, None]  # two comuni Castro


def test_the_gazetteer_holds_every_comune_province_and_region():
    index = load_places(FOLDER)
    kinds = [entry.place.kind for entry in index.entries]
    assert (kinds.count("comune"), kinds.count("provincia"), kinds.count("regione")) == (7896, 106, 20)
    comuni = [entry.place for entry in index.entries if entry.place.kind == "comune"]
    assert all(place.istat_code and place.region and place.country_code == "IT" for place in comuni)
    assert sum(place.latitude is not None for place in comuni) > 0.9 * len(comuni)
    assert (FOLDER / PLACES).stat().st_size < 2_000_000


def test_the_stoplist_keeps_capoluoghi():
    index = load_places(FOLDER)
    assert index.is_common("Ponte") and index.is_common("Calcio")
    assert not index.is_common("Prato") and not index.is_common("Como")
