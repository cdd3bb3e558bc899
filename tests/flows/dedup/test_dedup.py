import json

import pytest

from flows.dedup import Deduplicator, KnownArticles, canonical_url, signature
from flows.records import Reason
from flows.settings import DedupSettings
from tests.conftest import shared

MEANTIME = shared("articles-meantime-it", "articles.jsonl")

ARTICLE = (
    "Il gruppo Brembo ha chiuso il primo semestre con ricavi in crescita del 7 per cento, a quota 2,1 miliardi di "
    "euro, trainati dalla domanda di impianti frenanti per le auto di fascia alta in Europa e in Nord America. "
    "L'amministratore delegato ha spiegato che il portafoglio ordini resta solido nonostante il rallentamento del "
    "mercato cinese.\n\n"
    "Il margine operativo lordo è salito al 18,4 per cento dei ricavi, grazie al contenimento dei costi energetici e "
    "a una politica dei prezzi più attenta. La società di Curno, in provincia di Bergamo, conferma gli investimenti "
    "previsti per il nuovo stabilimento in Polonia e per l'ampliamento della sede di Stezzano, dove lavorano circa "
    "duemila persone.\n\n"
    "Sul fronte dell'innovazione, il gruppo ha presentato un nuovo sistema frenante per i veicoli elettrici, "
    "sviluppato insieme al Politecnico di Milano, che sarà prodotto a partire dal prossimo anno. I sindacati hanno "
    "accolto con favore il piano, chiedendo però garanzie sull'occupazione negli stabilimenti italiani.\n\n"
    "Per l'intero esercizio il management prevede una crescita dei ricavi tra il 5 e il 7 per cento, con un flusso "
    "di cassa positivo. In Borsa il titolo ha guadagnato il 3 per cento nella giornata di ieri, mentre gli analisti "
    "di Mediobanca hanno alzato il prezzo obiettivo a 13 euro per azione."
)
# the same story, one sentence rewritten by a second outlet
REWRITTEN = ARTICLE.replace(
    "I sindacati hanno accolto con favore il piano, chiedendo però garanzie sull'occupazione negli stabilimenti "
    "italiani.",
    "I sindacati chiedono garanzie sull'occupazione in Italia.",
)
OTHER = (
    "La Banca d'Italia ha rivisto al ribasso le stime di crescita per il prossimo anno, portandole allo 0,6 per "
    "cento. Secondo il bollettino economico pubblicato venerdì, la debolezza della manifattura tedesca pesa sulle "
    "esportazioni delle imprese del Nord, in particolare nei settori della meccanica e della chimica.\n\n"
    "L'inflazione dovrebbe invece scendere sotto il 2 per cento entro la fine dell'estate, grazie al calo dei prezzi "
    "dell'energia. I consumi delle famiglie restano deboli, mentre il mercato del lavoro continua a mostrare segnali "
    "di tenuta, con il tasso di disoccupazione stabile al 7,5 per cento."
)
URL = "https://www.ilsole24ore.com/art/brembo-ricavi-semestre-AbCd12"


def fresh() -> Deduplicator:
    return Deduplicator(DedupSettings(), KnownArticles())


def accept(dedup: Deduplicator, article_id: str, text: str, url: str | None = None):
    verdict = dedup.check(article_id, text, url)
    assert verdict.reason is None, verdict
    dedup.add(article_id, verdict)
    return verdict


