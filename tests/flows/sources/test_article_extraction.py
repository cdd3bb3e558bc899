from __future__ import annotations

from flows.extraction import (
    Metadata,
    extract_html,
    extract_markdown,
    extract_plain,
    html_fragment_text,
    read_front_matter,
)


def test_article_page_gives_body_and_metadata(fixtures):
    article = extract_html((fixtures / "articoli" / "acciaierie.html").read_text(encoding="utf-8"))

    assert article is not None
    assert article.title == "Acciaierie di Terni, firmato l'accordo sugli investimenti"
    assert article.author == "Giulia Bianchi"
    assert article.published_at == "2024-03-14"
    lines = article.text.splitlines()
    assert lines[0].startswith("Il gruppo Arvedi e il ministero delle Imprese")
    assert "Il nodo dell'energia" in lines
    quote = "«Terni può tornare a essere un punto di riferimento per l'acciaio inossidabile in Europa», ha detto il"
    assert f"{quote} ministro al termine dell'incontro." in lines
    assert lines[-1] == "Le prime gare per gli impianti partiranno entro l'estate."
    for boilerplate in ("Abbonati", "cookie", "Leggi anche", "Piazza Affari", "P.IVA"):
        assert boilerplate not in article.text


def test_date_is_not_guessed_from_footer_numbers(fixtures):
    article = extract_html((fixtures / "articoli" / "vino.html").read_text(encoding="utf-8"))

    assert article is not None
    assert article.title == "Export del vino, il Prosecco traina la crescita"
    assert article.published_at is None
    assert "Registrazione Tribunale" not in article.text


def test_date_from_url(fixtures):
    html = (fixtures / "articoli" / "vino.html").read_text(encoding="utf-8")
    article = extract_html(html, url="https://nordest.example/2024/02/02/export-vino-prosecco")

    assert article is not None and article.published_at == "2024-02-02"


def test_page_without_text_gives_none():
    html = "<html><head><title>Galleria</title></head><body><img src='foto.jpg'><script>track()</script></body></html>"
    assert extract_html(html) is None
    assert extract_html("") is None


def test_markdown_title_and_plain_body():
    source = (
        "# Fincantieri, *nuove commesse* da Carnival\n\n"
        "Il gruppo ha firmato un accordo per **quattro navi** da crociera,\nconsegne entro il 2029.\n\n"
        "## I numeri\n\n- valore: 4 miliardi\n- cantiere: [Monfalcone](https://it.wikipedia.org/wiki/Monfalcone)\n"
    )
    document = extract_markdown(source)

    assert document is not None
    assert document.title == "Fincantieri, nuove commesse da Carnival"
    assert document.text.splitlines() == [
        "Il gruppo ha firmato un accordo per quattro navi da crociera, consegne entro il 2029.",
        "I numeri",
        "valore: 4 miliardi",
        "cantiere: Monfalcone",
    ]


def test_markdown_without_body_gives_none():
    assert extract_markdown("# Solo un titolo\n") is None


def test_plain_text_title_when_short_and_followed_by_blank_line():
    document = extract_plain("Luxottica, ricavi in crescita\n\nIl gruppo di Agordo chiude l'anno con ricavi record.\n")
    assert document is not None
    assert document.title == "Luxottica, ricavi in crescita"
    assert document.text == "Il gruppo di Agordo chiude l'anno con ricavi record."


def test_plain_text_without_title():
    text = "Il gruppo di Agordo chiude l'anno con ricavi record.\nLe vendite crescono in Nord America."
    document = extract_plain(text)
    assert document is not None
    assert document.title is None
    assert document.text == text


def test_html_fragment_keeps_one_line_per_block():
    fragment = "<p>Banca Ifis chiude il <b>primo trimestre</b>\n in utile.</p><ul><li>Utile: 45 milioni</li></ul>"
    assert html_fragment_text(fragment) == "Banca Ifis chiude il primo trimestre in utile.\nUtile: 45 milioni"


BROKEN_PAGE = """<html>
<head>
<meta charset="utf-8">
<title>Lumezzane, la Valtrompia assume: 200 posti nelle aziende del metallo - Brescia Lavoro</title>
<meta name="author" content="Chiara Bonomi">
<meta property="article:published_time" content="2026-10-01T09:00:00+02:00">
<body>
<div class=cookie>Usiamo cookie tecnici e di profilazione. <a href=/cookie>Informativa</a> <button>Accetto
<div class=menu><a href=/>Home</a> | <a href=/lavoro/>Lavoro</a> | <a href=/imprese/>Imprese
<div id=articolo>
<h1>Lumezzane, la Valtrompia assume: 200 posti nelle aziende del metallo</h2>
<p>Le aziende metalmeccaniche della Valtrompia cercano personale: secondo l'indagine dell'associazione industriale
bresciana, entro la primavera serviranno almeno 200 tra operai specializzati, manutentori e tecnici di produzione.
<p>La domanda arriva soprattutto dalle fonderie e dalle officine di <b>Lumezzane e Sarezzo, che lavorano per
l'automotive e per la rubinetteria. "Fatichiamo a trovare saldatori e attrezzisti", racconta un imprenditore.</span>
<div class=box><p>Tre istituti tecnici della valle hanno avviato corsi serali gratuiti con le imprese del territorio.
<div class=footer>&copy; 2026 Brescia Lavoro - <a href=/privacy>Privacy</a>
"""

