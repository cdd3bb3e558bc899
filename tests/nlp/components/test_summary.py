"""`rassegna_summary`: extractive summaries and key phrases of real Italian business articles."""

from __future__ import annotations

import pytest
import spacy

from nlp.components.summary import quotations
from nlp.settings import SummarySettings

ACCIAIO = """Acciaierie del Nord, nuovo forno elettrico da 120 milioni a Brescia

Le Acciaierie del Nord investiranno 120 milioni di euro nello stabilimento di Brescia per sostituire l'altoforno \
con un forno elettrico alimentato in parte da energia solare. Il nuovo impianto entrerà in funzione nel 2026 e \
ridurrà del 70% le emissioni di anidride carbonica del sito. Lo ha annunciato il presidente. «È la scelta più \
importante degli ultimi trent'anni.» L'investimento sarà finanziato per metà con un prestito della Banca europea \
per gli investimenti e per il resto con risorse proprie. Durante i lavori la produzione di acciaio proseguirà \
nell'altro reparto dello stabilimento, senza ricorso alla cassa integrazione. Il gruppo, che impiega 1.300 persone \
e fattura 900 milioni di euro, prevede di assumere 60 tecnici specializzati nella gestione del forno elettrico. "Il \
forno elettrico ci renderà più competitivi. Potremo vendere acciaio verde ai costruttori di auto tedeschi", ha \
detto l'amministratore delegato. Secondo gli analisti il forno elettrico permetterà alle Acciaierie del Nord di \
ridurre anche i costi energetici, oggi la prima voce di spesa dopo le materie prime. Il sindaco di Brescia ha \
espresso soddisfazione per un progetto che migliorerà la qualità dell'aria della città."""

TURISMO = """Estate da record per gli alberghi della Riviera romagnola

Gli alberghi della Riviera romagnola hanno registrato tra giugno e agosto 12 milioni di presenze, il 6% in più \
rispetto all'estate scorsa. La crescita è dovuta soprattutto ai turisti stranieri, in particolare tedeschi, \
svizzeri e polacchi, che hanno superato per la prima volta il 40% degli arrivi. Molto bene anche settembre. Il \
prezzo medio di una camera doppia è salito a 118 euro a notte, ma il tasso di occupazione è rimasto sopra il 90% \
nelle settimane centrali di agosto. Gli albergatori lamentano però la difficoltà di trovare personale stagionale, \
in particolare cuochi e camerieri. «Abbiamo alzato gli stipendi e offerto l'alloggio, ma non basta», spiega il \
presidente dell'associazione albergatori di Rimini. La Regione ha annunciato un piano da 30 milioni di euro per \
rinnovare le strutture ricettive e allungare la stagione turistica con eventi sportivi e congressi in primavera e \
in autunno."""

SHORT = "Il Consiglio dei ministri ha approvato il decreto sulle bollette delle imprese energivore. Le misure valgono \
due miliardi di euro."


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    pipeline = spacy.blank("it")
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe("lemmatizer", config={"mode": "lookup"})
    pipeline.initialize()
    pipeline.add_pipe("rassegna_summary")
    return pipeline


@pytest.fixture(scope="module")
def docs(nlp):
    return dict(zip(("acciaio", "turismo"), nlp.pipe([ACCIAIO, TURISMO]), strict=True))


def one_line(text: str) -> str:
    return " ".join(text.split())


def summary_sentences(nlp, doc) -> list[str]:
    """The summary split back into the article sentences it is made of."""
    candidates = [text for _, text in nlp.get_pipe("rassegna_summary").candidates(doc)]
    chosen = [text for text in candidates if text in doc._.summary]
    assert " ".join(chosen) == doc._.summary
    return chosen


def test_summary_is_three_article_sentences_in_order(nlp, docs):
    for doc in docs.values():
        sentences = summary_sentences(nlp, doc)
        assert len(sentences) == SummarySettings().sentences
        article = one_line(doc.text)
        positions = [article.index(sentence) for sentence in sentences]
        assert positions == sorted(positions)


def test_summary_opens_with_the_lead_not_the_headline(docs):
    assert docs["acciaio"]._.summary.startswith("Le Acciaierie del Nord investiranno 120 milioni di euro")
    assert "Acciaierie del Nord, nuovo forno elettrico" not in docs["acciaio"]._.summary
    assert docs["turismo"]._.summary.startswith("Gli alberghi della Riviera romagnola hanno registrato")


def test_quotes_and_short_sentences_are_never_chosen(nlp, docs):
    candidates = " ".join(text for _, text in nlp.get_pipe("rassegna_summary").candidates(docs["acciaio"]))
    assert "Lo ha annunciato il presidente." not in candidates  # five words
    assert "È la scelta più importante" not in candidates
    assert "Il forno elettrico ci renderà più competitivi." not in candidates  # first sentence of a quotation
    assert "Potremo vendere acciaio verde" not in candidates
    turismo = " ".join(text for _, text in nlp.get_pipe("rassegna_summary").candidates(docs["turismo"]))
    assert "Molto bene anche settembre." not in turismo
    assert "Abbiamo alzato gli stipendi" not in turismo


def test_sentence_count_follows_the_configuration(nlp):
    two = nlp.create_pipe("rassegna_summary", config={"sentences": 2})
    doc = two(nlp(TURISMO))
    assert len(summary_sentences(nlp, doc)) == 2


def test_a_short_article_is_its_own_summary(nlp):
    doc = nlp(SHORT)
    assert doc._.summary == one_line(SHORT)


def test_keyphrases_come_from_the_text(nlp, docs):
    stop_words = nlp.Defaults.stop_words
    for doc in docs.values():
        phrases = doc._.keyphrases
        assert 3 <= len(phrases) <= SummarySettings().keyphrases
        assert len({phrase.lower() for phrase in phrases}) == len(phrases)
        for phrase in phrases:
            assert phrase in doc.text
            words = phrase.lower().split()
            assert words[0] not in stop_words and words[-1] not in stop_words, phrase


def test_keyphrases_name_the_article_subject(docs):
    acciaio = docs["acciaio"]._.keyphrases
    assert "Acciaierie del Nord" in acciaio
    assert any("forno elettrico" in phrase for phrase in acciaio)
    assert any("Riviera romagnola" in phrase for phrase in docs["turismo"]._.keyphrases)


def test_near_identical_keyphrases_are_merged(docs):
    for doc in docs.values():
        phrases = [phrase.lower() for phrase in doc._.keyphrases]
        for phrase in phrases:
            assert not any(phrase != other and phrase in other for other in phrases), phrase


def test_keyphrase_count_follows_the_configuration(nlp):
    four = nlp.create_pipe("rassegna_summary", config={"keyphrases": 4})
    assert 1 <= len(four(nlp(TURISMO))._.keyphrases) <= 4


def test_empty_text(nlp):
    doc = nlp("")
    assert doc._.summary == "" and doc._.keyphrases == []


def test_quotations_pair_marks_and_stop_unclosed_ones_at_the_line_end():
    text = 'Disse: «Cresceremo». Poi "ancora" e “basta”. Infine «aperta\nnuova riga.'
    quoted = [text[start:end] for start, end in quotations(text)]
    assert quoted == ["«Cresceremo»", '"ancora"', "“basta”", "«aperta"]
