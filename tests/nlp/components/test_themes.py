"""`rassegna_themes` on real Italian business articles."""

from __future__ import annotations

import json

import pytest
import spacy
import yaml

import nlp.components.encoding  # noqa: F401  (registers the factories)
import nlp.components.themes  # noqa: F401
from nlp.settings import ThemeSettings
from tests.conftest import needs_shared, shared

COMO = """Seterie Lariane, l'export vola negli Stati Uniti e in Giappone

La Seterie Lariane, piccola impresa tessile di Como con 48 dipendenti, ha chiuso il 2023 con un fatturato di 14 \
milioni di euro, il 70% dei quali realizzato all'estero. L'azienda, fondata nel 1962 dalla famiglia Bernasconi, \
produce tessuti di seta stampati per le grandi maison della moda e per marchi di abbigliamento di lusso. Negli ultimi \
due anni le esportazioni verso gli Stati Uniti sono cresciute del 35%, mentre il Giappone è diventato il secondo \
mercato estero dopo la Francia. «Abbiamo partecipato a tre fiere internazionali a New York, Tokyo e Parigi e aperto \
un ufficio commerciale a Manhattan», spiega l'amministratrice Giulia Bernasconi. Il piano di internazionalizzazione \
è stato sostenuto da un finanziamento agevolato di Simest e da una polizza Sace contro il rischio di mancato \
pagamento dei clienti esteri. Le collezioni per la primavera-estate 2025 sono state presentate alla fiera Première \
Vision di Parigi, dove i buyer americani hanno ordinato nuove stampe su crêpe de chine e twill. Il distretto serico \
comasco conta circa 1.200 imprese e 15.000 addetti e vende oltre confine più della metà della produzione. Secondo \
Bernasconi i dazi annunciati da Washington sono la principale incognita per il prossimo anno, ma la domanda di seta \
italiana nel segmento del lusso resta solida."""

LAYOFFS = """Meccanica Padana annuncia 180 licenziamenti, i sindacati proclamano lo sciopero

La Meccanica Padana di Cremona, che produce componenti per macchine agricole, ha comunicato ai sindacati l'apertura \
di una procedura di licenziamento collettivo per 180 dei 420 dipendenti dello stabilimento. L'azienda attribuisce \
gli esuberi al calo degli ordini, scesi del 40% in un anno, e alla concorrenza dei produttori asiatici. La decisione \
è arrivata dopo dodici mesi di cassa integrazione ordinaria, che non è bastata a riassorbire la crisi. Fiom, Fim e \
Uilm hanno proclamato otto ore di sciopero e un presidio permanente davanti ai cancelli della fabbrica. «I lavoratori \
non possono pagare gli errori di una gestione che non ha investito nell'innovazione», ha dichiarato il segretario \
provinciale della Fiom. La Regione Lombardia ha chiesto la convocazione urgente di un tavolo di crisi al ministero \
delle Imprese e del Made in Italy. L'assessore regionale al lavoro ha ricordato che nel territorio cremonese altre \
due aziende metalmeccaniche hanno annunciato esuberi negli ultimi sei mesi. I sindacati chiedono il ritiro dei \
licenziamenti e un piano industriale che preveda il ricorso alla cassa integrazione straordinaria, la \
ricollocazione dei lavoratori e la ricerca di un acquirente per salvare i posti di lavoro."""

PNRR = """Digitalizzazione, alle PMI venete 12 milioni dal PNRR con il nuovo bando regionale

La Regione Veneto ha pubblicato il bando che assegna 12 milioni di euro di fondi del Piano nazionale di ripresa e \
resilienza alla digitalizzazione delle piccole e medie imprese. Il contributo a fondo perduto copre fino al 60% \
delle spese per software gestionali, servizi cloud, sicurezza informatica e piattaforme di commercio elettronico, \
con un massimo di 80.000 euro per impresa. Possono presentare domanda le aziende con meno di 250 dipendenti e sede \
operativa in Veneto, dal 15 marzo al 30 aprile attraverso la piattaforma online della Regione. L'incentivo è \
cumulabile con il credito d'imposta di Transizione 5.0 per gli investimenti in beni strumentali digitali. «La \
trasformazione digitale non è più un'opzione: con questi fondi del PNRR vogliamo aiutare anche le imprese più \
piccole a dotarsi di strumenti di intelligenza artificiale e di analisi dei dati», ha spiegato l'assessore allo \
sviluppo economico. Secondo l'osservatorio regionale solo un'impresa veneta su tre utilizza servizi cloud e meno \
del 10% ha adottato soluzioni di intelligenza artificiale. Le associazioni di categoria hanno accolto positivamente \
la misura, chiedendo però procedure semplificate per la rendicontazione delle spese e tempi rapidi per l'erogazione \
dei contributi."""