LAYOUT_ONLY_PAGE = """<!doctype html>
<html lang="it"><head><title>Archivio - Brescia Lavoro</title></head><body>
<div class="cookie">Usiamo cookie tecnici. <button>Accetto</button></div>
<nav><a href="/">Home</a> <a href="/lavoro/">Lavoro</a> <a href="/imprese/">Imprese</a>
<a href="/eventi/">Eventi</a></nav>
<main><h1>Archivio</h1><article></article></main>
<footer>&copy; 2026 Brescia Lavoro - <a href="/privacy">Privacy</a></footer>
</body></html>
"""


def test_broken_page_is_read_without_the_precise_pass():
    article = extract_html(BROKEN_PAGE)

    assert article is not None
    assert article.title == "Lumezzane, la Valtrompia assume: 200 posti nelle aziende del metallo"
    assert article.author == "Chiara Bonomi"
    assert article.published_at == "2026-10-01"
    assert article.text.startswith("Le aziende metalmeccaniche della Valtrompia cercano personale")
    assert "racconta un imprenditore." in article.text
    assert article.text.endswith("corsi serali gratuiti con le imprese del territorio.")
    for boilerplate in ("cookie", "Accetto", "Home", "Privacy"):
        assert boilerplate not in article.text


def test_page_with_layout_only_gives_none():
    assert extract_html(LAYOUT_ONLY_PAGE) is None


def test_front_matter_fills_metadata_and_leaves_the_body():
    source = (
        "---\n"
        'title: "Brembo, utile in crescita nel semestre: ordini dall\'Asia"\n'
        "date: 2026-07-30T08:15:00+02:00\n"
        "author: Sara Pesenti\n"
        "url: https://www.bergamoeconomia.example/brembo-semestre\n"
        "---\n\n"
        "Il gruppo di Curno chiude il semestre con un utile netto in crescita del 6 per cento.\n\n"
        "---\n\n"
        "Gli ordini arrivano soprattutto dalla Cina e dall'India.\n"
    )
    metadata, body = read_front_matter(source)

    assert metadata.title == "Brembo, utile in crescita nel semestre: ordini dall'Asia"
    assert metadata.author == "Sara Pesenti"
    assert metadata.published_at == "2026-07-30T08:15:00+02:00"
    assert metadata.url == "https://www.bergamoeconomia.example/brembo-semestre"
    assert body.startswith("Il gruppo di Curno")
    assert body.endswith("dall'India.")


def test_front_matter_date_only_and_published_at():
    metadata, _ = read_front_matter("---\ntitle: Brembo\ndate: 2026-07-30\n---\nIl gruppo di Curno cresce.\n")
    assert metadata.published_at == "2026-07-30"
    metadata, _ = read_front_matter("---\npublished_at: '2026-07-30T08:15:00Z'\n---\nIl gruppo di Curno cresce.\n")
    assert metadata.published_at == "2026-07-30T08:15:00Z"
    metadata, _ = read_front_matter("---\ndate: trenta luglio\n---\nIl gruppo di Curno cresce.\n")
    assert metadata.published_at is None


def test_invalid_front_matter_is_dropped_without_metadata():
    source = "---\ntitle: Milano: Piazza Affari chiude in rialzo\n---\nBene le banche e le utility.\n"
    metadata, body = read_front_matter(source)
    assert metadata == Metadata()
    assert body == "Bene le banche e le utility."


def test_text_without_front_matter_is_left_whole():
    source = "Il gruppo di Curno cresce.\n\n---\n\nGli ordini arrivano dall'Asia.\n---\n"
    metadata, body = read_front_matter(source)
    assert metadata == Metadata()
    assert body == source.strip()


def test_front_matter_that_is_no_mapping_is_left_in_the_text():
    source = "---\nIl gruppo di Curno cresce.\n---\nGli ordini arrivano dall'Asia."
    assert read_front_matter(source) == (Metadata(), source)
    assert read_front_matter("---\ntitle: Brembo\n\nIl gruppo cresce.") == (
        Metadata(),
        "---\ntitle: Brembo\n\nIl gruppo cresce.",
    )
