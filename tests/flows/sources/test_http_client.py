from __future__ import annotations

import json
import socket
import time
from email.utils import formatdate

from werkzeug import Response

from flows.records import Reason
from flows.settings import HttpSettings
from flows.sources.http import PoliteClient, retry_after_seconds

ARTICLE = "<html><body><p>La Borsa di Milano chiude in rialzo grazie ai titoli bancari.</p></body></html>"


def test_fetch_sends_user_agent_and_reads_robots_once(site, http_settings, requests_to):
    site.expect_request("/economia/borsa").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    site.expect_request("/economia/banche").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")

    with PoliteClient(http_settings, allow_private=True) as client:
        first = client.fetch(site.url_for("/economia/borsa"))
        second = client.fetch(site.url_for("/economia/banche"))

    assert first.ok and second.ok
    assert first.status == 200
    assert "Borsa di Milano" in first.text
    assert first.content_type == "text/html; charset=utf-8"
    assert len(requests_to("/robots.txt")) == 1
    assert requests_to("/economia/borsa")[0].headers["User-Agent"] == http_settings.user_agent


def test_robots_disallow_blocks_without_fetching(httpserver, http_settings, requests_to):
    robots = "User-agent: rassegna\nDisallow: /riservato/\n\nUser-agent: *\nAllow: /\n"
    httpserver.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    httpserver.expect_request("/riservato/bilancio").respond_with_data(ARTICLE)
    httpserver.expect_request("/pubblico/bilancio").respond_with_data(ARTICLE)

    with PoliteClient(http_settings, allow_private=True) as client:
        blocked = client.fetch(httpserver.url_for("/riservato/bilancio"))
        allowed = client.fetch(httpserver.url_for("/pubblico/bilancio"))

    assert blocked.error == Reason.ROBOTS
    assert blocked.content == b""
    assert requests_to("/riservato/bilancio") == []
    assert allowed.ok


def test_missing_robots_allows_everything(httpserver, http_settings):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/notizia").respond_with_data(ARTICLE)

    with PoliteClient(http_settings, allow_private=True) as client:
        assert client.fetch(httpserver.url_for("/notizia")).ok


def test_unreachable_robots_keeps_the_client_away(httpserver, http_settings, requests_to):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=503)
    httpserver.expect_request("/notizia").respond_with_data(ARTICLE)

    with PoliteClient(http_settings, allow_private=True) as client:
        result = client.fetch(httpserver.url_for("/notizia"))

    assert result.error == Reason.ROBOTS
    assert requests_to("/notizia") == []


def test_429_with_retry_after_then_success(site, http_settings, requests_to):
    site.expect_oneshot_request("/listino").respond_with_data("", status=429, headers={"Retry-After": "120"})
    site.expect_request("/listino").respond_with_data(ARTICLE, content_type="text/html")

    with PoliteClient(http_settings, allow_private=True) as client:
        result = client.fetch(site.url_for("/listino"))

    assert result.ok and result.status == 200
    assert len(requests_to("/listino")) == 2


def test_503_is_retried_then_reported(site, http_settings, requests_to):
    site.expect_request("/quotazioni").respond_with_data("", status=503)

    with PoliteClient(http_settings, allow_private=True) as client:
        result = client.fetch(site.url_for("/quotazioni"))

    assert result.error == Reason.FETCH_ERROR
    assert result.status == 503
    assert "HTTP 503" in result.detail
    assert len(requests_to("/quotazioni")) == http_settings.retries + 1


def test_404_is_not_retried(site, http_settings, requests_to):
    site.expect_request("/sparito").respond_with_data("", status=404)

    with PoliteClient(http_settings, allow_private=True) as client:
        result = client.fetch(site.url_for("/sparito"))

    assert result.error == Reason.FETCH_ERROR and result.detail == "HTTP 404"
    assert len(requests_to("/sparito")) == 1


