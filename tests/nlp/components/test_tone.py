"""`rassegna_tone` with the shipped model: news tone of sentences, articles and towards each entity."""

from __future__ import annotations

import pytest

from nlp import load
from nlp.doc_records import titled_doc

LAYOFFS = (
    "La Tessitura Insubrica di Gallarate ha annunciato 140 licenziamenti. I sindacati hanno proclamato uno "
    "sciopero e denunciano la crisi del settore tessile, colpito da perdite pesanti e dal crollo degli ordini."
)
GROWTH = (
    "La Know Net di Como apre una sede a Londra e assume venticinque consulenti. «È un passo importante per la "
    "nostra crescita internazionale, siamo molto soddisfatti», ha detto l'amministratrice delegata Giulia Ferrario."
)
FACTS = (
    "L'assemblea dei soci si terrà a Brescia il 12 dicembre alle ore 10. All'ordine del giorno l'approvazione del "
    "bilancio e la nomina del collegio sindacale. I documenti sono disponibili nella sede della società."
)


@pytest.fixture(scope="module")
def nlp():
    return load()


def test_good_bad_and_factual_news_get_their_tone(nlp):
    layoffs, growth, facts = nlp.pipe([LAYOFFS, GROWTH, FACTS])
    assert layoffs._.tone["label"] == "negative" and layoffs._.tone["tone"] < 0
    assert growth._.tone["label"] == "positive" and growth._.tone["tone"] > 0
    assert facts._.tone["label"] == "neutral"
    assert len(layoffs._.sentence_tones) == 2
    shares = growth._.tone["shares"]
    assert sum(shares.values()) == pytest.approx(1.0) and shares["positive"] > 0


def test_the_title_weighs_in_the_article_tone(nlp):
    plain = nlp(FACTS)
    titled = nlp(titled_doc(nlp, FACTS, "Crisi nera per la Fonderia Bresciana: 200 posti a rischio"))
    assert titled._.title_tone["label"] == "negative" and plain._.title_tone is None
    assert titled._.tone["tone"] < plain._.tone["tone"]


def test_each_entity_is_judged_on_its_own(nlp):
    doc = nlp("Apple registra un trimestre record, mentre Nokia perde quote di mercato.")
    tones = {ent.text: ent._.tone["label"] for ent in doc.ents}
    assert tones == {"Apple": "positive", "Nokia": "negative"}
    by_entity = {t["canonical"]: t for t in doc._.entity_tones}
    assert by_entity["Apple"]["label"] == "positive" and by_entity["Apple"]["mentions"] == 1
    assert by_entity["Nokia"]["tone"] < 0 < by_entity["Apple"]["tone"]


# (sentence, the entity the news is better for, the entity it is worse for)
CONTESTS = [
    ("Apple registra un trimestre record, mentre Nokia perde quote di mercato.", "Apple", "Nokia"),
    ("Northrop Grumman e EADS hanno battuto Boeing in un appalto da 40 miliardi di dollari.", "EADS", "Boeing"),
    ("Fiat guadagna terreno in Europa, Renault arretra.", "Fiat", "Renault"),
    ("Enel vince la gara contro Edison per la fornitura del Comune.", "Enel", "Edison"),
    ("Le vendite di Luxottica crescono del 10%, quelle di Safilo calano.", "Luxottica", "Safilo"),
    ("Mediobanca perde in Borsa mentre Unicredit chiude in rialzo.", "Unicredit", "Mediobanca"),
    ("Intesa Sanpaolo supera le stime, Banco BPM delude gli analisti.", "Intesa Sanpaolo", "Banco BPM"),
    ("Ryanair strappa clienti ad Alitalia, in crisi di liquidità.", "Ryanair", "Alitalia"),
    ("Samsung sorpassa Apple nelle vendite di smartphone.", "Samsung", "Apple"),
    ("Amazon assume 1.000 persone, mentre Zalando taglia 500 posti.", "Amazon", "Zalando"),
]


def test_the_winner_of_a_contest_mostly_gets_better_news_than_the_loser(nlp):
    """The entity head on its own spans: 8 of these 10 pairs ordered right by the shipped model (fp32), 7 by the
    previous one (a separate 8-layer model); a mix-up in the sentence ("battere" read as bad news) can still win."""
    from nlp.heads.tone_classifier import ToneClassifier
    from nlp.settings import NLPSettings

    tone = ToneClassifier(NLPSettings().tone.model)
    spans = [[(text.index(name), text.index(name) + len(name)) for name in pair] for text, *pair in CONTESTS]
    results = tone.predict([text for text, *_ in CONTESTS], spans)
    net = [[probs[2] - probs[0] for probs in result.targets] for result in results]
    assert sum(better > worse for better, worse in net) >= 7
