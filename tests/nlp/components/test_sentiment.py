"""`rassegna_sentiment` with the shipped model: tone of articles, sentences and entities."""

from __future__ import annotations

import pytest

from nlp import load

LAYOFFS = (
    "La Tessitura Insubrica di Gallarate ha annunciato 140 licenziamenti. I sindacati hanno proclamato uno "
    "sciopero e denunciano la crisi del settore tessile, colpito da perdite pesanti e dal crollo degli ordini."
)
GROWTH = (
    "La Know Net di Como apre una sede a Londra e assume venticinque consulenti. «È un passo importante per la "
    "nostra crescita internazionale, siamo molto soddisfatti», ha detto l'amministratrice delegata Giulia Ferrario."
)


@pytest.fixture(scope="module")
def nlp():
    return load()


def test_article_tone_follows_its_sentences(nlp):
    layoffs, growth = nlp.pipe([LAYOFFS, GROWTH])
    assert layoffs._.sentiment["polarity"] < 0 < growth._.sentiment["polarity"]
    assert len(layoffs._.sentence_sentiments) == 2
    shares = growth._.sentiment["shares"]
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares["positive"] > 0


def test_entities_carry_the_tone_of_their_sentence(nlp):
    doc = nlp(GROWTH)
    tones = {ent.text: ent._.tone for ent in doc.ents}
    quote = doc._.sentence_sentiments[1]
    assert tones.get("Giulia Ferrario") == quote["label"] == "positive"
