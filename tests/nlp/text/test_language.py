import json

import pytest

from nlp.settings import NLPSettings
from nlp.text.language import detect
from tests.conftest import shared

MEANTIME = shared("articles-meantime-it", "articles.jsonl")
DEFAULTS = NLPSettings()

ITALIAN = (
    "La Banca d'Italia ha rivisto al ribasso le stime di crescita per il prossimo anno, portandole allo 0,6 per "
    "cento. Secondo il bollettino economico, la debolezza della manifattura tedesca pesa sulle esportazioni delle "
    "imprese del Nord, in particolare nei settori della meccanica e della chimica."
)
ENGLISH = (
    "The Bank of Italy cut its growth forecast for next year to 0.6 percent, saying that weak German manufacturing "
    "is weighing on exports from companies in the north of the country, especially in machinery and chemicals."
)
FRENCH = (
    "La Banque d'Italie a revu à la baisse ses prévisions de croissance pour l'année prochaine, à 0,6 %. Selon le "
    "bulletin économique, la faiblesse de l'industrie allemande pèse sur les exportations des entreprises du Nord."
)


@pytest.mark.parametrize(("text", "language"), [(ITALIAN, "it"), (ENGLISH, "en"), (FRENCH, "fr")])
def test_detects_the_language_of_a_paragraph(text, language):
    detected = detect(text, DEFAULTS)
    assert detected.language == language
    assert detected.confidence > 0.9


@pytest.mark.parametrize("text", ["", "   \n\t ", "12 345,67 €"])
def test_empty_or_wordless_text_is_undetermined(text):
    assert detect(text, DEFAULTS).language == "und"


def test_ambiguous_short_text_is_undetermined():
    detected = detect("Apple iPhone", DEFAULTS)
    assert detected.language == "und"
    assert detected.confidence < NLPSettings().language_detection.min_confidence


def test_reads_only_the_start_of_the_text():
    settings = NLPSettings()
    settings.language_detection.sample_chars = len(ITALIAN)
    mixed = ITALIAN + " " + ENGLISH * 5
    assert detect(mixed, settings).language == "it"
    assert detect(mixed, DEFAULTS).language == "en"


@pytest.mark.skipif(not MEANTIME.exists(), reason="shared MEANTIME articles not available")
def test_real_italian_business_articles_are_italian():
    texts = [json.loads(line)["text"] for line in MEANTIME.read_text(encoding="utf-8").splitlines()]
    languages = [detect(text, DEFAULTS).language for text in texts]
    assert languages.count("it") == len(texts)
