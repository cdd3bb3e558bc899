"""`rassegna_canonical` on real Italian sentences, with the model's entities set by hand as the tagger would."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import spacy

PIPES = ("rassegna_gazetteer", "rassegna_places", "rassegna_canonical")


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("it")
    nlp.add_pipe("sentencizer")
    for name in PIPES:
        nlp.add_pipe(name)
    return nlp


def analyse(nlp, text: str, entities: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str, str, str]]:
    """(text, label, canonical, entity_id) per entity, after setting the model's entities found left to right."""
    doc = nlp.get_pipe("sentencizer")(nlp.make_doc(text))
    spans, position = [], 0
    for mention, label in entities:
        start = text.index(mention, position)
        position = start + len(mention)
        spans.append(doc.char_span(start, position, label=label))
    doc.ents = spans
    for name in PIPES:
        doc = nlp.get_pipe(name)(doc)
    return [(entity.text, entity.label_, entity._.canonical, entity._.entity_id) for entity in doc.ents]


def test_spelling_variants_share_one_entity_across_articles(nlp):
    first = analyse(nlp, "KNOW NET ha chiuso il bilancio in utile.", [("KNOW NET", "ORG")])
    second = analyse(
        nlp, "La Know Net assumerà dieci ingegneri: KnowNet srl apre una sede a Como.", [("Know Net", "ORG")]
    )
    assert first == [("KNOW NET", "ORG", "Know Net", "ORG:knownet")]
    assert second[:2] == [
        ("Know Net", "ORG", "Know Net", "ORG:knownet"),
        ("KnowNet srl", "ORG", "Know Net", "ORG:knownet"),
    ]


def test_a_spelled_out_legal_form_is_not_part_of_the_name(nlp):
    text = "General Motors Corporation ha chiesto aiuti al Congresso; General Motors taglia i costi."
    found = analyse(nlp, text, [("General Motors Corporation", "ORG"), ("General Motors", "ORG")])
    assert {entity_id for *_, entity_id in found} == {"ORG:generalmotors"}


def test_an_acronym_defined_in_the_text_stands_for_its_long_form(nlp):
    text = "Officine Italiane Innovazione (OII) ha presentato il piano. OII assumerà cento tecnici."
    found = analyse(nlp, text, [("Officine Italiane Innovazione", "ORG"), ("OII", "ORG"), ("OII", "ORG")])
    assert {(name, entity_id) for _, _, name, entity_id in found} == {
        ("Officine Italiane Innovazione", "ORG:officineitalianeinnovazione")
    }
    reversed_text = "OII (Officine Italiane Innovazione) ha presentato il piano. Poi OII ha firmato."
    found = analyse(nlp, reversed_text, [("OII", "ORG"), ("OII", "ORG")])
    assert [name for _, _, name, _ in found] == ["Officine Italiane Innovazione"] * 2


def test_a_partial_name_stands_for_the_full_name_in_the_article(nlp):
    text = "Carlo Messina ha presentato i conti di Intesa. Secondo Messina, Intesa Sanpaolo crescerà ancora."
    entities = [("Carlo Messina", "PER"), ("Intesa", "ORG"), ("Messina", "PER"), ("Intesa Sanpaolo", "ORG")]
    found = analyse(nlp, text, entities)
    assert [(name, entity_id) for _, _, name, entity_id in found] == [
        ("Carlo Messina", "PER:carlomessina"),
        ("Intesa Sanpaolo", "ORG:intesasanpaolo"),
        ("Carlo Messina", "PER:carlomessina"),
        ("Intesa Sanpaolo", "ORG:intesasanpaolo"),
    ]


def test_a_partial_name_shared_by_two_people_stays_as_written(nlp):
    text = "Mario Rossi e Luca Rossi guidano l'azienda di famiglia. Rossi ha annunciato nuovi investimenti."
    found = analyse(nlp, text, [("Mario Rossi", "PER"), ("Luca Rossi", "PER"), ("Rossi", "PER")])
    assert found[2] == ("Rossi", "PER", "Rossi", "PER:rossi")


def test_curated_aliases_hold_across_articles(nlp):
    intesa = analyse(nlp, "Intesa ha chiuso il trimestre con un utile record.", [("Intesa", "ORG")])
    gm = analyse(
        nlp, "GM ha tagliato la produzione, ha detto General Motors.", [("GM", "ORG"), ("General Motors", "ORG")]
    )
    assert intesa == [("Intesa", "ORG", "Intesa Sanpaolo", "ORG:intesasanpaolo")]
    assert [entity_id for *_, entity_id in gm] == ["ORG:generalmotors", "ORG:generalmotors"]
    bce = analyse(nlp, "La Bce ha alzato i tassi.")
    assert bce == [("Bce", "ORG", "Banca Centrale Europea", "ORG:bancacentraleeuropea")]


def test_places_go_by_the_name_of_the_place_they_mean(nlp):
    found = analyse(nlp, "Le esportazioni verso gli USA e gli Stati Uniti d'America crescono.", [("USA", "LOC")])
    assert [(name, entity_id) for _, _, name, entity_id in found] == [("Stati Uniti", "LOC:statiuniti")] * 2
    lake = analyse(nlp, "Un convegno sul lago di Como.", [("Como", "LOC")])
    assert lake == [("Como", "LOC", "Lago di Como", "LOC:lagodicomo")]


def test_the_same_name_with_other_labels_are_other_entities(nlp):
    text = "Carlo Messina ha visitato il porto di Messina."
    found = analyse(nlp, text, [("Carlo Messina", "PER"), ("Messina", "LOC")])
    assert [entity_id for *_, entity_id in found] == ["PER:carlomessina", "LOC:messina"]