def test_transport_error_is_a_result(http_settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with PoliteClient(http_settings, allow_private=True) as client:
        result = client.fetch(f"http://127.0.0.1:{port}/notizia")

    assert result.error == Reason.ROBOTS  # robots.txt unreachable: nothing is fetched from that host
    with PoliteClient(http_settings.model_copy(update={"respect_robots": False}), allow_private=True) as client:
        result = client.fetch(f"http://127.0.0.1:{port}/notizia")
    assert result.error == Reason.FETCH_ERROR
    assert "ConnectError" in result.detail


def test_not_a_web_url_is_a_result(http_settings):
    with PoliteClient(http_settings, allow_private=True) as client:
        result = client.fetch("ftp://esempio.it/bilancio.pdf")
    assert result.error == Reason.FETCH_ERROR


def test_body_over_the_limit_with_content_length(site, http_settings):
    site.expect_request("/grande").respond_with_data("x" * 5000)
    settings = http_settings.model_copy(update={"max_bytes": 1000})

    with PoliteClient(settings, allow_private=True) as client:
        result = client.fetch(site.url_for("/grande"))

    assert result.error == Reason.TOO_LARGE
    assert result.content == b""


def test_streamed_body_over_the_limit(site, http_settings):
    def chunks():
        for _ in range(50):
            yield b"y" * 100

    site.expect_request("/flusso").respond_with_handler(lambda request: Response(chunks(), content_type="text/plain"))
    settings = http_settings.model_copy(update={"max_bytes": 1000})

    with PoliteClient(settings, allow_private=True) as client:
        result = client.fetch(site.url_for("/flusso"))

    assert result.error == Reason.TOO_LARGE
    assert "1000" in result.detail


def test_redirect_is_followed(site, http_settings):
    site.expect_request("/vecchio").respond_with_data("", status=301, headers={"Location": "/nuovo"})
    site.expect_request("/nuovo").respond_with_data(ARTICLE, content_type="text/html")

    with PoliteClient(http_settings, allow_private=True) as client:
        result = client.fetch(site.url_for("/vecchio"))

    assert result.ok
    assert result.url == site.url_for("/nuovo")


def test_etag_round_trip_costs_one_304(site, http_settings, serve_with_etag, requests_to):
    serve_with_etag(
        "/rss.xml", b"<rss version='2.0'><channel><title>Economia</title></channel></rss>", "text/xml", '"v1"'
    )
    url = site.url_for("/rss.xml")

    with PoliteClient(http_settings, allow_private=True) as client:
        first = client.fetch(url)
    cache = json.loads(http_settings.cache_file.read_text())
    with PoliteClient(http_settings, allow_private=True) as client:
        second = client.fetch(url)

    assert first.ok and not first.not_modified
    assert cache[url]["etag"] == '"v1"'
    assert second.not_modified and second.status == 304 and second.content == b""
    assert [request.headers.get("If-None-Match") for request in requests_to("/rss.xml")] == [None, '"v1"']


def test_last_modified_is_sent_back(site, http_settings, requests_to):
    stamp = "Wed, 06 Mar 2024 10:00:00 GMT"
    site.expect_request("/pagina").respond_with_data(ARTICLE, headers={"Last-Modified": stamp})

    for _ in range(2):
        with PoliteClient(http_settings, allow_private=True) as client:
            client.fetch(site.url_for("/pagina"))

    assert [request.headers.get("If-Modified-Since") for request in requests_to("/pagina")] == [None, stamp]


def test_unconditional_fetch_neither_sends_nor_stores_validators(site, http_settings, serve_with_etag):
    serve_with_etag("/articolo", ARTICLE.encode(), "text/html", '"a1"')

    for _ in range(2):
        with PoliteClient(http_settings, allow_private=True) as client:
            result = client.fetch(site.url_for("/articolo"), conditional=False)
        assert result.ok

    assert not http_settings.cache_file.exists()


def test_corrupt_cache_file_is_ignored(site, http_settings):
    http_settings.cache_file.parent.mkdir(parents=True)
    http_settings.cache_file.write_text("{non è json")
    site.expect_request("/notizia").respond_with_data(ARTICLE, headers={"ETag": '"n1"'})

    with PoliteClient(http_settings, allow_private=True) as client:
        assert client.fetch(site.url_for("/notizia")).ok

    assert json.loads(http_settings.cache_file.read_text())[site.url_for("/notizia")] == {"etag": '"n1"'}


def test_retry_after_values():
    assert retry_after_seconds("7", cap=10) == 7
    assert retry_after_seconds("600", cap=10) == 10
    assert retry_after_seconds(formatdate(time.time() + 3600, usegmt=True), cap=10) == 10
    assert retry_after_seconds(formatdate(time.time() - 3600, usegmt=True), cap=10) == 0
    assert retry_after_seconds("domani", cap=10) is None
    assert retry_after_seconds(None, cap=10) is None


def test_charset_from_header_decodes_text(site, http_settings: HttpSettings):
    body = "<p>Perché il fatturato è cresciuto così tanto?</p>".encode("latin-1")
    site.expect_request("/latin").respond_with_data(body, content_type="text/html; charset=iso-8859-1")

    with PoliteClient(http_settings, allow_private=True) as client:
        result = client.fetch(site.url_for("/latin"))

    assert "Perché il fatturato è cresciuto così tanto?" in result.text