YACHTS = """A Viareggio i cantieri navali chiudono l'anno con ordini record per yacht e superyacht. La nautica da \
diporto italiana vale 8 miliardi di euro e i cantieri della Versilia consegneranno trenta nuove barche nel 2025."""


def blank_italian() -> spacy.Language:
    nlp = spacy.blank("it")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    pipeline = blank_italian()
    pipeline.add_pipe("rassegna_encoder")  # the themes embed leads through its runtime
    pipeline.add_pipe("rassegna_themes")
    return pipeline


@pytest.fixture(scope="module")
def docs(nlp):
    return dict(zip(("como", "layoffs", "pnrr"), nlp.pipe([COMO, LAYOFFS, PNRR]), strict=True))


def lemmatized(nlp, text: str):
    return nlp(text, disable=["rassegna_themes"])


def ids(doc) -> list[str]:
    return [theme["id"] for theme in doc._.themes]


def score(doc, theme_id: str) -> float:
    return next((theme["score"] for theme in doc._.themes if theme["id"] == theme_id), 0.0)


def test_export_of_a_fashion_sme(docs):
    doc = docs["como"]
    assert set(ids(doc)[:2]) == {"internazionalizzazione", "moda"}
    assert score(doc, "internazionalizzazione") > 0.5 and score(doc, "moda") > 0.5
    assert len(ids(doc)) <= 3


def test_layoffs_story(docs):
    doc = docs["layoffs"]
    assert ids(doc)[0] == "crisi-aziendali"
    assert "lavoro" in ids(doc)
    assert not {"moda", "turismo", "startup", "mercati-finanziari", "incentivi-pnrr"} & set(ids(doc))


def test_pnrr_digitalisation_grant(docs):
    doc = docs["pnrr"]
    assert set(ids(doc)[:2]) == {"incentivi-pnrr", "digitale"}
    assert score(doc, "incentivi-pnrr") > 0.5 and score(doc, "digitale") > 0.5
    assert not {"moda", "agroalimentare", "crisi-aziendali", "aerospazio-difesa"} & set(ids(doc))


def test_themes_are_ranked_and_bounded(docs):
    settings = ThemeSettings()
    for doc in docs.values():
        scores = [theme["score"] for theme in doc._.themes]
        assert 1 <= len(scores) <= settings.top_k
        assert scores == sorted(scores, reverse=True)
        assert all(settings.min_probability <= value <= 1.0 for value in scores)
        assert all(value >= settings.relative_cut * scores[0] for value in scores)
        assert all(set(theme) == {"id", "label", "score"} for theme in doc._.themes)
    assert docs["como"]._.themes[0]["label"] in {"Internazionalizzazione ed export", "Moda e lusso"}


def test_the_lake_season_is_filed_under_tourism_only(nlp):
    """The sample post that reached the "Manifattura lombarda" digest under the old scores."""
    doc = nlp(
        "Lago di Como, stagione turistica da record: presenze straniere oltre il 75%\n\nSul Lago di Como la stagione "
        "estiva si chiude con un record di presenze: alberghi, b&b e case vacanza hanno registrato un tasso di "
        "occupazione medio dell'88% tra giugno e settembre, con gli ospiti stranieri oltre il 75% del totale."
    )
    assert ids(doc) == ["turismo"]


