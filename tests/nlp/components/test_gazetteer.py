"""`rassegna_gazetteer` on real Italian sentences, with the model's entities set by hand as the tagger would."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import spacy


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("it")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("rassegna_gazetteer")
    return nlp


def tag(nlp, text: str, entities: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """Run the gazetteer after setting the model's entities (text, label), found left to right in `text`."""
    doc = nlp.get_pipe("sentencizer")(nlp.make_doc(text))
    spans, position = [], 0
    for mention, label in entities:
        start = text.index(mention, position)
        position = start + len(mention)
        spans.append(doc.char_span(start, position, label=label))
    doc.ents = spans
    doc = nlp.get_pipe("rassegna_gazetteer")(doc)
    return [(entity.text, entity.label_) for entity in doc.ents]


def test_legal_form_extends_the_model_organisation(nlp):
    text = "La Know Net S.r.l. di Como ha firmato un accordo con Intesa Sanpaolo."
    found = tag(nlp, text, [("Know Net", "ORG"), ("Intesa Sanpaolo", "ORG")])
    assert found == [("Know Net S.r.l.", "ORG"), ("Como", "LOC"), ("Intesa Sanpaolo", "ORG")]


def test_chamber_of_merged_provinces_is_one_body(nlp):
    text = "Il convegno alla Camera di Commercio di Como-Lecco e alla Camera di Commercio di Cremona-Mantova-Pavia."
    found = tag(nlp, text, [("Camera di Commercio", "ORG"), ("Como-Lecco", "LOC"), ("Camera di Commercio", "ORG")])
    assert found == [
        ("Camera di Commercio di Como-Lecco", "ORG"),
        ("Camera di Commercio di Cremona-Mantova-Pavia", "ORG"),
    ]


def test_companies_with_a_legal_form_are_found_without_the_model(nlp):
    text = "Il fatturato di Brembo S.p.A. è cresciuto, mentre Rossi srl e Siemens AG hanno chiuso in perdita."
    assert tag(nlp, text) == [("Brembo S.p.A.", "ORG"), ("Rossi srl", "ORG"), ("Siemens AG", "ORG")]


def test_legal_form_absorbs_the_longer_model_name(nlp):
    text = "Il titolo di Banca Monte dei Paschi di Siena S.p.A. è salito."
    found = tag(nlp, text, [("Banca Monte dei Paschi di Siena", "ORG")])
    assert found == [("Banca Monte dei Paschi di Siena S.p.A.", "ORG")]


def test_words_that_look_like_legal_forms_are_not_companies(nlp):
    assert tag(nlp, "A Milano se ne parla da mesi, e la spa dell'albergo riapre.") == [("Milano", "LOC")]


def test_public_bodies_and_associations_are_organisations(nlp):
    text = (
        "Secondo l'Istat e la Banca d'Italia, il presidente di Confindustria Como ha incontrato "
        "la Camera di Commercio di Como e l'Agenzia delle Entrate."
    )
    assert tag(nlp, text) == [
        ("Istat", "ORG"),
        ("Banca d'Italia", "ORG"),
        ("Confindustria Como", "ORG"),
        ("Camera di Commercio di Como", "ORG"),
        ("Agenzia delle Entrate", "ORG"),
    ]


def test_a_body_replaces_a_shorter_model_entity_it_covers(nlp):
    text = "La Regione Lombardia ha stanziato nuovi fondi per le imprese."
    assert tag(nlp, text, [("Lombardia", "LOC")]) == [("Regione Lombardia", "ORG")]


def test_a_body_never_swallows_the_person_named_after_it(nlp):
    text = "Il governatore della Banca d'Italia Antonio Fazio ha parlato ieri."
    found = tag(nlp, text, [("Banca d'Italia", "ORG"), ("Antonio Fazio", "PER")])
    assert found == [("Banca d'Italia", "ORG"), ("Antonio Fazio", "PER")]


def test_a_longer_model_entity_wins_over_a_body(nlp):
    text = "Il presidente di Confindustria Alto Milanese ha parlato ieri."
    assert tag(nlp, text, [("Confindustria Alto Milanese", "ORG")]) == [("Confindustria Alto Milanese", "ORG")]


def test_body_patterns_with_names(nlp):
    text = "Il Ministero dell'Ambiente e la Fondazione Cariplo finanziano il Politecnico di Milano."
    assert tag(nlp, text) == [
        ("Ministero dell'Ambiente", "ORG"),
        ("Fondazione Cariplo", "ORG"),
        ("Politecnico di Milano", "ORG"),
    ]


def test_places_the_model_missed_are_added(nlp):
    text = "Il porto di Messina ha registrato più traffici verso la Germania e Londra."
    assert tag(nlp, text) == [("Messina", "LOC"), ("Germania", "LOC"), ("Londra", "LOC")]


def test_a_person_is_never_made_a_place(nlp):
    text = "Carlo Messina, consigliere delegato di Intesa, ha parlato a Milano."
    with_model = tag(nlp, text, [("Carlo Messina", "PER"), ("Intesa", "ORG")])
    assert with_model == [("Carlo Messina", "PER"), ("Intesa", "ORG"), ("Milano", "LOC")]
    assert tag(nlp, text) == [("Milano", "LOC")]  # "Messina" glued to "Carlo" is no place


def test_comuni_named_like_everyday_words_need_a_preposition(nlp):
    text = "Il Ponte sullo Stretto resta fermo, ma a Ponte il sindaco è ottimista. Calcio e turismo crescono nel Paese."
    assert tag(nlp, text) == [("Ponte", "LOC")]
    doc_text = "Bella giornata a Bella."
    assert tag(nlp, doc_text) == [("Bella", "LOC")]
