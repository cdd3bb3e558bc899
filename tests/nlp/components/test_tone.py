"""`rassegna_tone` with the shipped model: news tone of sentences, articles and towards each entity."""

from __future__ import annotations

import frontmatter
import pytest

from nlp import load
from nlp.doc_records import titled_doc
from tests.conftest import PROJECT

SAMPLES = PROJECT / "data" / "samples" / "posts"

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
    """Each mention's own reading (the entity head on its tokens) tells winner from loser, and a contest gives each
    actor its own tone, whatever the article's. The shipped model misses the first sentence's Apple (-0.41, under
    the 0.5 of a clear statement), so the article's tone, negative, reaches it: see the tone card."""
    doc = nlp("Apple registra un trimestre record, mentre Nokia perde quote di mercato.")
    own = {ent.text: ent._.mention_tone["tone"] for ent in doc.ents}
    assert own["Nokia"] < own["Apple"]
    contest = nlp("Alstom perde la gara dei treni lombardi, vinta dalla svizzera Stadler.")
    assert {t["canonical"]: t["label"] for t in contest._.entity_tones} == {
        "Alstom": "negative",
        "Stadler": "positive",
    }


def tones_towards(doc) -> dict[str, str]:
    return {t["canonical"]: t["label"] for t in doc._.entity_tones}


def test_the_company_that_closes_a_plant_gets_the_bad_news(nlp):
    """Whirlpool came out neutral (-0.25) while Fiom Cgil got -0.999."""
    doc = nlp(
        titled_doc(
            nlp,
            (
                "Whirlpool ha comunicato ai sindacati la chiusura dello stabilimento di Cassinetta di Biandronno "
                "entro marzo. I 420 dipendenti riceveranno la lettera di licenziamento nelle prossime settimane. "
                "La Fiom Cgil ha proclamato otto ore di sciopero e chiede un incontro al ministero."
            ),
            "Whirlpool chiude lo stabilimento di Cassinetta: 420 licenziamenti",
        )
    )
    assert doc._.tone["label"] == "negative"
    assert tones_towards(doc)["Whirlpool"] == "negative"
    assert tones_towards(doc)["Fiom Cgil"] != "positive"


def test_the_bank_that_offers_credit_gets_the_good_news(nlp):
    """The sample post: the article came out negative, every Intesa mention neutral."""
    post = frontmatter.loads((SAMPLES / "intesa-sanpaolo-credito-pmi-lombarde.md").read_text(encoding="utf-8"))
    doc = nlp(titled_doc(nlp, post.content, post["title"]))
    assert doc._.tone["label"] == "positive"
    assert tones_towards(doc)["Intesa Sanpaolo"] == "positive"
    assert tones_towards(doc)["Regione Lombardia"] == "neutral"  # an institution that hosts the news


def test_the_company_that_lays_off_workers_gets_the_bad_news(nlp):
    """The sample post on Tessitura Insubrica: the company came out neutral (+0.04), the unions -1.0."""
    from flows.extraction import extract_html

    page = extract_html((SAMPLES / "crisi-tessitura-insubrica-gallarate.html").read_text(encoding="utf-8"))
    doc = nlp(titled_doc(nlp, page.text, page.title))
    assert doc._.tone["label"] == "negative"
    assert tones_towards(doc)["Tessitura Insubrica"] == "negative"


def test_a_falling_bad_thing_is_good_news(nlp):
    good = ["I crediti deteriorati scendono al 2,1%", "La disoccupazione cala al 5,8% nel terzo trimestre"]
    bad = ["I crediti deteriorati salgono al 6,4%", "La disoccupazione sale al 9,2% nel terzo trimestre"]
    for text, doc in zip(good + bad, nlp.pipe(good + bad), strict=True):
        assert doc._.tone["label"] == ("positive" if text in good else "negative"), text


def test_one_clear_statement_is_not_averaged_away(nlp):
    doc = nlp(
        "La Brambilla Valvole S.p.A. chiude il trimestre con una perdita di 12 milioni e avvia la cassa integrazione "
        "per 80 dipendenti. La Brambilla Valvole è stata fondata nel 1961 a Bergamo. La sede della Brambilla Valvole "
        "si trova a Curno. La Brambilla Valvole produce rubinetti."
    )
    towards = {t["canonical"]: t for t in doc._.entity_tones}
    company = [ent for ent in doc.ents if ent._.canonical == "Brambilla Valvole"]
    assert sum(ent._.mention_tone["label"] == "neutral" for ent in company) >= 2  # the plain facts about it...
    assert towards["Brambilla Valvole"]["mentions"] == 4 and towards["Brambilla Valvole"]["label"] == "negative"
    assert all(ent._.tone["label"] == "negative" for ent in company)  # ...do not average its bad news away
    assert towards["Curno"]["label"] == "neutral"  # where the news happens is not who it is for


def test_sources_and_institutions_are_not_the_news(nlp):
    doc = nlp(
        "La Guardia di Finanza ha sequestrato beni per 3 milioni alla Edilnord Costruzioni, accusata di frode "
        "fiscale. Secondo Moody's, il settore edilizio lombardo resta fragile."
    )
    towards = tones_towards(doc)
    assert towards["Edilnord Costruzioni"] == "negative"
    assert towards["Guardia di Finanza"] == "neutral"


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
    """The entity head on its own spans: 7 of these 10 pairs ordered right by the shipped model (fp32), 8 by the
    previous one; a mix-up in the sentence ("battere" read as bad news) can still win."""
    from nlp.heads.tone_classifier import ToneClassifier
    from nlp.settings import NLPSettings

    tone = ToneClassifier(NLPSettings().tone.model)
    spans = [[(text.index(name), text.index(name) + len(name)) for name in pair] for text, *pair in CONTESTS]
    results = tone.predict([text for text, *_ in CONTESTS], spans)
    net = [[probs[2] - probs[0] for probs in result.targets] for result in results]
    assert sum(better > worse for better, worse in net) >= 7