def test_a_text_no_theme_fits_gets_none(nlp):
    assert nlp("Il Como ha battuto l'Inter 2-1 allo stadio Sinigaglia davanti a 12.000 spettatori.")._.themes == []
    assert nlp("Domani sole su tutta la Lombardia, con temperature in aumento fino a 24 gradi.")._.themes == []


def test_one_doc_at_a_time_agrees_with_pipe(nlp, docs):
    alone = nlp(LAYOFFS)
    assert ids(alone) == ids(docs["layoffs"])
    for theme, batched in zip(alone._.themes, docs["layoffs"]._.themes, strict=True):
        assert theme["score"] == pytest.approx(batched["score"], abs=1e-3)


def test_keywords_match_inflected_words_through_lemmas(nlp):
    keywords = nlp.get_pipe("rassegna_themes").keywords
    taxonomy = nlp.get_pipe("rassegna_themes").taxonomy
    hits = dict(
        zip(
            (theme.id for theme in taxonomy.themes),
            keywords.hits(lemmatized(nlp, "Le piccole imprese chiedono crediti d'imposta e licenziano 10 dipendenti.")),
            strict=True,
        )
    )
    assert hits["pmi"] >= 1  # "piccole imprese" ~ "piccola impresa"
    assert hits["incentivi-pnrr"] >= 1  # "crediti d'imposta" ~ "credito d'imposta"
    assert hits["crisi-aziendali"] >= 1  # "licenziano" ~ "licenziare"
    assert hits["lavoro"] >= 1  # "dipendenti", listed as written


def test_a_keyword_is_not_matched_through_a_verb_lemma(nlp):
    # the lookup lemmatizer turns both "porterà" and the noun "porto" into "portare"
    keywords = nlp.get_pipe("rassegna_themes").keywords
    taxonomy = nlp.get_pipe("rassegna_themes").taxonomy
    logistics = [theme.id for theme in taxonomy.themes].index("logistica")
    assert keywords.hits(lemmatized(nlp, "Il governo porterà la riforma in Parlamento entro l'estate."))[logistics] == 0
    assert keywords.hits(lemmatized(nlp, "Il porto di Genova ha movimentato più container."))[logistics] >= 2


def test_empty_text_has_no_themes(nlp):
    assert nlp("")._.themes == []
    assert nlp("   \n ")._.themes == []


def test_a_theme_added_to_the_yaml_is_used(nlp, tmp_path):
    data = yaml.safe_load(ThemeSettings().taxonomy.read_text(encoding="utf-8"))
    data["themes"].append(
        {
            "id": "nautica",
            "label": "Nautica",
            "description": "Cantieri navali e nautica da diporto: yacht, barche e saloni nautici.",
            "keywords": ["nautica", "yacht", "superyacht", "cantiere navale", "barca", "diporto"],
        }
    )
    taxonomy = tmp_path / "themes.yaml"
    taxonomy.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    extended = nlp.create_pipe("rassegna_themes", config={"taxonomy": str(taxonomy)})

    doc = extended(lemmatized(nlp, YACHTS))

    assert ids(doc)[0] == "nautica"
    assert doc._.themes[0]["score"] > 0.5


MEANTIME = shared("articles-meantime-it", "articles.jsonl")
EXPECTED = {
    "Airbus/Boeing (aerospace industry)": "aerospazio-difesa",
    "General Motors, Chrysler, Ford (automotive)": "automotive",
    "Stock markets / finance": "mercati-finanziari",
}


@needs_shared
@pytest.mark.shared
@pytest.mark.skipif(not MEANTIME.exists(), reason="MEANTIME articles not present")
def test_meantime_articles_get_their_industry(nlp):
    articles = [json.loads(line) for line in MEANTIME.read_text(encoding="utf-8").splitlines()]
    sample = [article for topic in EXPECTED for article in [a for a in articles if a["topic"] == topic][:3]]
    texts = [f"{article['title']}\n\n{article['text']}" for article in sample]
    found = [
        score(doc, EXPECTED[article["topic"]]) > 0.5 and EXPECTED[article["topic"]] in ids(doc)[:3]
        for article, doc in zip(sample, nlp.pipe(texts), strict=True)
    ]
    assert sum(found) >= len(sample) - 1
