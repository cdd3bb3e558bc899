"""`rassegna_encoder`: one pass per article, whose output every reader finds on the Doc."""

from __future__ import annotations

import pytest

from nlp import load
from nlp.doc_records import summary_record, titled_doc

ARTICLES = [
    (
        "Fonderie Valtrompia, ricavi in crescita",
        "LUMEZZANE — Fonderie Valtrompia chiude il semestre con ricavi in crescita del 18% e annuncia 40 assunzioni. "
        "Il presidente Marco Bettinsoli ringrazia i dipendenti e la Regione Lombardia per il sostegno.",
    ),
    (
        "Tessitura Insubrica, 140 esuberi a Gallarate",
        "La Tessitura Insubrica di Gallarate ha annunciato 140 licenziamenti. I sindacati della Fiom Cgil hanno "
        "proclamato uno sciopero.",
    ),
    (None, "L'assemblea dei soci di Intesa Sanpaolo si terrà a Torino il 12 dicembre alle ore 10."),
]


@pytest.fixture(scope="module")
def nlp():
    return load()


def test_the_same_articles_give_the_same_analysis(nlp):
    first = [summary_record(doc, "it") for doc in nlp.pipe(titled_doc(nlp, text, title) for title, text in ARTICLES)]
    again = [summary_record(doc, "it") for doc in nlp.pipe(titled_doc(nlp, text, title) for title, text in ARTICLES)]
    assert first == again


def test_the_title_and_each_sentence_are_encoded_once(nlp):
    title, text = ARTICLES[0]
    doc = nlp(titled_doc(nlp, text, title))
    encoded = doc._.encoded
    assert encoded.title().text == title and [unit.text for unit in encoded.sentences()] == [
        sent.text for sent in doc.sents
    ]
    assert encoded.ner_labels[0] == "O" and encoded.tone_labels == ["negative", "neutral", "positive"]
    for unit in encoded.sentences():
        assert unit.encoded.ner.shape == (unit.encoded.tokens, len(encoded.ner_labels))
        assert unit.encoded.tone.sum() == pytest.approx(1.0, abs=1e-5)


def test_entities_come_from_the_pass_and_get_their_tone(nlp):
    title, text = ARTICLES[0]
    doc = nlp(titled_doc(nlp, text, title))
    found = {(ent.text, ent.label_) for ent in doc.ents}
    assert {("Fonderie Valtrompia", "ORG"), ("Marco Bettinsoli", "PER")} <= found
    assert all(ent._.tone["label"] in ("negative", "neutral", "positive") for ent in doc.ents)


def test_an_article_alone_gets_the_analysis_it_gets_beside_others(nlp):
    """int8 (the default), scaled per token: a text's scores do not depend on the texts batched with it."""
    batched = list(nlp.pipe(titled_doc(nlp, text, title) for title, text in ARTICLES))
    for doc, (title, text) in zip(batched, ARTICLES, strict=True):
        alone = nlp(titled_doc(nlp, text, title))
        assert [(e.text, e.label_, e._.tone["label"]) for e in alone.ents] == [
            (e.text, e.label_, e._.tone["label"]) for e in doc.ents
        ]
        assert alone._.tone["tone"] == pytest.approx(doc._.tone["tone"], abs=1e-4)


def test_the_themes_find_the_encoder_when_it_does_not_run(nlp):
    fresh = load()  # its themes component has not looked for the encoder yet
    with fresh.select_pipes(enable=["sentencizer", "lemmatizer", "rassegna_themes"]):
        themes = fresh(titled_doc(fresh, ARTICLES[0][1], ARTICLES[0][0]))._.themes
    assert [t["id"] for t in themes] == [t["id"] for t in nlp(titled_doc(nlp, ARTICLES[0][1], ARTICLES[0][0]))._.themes]
