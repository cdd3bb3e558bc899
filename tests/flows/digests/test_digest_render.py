"""The digest as editors read it: Italian HTML and text, escaped article text, safe links, the e-mail's parts."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from email.policy import default

import pytest

from flows.digests.compose import compose
from flows.digests.message import DIGEST_HEADER, build_message, chart_cid
from flows.digests.pipeline import chart_png, due_digests
from flows.digests.render import delta, http_url, render_html, render_text, subject
from flows.warehouse import Warehouse
from tests.flows.digests.digest_data import AS_OF

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def banks(settings):
    job = next(j for j in due_digests(settings, "daily", AS_OF) if j.subscription.id == "banche")
    with Warehouse(settings.warehouse.folder).connect() as con:
        return compose(con, job, settings.digests)


def test_compose_counts_what_moved(banks):
    assert [r.article.article_id for r in banks.items] == ["a1", "a3", "a4"]
    assert (banks.matched, banks.previous_matched) == (3, 1)
    assert banks.sentiment["positive"] == 2 and banks.previous_sentiment["neutral"] == 1
    assert [(e.canonical, e.articles, e.previous) for e in banks.organisations][:1] == [("UniCredit", 2, 1)]
    assert [e.canonical for e in banks.places] == ["Milano", "Francoforte"]
    assert [(e.canonical, e.good, e.bad) for e in banks.good_news] == [("Borsa Italiana", 1, 0), ("UniCredit", 1, 0)]
    assert [(e.canonical, e.good, e.bad) for e in banks.bad_news] == [("Intesa Sanpaolo", 0, 1)]
    assert banks.periods == [AS_OF - timedelta(days=2), AS_OF - timedelta(days=1)]  # previous window, this one
    assert banks.sentiment_by_period == {"positive": [0, 2], "neutral": [1, 1], "negative": [0, 0]}


def test_weekly_chart_has_a_bar_per_day_of_both_windows(settings):
    (job,) = due_digests(settings, "weekly", AS_OF)
    with Warehouse(settings.warehouse.folder).connect() as con:
        content = compose(con, job, settings.digests)
    assert len(content.periods) == 14 and content.periods[7] == job.window.start
    assert sum(content.sentiment_by_period["positive"][7:]) == 4  # a1, a4, a5, p2
    assert content.sentiment_by_period["positive"][:7] == [0, 0, 0, 0, 0, 1, 0]  # o1, nine days before
    assert chart_png(content).startswith(PNG_MAGIC)


def test_html_is_italian_escaped_and_links_only_http(banks):
    html = render_html(banks, "cid:chart@example.it")
    assert "Cosa è cambiato" in html and "Organizzazioni più citate" in html
    assert "3 articoli</strong> sui temi seguiti (+2; nella finestra precedente: 1)" in html
    assert "UniCredit: 2 articoli (+1)" in html
    assert "Buone notizie per" in html and "Intesa Sanpaolo: 1 articolo</li>" in html.split("Cattive notizie per")[1]
    assert "<script>" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:" not in html
    assert 'href="https://www.example.it/finanza/unicredit-dividendo"' in html
    assert html.count("<a href=") == 2  # a4's javascript: URL is shown without a link
    assert '<img src="cid:chart@example.it"' in html
    assert "9 mar 2025, 07:00" in html  # window start, Europe/Rome


def test_text_version_lists_the_articles(banks):
    text = render_text(banks)
    assert text.startswith("Rassegna giornaliera · Banche · 3 articoli · 10 mar 2025\n")
    assert "1. UniCredit alza il dividendo dopo un anno record" in text
    assert "   https://www.example.it/finanza/unicredit-dividendo" in text
    assert "Entità: UniCredit, Andrea Orcel, Milano" in text
    assert "javascript:" not in text
    assert "- negativo: 0 (=)" in text
    assert "Buone notizie per:\n- Borsa Italiana: 1 articolo\n- UniCredit: 1 articolo\n\nCattive notizie per:\n" in text
    assert "Cattive notizie per:\n- Intesa Sanpaolo: 1 articolo\n\nARTICOLI" in text


def test_message_is_alternative_with_inline_chart(banks, settings):
    png = chart_png(banks)
    assert png.startswith(PNG_MAGIC)
    cid = chart_cid(settings.digests.smtp.from_address)
    message = build_message(
        subject=subject(banks),
        from_address=settings.digests.smtp.from_address,
        to_name="Giulia Rossi",
        to_address="giulia.rossi@example.it",
        text=render_text(banks),
        html=render_html(banks, f"cid:{cid}"),
        chart_png=png,
        cid=cid,
        key=banks.job.key,
        date=AS_OF,
    )
    parsed = message_from_bytes(message.as_bytes(), policy=default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed["To"] == "Giulia Rossi <giulia.rossi@example.it>"
    assert parsed["Subject"] == "Rassegna giornaliera · Banche · 3 articoli · 10 mar 2025"
    assert parsed[DIGEST_HEADER] == "banche|2025-03-09T06:00:00+00:00|2025-03-10T06:00:00+00:00"
    plain, related = parsed.get_payload()
    assert plain.get_content_type() == "text/plain"
    html, image = related.get_payload()
    assert (related.get_content_type(), html.get_content_type()) == ("multipart/related", "text/html")
    assert image.get_content_type() == "image/png" and image["Content-ID"] == f"<{cid}>"
    assert image.get_content() == png
    assert f"cid:{cid}" in html.get_content()


def test_helpers():
    assert http_url("https://example.it/a?b=1") == "https://example.it/a?b=1"
    assert http_url("HTTP://example.it") == "HTTP://example.it"
    for bad in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "/relative", "http://", None):
        assert http_url(bad) is None
    assert (delta(3, 1), delta(1, 3), delta(2, 2)) == ("+2", "−2", "=")
