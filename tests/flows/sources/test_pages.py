from __future__ import annotations

from flows.records import Post, Reason, Rejection, item_id
from flows.settings import Source
from flows.sources import collect


def test_page_becomes_a_post(site, serve_with_etag, fixtures, http_settings):
    html = (fixtures / "articoli" / "acciaierie.html").read_bytes()
    serve_with_etag("/economia/terni", html, "text/html; charset=utf-8", '"terni-1"')
    source = Source(name="cronache-terni", kind="page", location=site.url_for("/economia/terni"), allow_private=True)

    (post,) = collect(source, http_settings)
    again = list(collect(source, http_settings))

    assert isinstance(post, Post)
    assert post.item_id == item_id("cronache-terni", source.location)
    assert post.url == post.location == source.location
    assert post.format == "html"
    assert post.title == "Acciaierie di Terni, firmato l'accordo sugli investimenti"
    assert post.author == "Giulia Bianchi"
    assert post.published_at == "2024-03-14"
    assert "Fiom e Fim" in post.text
    assert again == []  # unchanged page: one 304, nothing new


def test_page_without_text_is_empty(site, http_settings):
    site.expect_request("/galleria").respond_with_data(
        "<html><body><img src='foto.jpg'></body></html>", content_type="text/html"
    )

    (rejection,) = collect(
        Source(name="cronache", kind="page", location=site.url_for("/galleria"), allow_private=True), http_settings
    )

    assert isinstance(rejection, Rejection) and rejection.reason == Reason.EMPTY


def test_missing_page_is_a_fetch_error(site, http_settings):
    site.expect_request("/sparito").respond_with_data("", status=410)

    (rejection,) = collect(
        Source(name="cronache", kind="page", location=site.url_for("/sparito"), allow_private=True), http_settings
    )

    assert isinstance(rejection, Rejection)
    assert rejection.reason == Reason.FETCH_ERROR and rejection.detail == "HTTP 410"