def similarity_to(stored: str, text: str) -> float:
    dedup = Deduplicator(DedupSettings(), KnownArticles(signatures=[("stored", signature(stored))]))
    return dedup.check("probe", text, None).similarity


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (URL + "?utm_source=newsletter&utm_medium=email#commenti", URL),
        ("HTTPS://WWW.IlSole24Ore.com:443/art/brembo-ricavi-semestre-AbCd12?fbclid=IwAR0", URL),
        ("https://www.corriere.it/economia/?id=9&utm_campaign=estate", "https://www.corriere.it/economia/?id=9"),
        ("http://127.0.0.1:8080/articolo.html?utm_source=x", "http://127.0.0.1:8080/articolo.html"),
    ],
)
def test_canonical_url_drops_tracking_fragment_and_default_port(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize("url", [None, "", "not a url", "/art/relative.html", "javascript:void(0)"])
def test_canonical_url_is_none_for_non_web_urls(url):
    assert canonical_url(url) is None


def test_new_article_is_not_a_duplicate():
    verdict = fresh().check("a1", ARTICLE, URL)
    assert (verdict.duplicate_of, verdict.reason, verdict.similarity) == (None, None, None)
    assert verdict.canonical_url == URL
    assert len(verdict.content_hash) == 64
    assert verdict.minhash == signature(ARTICLE)


def test_tracking_parameter_url_is_a_duplicate_url():
    dedup = fresh()
    accept(dedup, "a1", ARTICLE, URL)
    verdict = dedup.check("a2", OTHER, URL + "?utm_source=twitter&utm_medium=social")
    assert (verdict.reason, verdict.duplicate_of) == (Reason.DUPLICATE_URL, "a1")


def test_reformatted_copy_is_a_duplicate_by_content_hash():
    dedup = fresh()
    accept(dedup, "a1", ARTICLE, URL)
    spaced = "\n\n" + ARTICLE.replace(" ", "  ").replace("\n\n", "\n\n\n\n") + "   \n"
    verdict = dedup.check("a2", spaced, "https://www.borsaitaliana.it/notizie/brembo.html")
    assert (verdict.reason, verdict.duplicate_of, verdict.similarity) == (Reason.DUPLICATE_CONTENT, "a1", 1.0)


def test_near_duplicate_in_the_same_batch_is_caught():
    dedup = fresh()
    accept(dedup, "a1", ARTICLE, URL)
    accept(dedup, "a2", OTHER, "https://www.ansa.it/economia/bankitalia.html")
    verdict = dedup.check("a3", REWRITTEN, "https://www.milanofinanza.it/news/brembo-semestre")
    assert (verdict.reason, verdict.duplicate_of) == (Reason.NEAR_DUPLICATE, "a1")
    assert DedupSettings().near_duplicate_threshold <= verdict.similarity < 1.0


def test_near_duplicate_is_linked_to_the_first_copy_not_the_closest():
    # two stored copies of the story; the rewrite is closer to the later one
    older = ARTICLE.replace("nella giornata di ieri", "nella seduta di venerdì")
    known = KnownArticles(signatures=[("older", signature(older)), ("newer", signature(ARTICLE))])
    dedup = Deduplicator(DedupSettings(), known)
    verdict = dedup.check("b1", REWRITTEN, None)
    assert (verdict.reason, verdict.duplicate_of) == (Reason.NEAR_DUPLICATE, "older")
    assert verdict.similarity < similarity_to(ARTICLE, REWRITTEN)


def test_different_articles_are_not_linked():
    dedup = fresh()
    accept(dedup, "a1", ARTICLE, URL)
    verdict = accept(dedup, "a2", OTHER, "https://www.ansa.it/economia/bankitalia.html")
    assert verdict.duplicate_of is None


def test_stored_articles_are_known_to_a_new_deduplicator():
    first = fresh()
    stored = accept(first, "a1", ARTICLE, URL)
    known = KnownArticles(
        canonical_urls={stored.canonical_url: "a1"},
        content_hashes={stored.content_hash: "a1"},
        signatures=[("a1", stored.minhash)],
    )
    later = Deduplicator(DedupSettings(), known)
    assert later.check("b1", ARTICLE, URL).reason == Reason.DUPLICATE_URL
    assert later.check("b2", ARTICLE.upper(), None).reason == Reason.DUPLICATE_CONTENT
    near = later.check("b3", REWRITTEN, None)
    assert (near.reason, near.duplicate_of) == (Reason.NEAR_DUPLICATE, "a1")


def test_signatures_are_identical_across_deduplicators():
    one, two = fresh(), fresh()
    assert one.check("a1", ARTICLE, URL).minhash == two.check("a1", ARTICLE, URL).minhash
    values = signature(ARTICLE)
    assert len(values) == DedupSettings().num_perm
    assert all(0 <= value < 2**32 for value in values)


def test_signature_of_a_stored_article_with_another_num_perm_is_refused():
    known = KnownArticles(signatures=[("a1", signature(ARTICLE, DedupSettings(num_perm=64)))])
    with pytest.raises(ValueError, match="num_perm"):
        Deduplicator(DedupSettings(), known)


@pytest.mark.skipif(not MEANTIME.exists(), reason="shared MEANTIME articles not available")
def test_real_distinct_articles_pass_and_their_copies_are_caught():
    articles = [json.loads(line) for line in MEANTIME.read_text(encoding="utf-8").splitlines()]
    dedup = fresh()
    for article in articles:
        accept(dedup, article["id"], article["text"])
    for article in articles[:20]:
        copy = dedup.check("copy", article["text"].replace(". ", ".\n\n"), None)
        assert (copy.reason, copy.duplicate_of) == (Reason.DUPLICATE_CONTENT, article["id"])
