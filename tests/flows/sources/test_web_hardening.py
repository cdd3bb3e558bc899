"""Web collection stays in bounds: public targets only unless a source allows more, deadlines, RFC 9309 robots.txt."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from flows.records import Post, Reason, Rejection
from flows.settings import Source
from flows.sources import addresses, collect
from flows.sources.addresses import BlockedAddress, is_public, reachable_addresses
from flows.sources.http import PoliteClient, ValidatorCache

ARTICLE = "<html><body><p>La Borsa di Milano chiude in rialzo grazie ai titoli bancari.</p></body></html>"


def rss(*items: str) -> str:
    entries = "".join(f"<item><title>Notizia {n}</title><link>{link}</link></item>" for n, link in enumerate(items))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Cronache</title>{entries}</channel></rss>'


def never_connect(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError(f"connected to {args[0]}")

    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("::ffff:8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("169.254.169.254", False),  # cloud metadata, link-local
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("233.252.0.1", False),  # multicast, even a globally scoped one
        ("240.0.0.1", False),  # reserved
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff0e::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
    ],
)
def test_only_public_unicast_addresses_are_public(address, public):
    assert is_public(address) is public


def test_one_private_address_among_the_resolved_ones_blocks_the_host(monkeypatch):
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in ("93.184.216.34", "10.0.0.7")]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)

    with pytest.raises(BlockedAddress, match="10.0.0.7"):
        reachable_addresses("notizie.example", 80)


def test_metadata_address_is_refused_before_connecting(http_settings, monkeypatch):
    never_connect(monkeypatch)
    source = Source(name="cronache", kind="page", location="http://169.254.169.254/latest/meta-data/")

    (rejection,) = collect(source, http_settings)

    assert isinstance(rejection, Rejection)
    assert rejection.reason == Reason.BLOCKED_ADDRESS
    assert "169.254.169.254" in rejection.detail


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "2130706433", "0.0.0.0"])
def test_loopback_in_any_spelling_is_refused(site, http_settings, host):
    site.expect_request("/interno").respond_with_data(ARTICLE, content_type="text/html")
    url = f"http://{host}:{site.port}/interno"

    with PoliteClient(http_settings) as client:
        refused = client.fetch(url)
    with PoliteClient(http_settings, allow_private=True) as client:
        allowed = client.fetch(site.url_for("/interno"))

    assert refused.error == Reason.BLOCKED_ADDRESS  # not even robots.txt was asked
    assert [request.path for request, _ in site.log] == ["/robots.txt", "/interno"]  # only the allowed client's
    assert allowed.ok


def test_local_feed_linking_to_a_loopback_port_is_refused_unless_allowed(site, tmp_path, http_settings):
    site.expect_request("/articolo").respond_with_data(ARTICLE, content_type="text/html")
    feed = tmp_path / "feed.xml"
    feed.write_text(rss(site.url_for("/articolo")), encoding="utf-8")

    (refused,) = collect(Source(name="campioni", kind="feed", location=str(feed)), http_settings)
    assert site.log == []
    (post,) = collect(Source(name="campioni", kind="feed", location=str(feed), allow_private=True), http_settings)

    assert isinstance(refused, Rejection) and refused.reason == Reason.BLOCKED_ADDRESS
    assert isinstance(post, Post) and "Borsa di Milano" in post.text


def test_web_feed_linking_to_a_local_file_is_refused(site, tmp_path, http_settings):
    secret = tmp_path / "segreto.html"
    secret.write_text("<html><body><p>La password del server è cavallo-batteria-graffetta.</p></body></html>")
    site.expect_request("/rss.xml").respond_with_data(rss(secret.as_uri()), content_type="application/rss+xml")
    source = Source(name="cronache", kind="feed", location=site.url_for("/rss.xml"), allow_private=True)

    (rejection,) = collect(source, http_settings)

    assert isinstance(rejection, Rejection)
    assert rejection.reason == Reason.BLOCKED_ADDRESS
    assert "local file" in rejection.detail


def test_redirect_from_a_public_page_to_loopback_is_refused(httpserver_ipv4, http_settings, monkeypatch):
    # the test server stands in for a public site; every other private address stays private
    monkeypatch.setattr(addresses, "is_public", lambda address: address == "127.0.0.1")
    site = httpserver_ipv4
    site.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    site.expect_request("/vecchio").respond_with_data(
        "", status=302, headers={"Location": f"http://127.0.0.2:{site.port}/admin"}
    )

    with PoliteClient(http_settings) as client:
        result = client.fetch(site.url_for("/vecchio"))

    assert result.error == Reason.BLOCKED_ADDRESS
    assert result.url == f"http://127.0.0.2:{site.port}/admin"
    assert "127.0.0.2" in result.detail


def test_host_rebinding_to_loopback_after_the_check_is_refused_at_connect(site, http_settings, monkeypatch):
    site.expect_request("/articolo").respond_with_data(ARTICLE, content_type="text/html")
    real_getaddrinfo = socket.getaddrinfo
    answers = iter(["93.184.216.34", "127.0.0.1"])  # public when checked, loopback when connecting

    def rebinding(host, port, *args, **kwargs):
        if host != "notizie.example":
            return real_getaddrinfo(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers, "127.0.0.1"), port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    settings = http_settings.model_copy(update={"respect_robots": False})

    with PoliteClient(settings) as client:
        result = client.fetch(f"http://notizie.example:{site.port}/articolo")

    assert result.error == Reason.BLOCKED_ADDRESS
    assert site.log == []


@pytest.fixture
def slow_server() -> Iterator[str]:
    """A raw HTTP server on 127.0.0.1: robots.txt answers 404 at once, /goccia trickles one byte a second,
    /muto sends its headers and then nothing."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def answer(connection: socket.socket) -> None:
        with connection, connection.makefile("rb") as request:
            path = (request.readline().split() or [b"", b""])[1]
            while request.readline().strip():
                pass
            if path == b"/robots.txt":
                connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n")
            try:
                while not stop.wait(1.0):
                    if path == b"/goccia":
                        connection.sendall(b"x")
            except OSError:
                return

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=answer, args=(connection,), daemon=True).start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    acceptor.join()
    listener.close()


@pytest.mark.parametrize("path", ["/goccia", "/muto"])
def test_slow_server_is_cut_at_the_request_deadline_and_the_next_source_is_collected(
    slow_server, site, fixtures, http_settings, path
):
    site.expect_request("/economia/terni").respond_with_data(
        (fixtures / "articoli" / "acciaierie.html").read_bytes(), content_type="text/html"
    )
    settings = http_settings.model_copy(update={"request_deadline_s": 1.5})  # timeout_s (per read) is 5
    sources = [
        Source(name="lento", kind="page", location=slow_server + path, allow_private=True),
        Source(name="cronache", kind="page", location=site.url_for("/economia/terni"), allow_private=True),
    ]

    started = time.monotonic()
    (cut,) = collect(sources[0], settings)
    elapsed = time.monotonic() - started
    (post,) = collect(sources[1], settings)

    assert isinstance(cut, Rejection) and cut.reason == Reason.FETCH_ERROR
    assert cut.detail == "request deadline of 1.5s reached"
    assert 1.5 <= elapsed < 2.5
    assert isinstance(post, Post) and "Fiom e Fim" in post.text


def test_retry_that_would_pass_the_request_deadline_is_not_made(site, http_settings, requests_to):
    site.expect_request("/listino").respond_with_data("", status=503, headers={"Retry-After": "5"})
    settings = http_settings.model_copy(update={"request_deadline_s": 1.0, "max_retry_after_s": 10})

    started = time.monotonic()
    with PoliteClient(settings, allow_private=True) as client:
        result = client.fetch(site.url_for("/listino"))

    assert time.monotonic() - started < 1.0
    assert result.error == Reason.FETCH_ERROR and result.detail == "HTTP 503; no time left for attempt 2"
    assert len(requests_to("/listino")) == 1


def test_feed_items_past_the_source_deadline_are_rejected_and_the_feed_reread(
    site, serve_with_etag, http_settings, requests_to
):
    def slow_page(request):
        time.sleep(2.0)
        return ARTICLE

    links = [site.url_for(f"/lento/{n}.html") for n in (1, 2, 3)]
    feed = rss(*links).replace("</link>", "</link><description>Il riassunto della notizia.</description>")
    serve_with_etag("/rss.xml", feed.encode(), "application/rss+xml", '"v1"')
    site.expect_request("/lento/1.html").respond_with_handler(slow_page)
    settings = http_settings.model_copy(update={"source_deadline_s": 1.0})
    source = Source(name="cronache", kind="feed", location=site.url_for("/rss.xml"), allow_private=True)

    started = time.monotonic()
    items = list(collect(source, settings))
    elapsed = time.monotonic() - started

    assert [(type(item), item.reason, item.detail) for item in items] == [
        (Rejection, Reason.FETCH_ERROR, "source deadline of 1s reached")
    ] * 3  # no stand-in from the item's summary: the pages are fetched next run
    assert [item.location for item in items] == links
    assert elapsed < 1.9  # not waiting for the slow page
    assert requests_to("/lento/2.html") == [] and requests_to("/lento/3.html") == []
    assert ValidatorCache(settings.cache_file).request_headers(source.location) == {}


def test_crawl_delay_is_honoured_but_never_past_the_source_deadline(httpserver, http_settings, requests_to):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nCrawl-delay: 0.6\n")
    httpserver.expect_request("/a").respond_with_data(ARTICLE)
    settings = http_settings.model_copy(update={"max_retry_after_s": 60})

    started = time.monotonic()
    with PoliteClient(settings, allow_private=True) as client:
        assert client.fetch(httpserver.url_for("/a")).ok
    assert time.monotonic() - started >= 0.6  # robots.txt was the first request to the host

    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nCrawl-delay: 30\n")
    started = time.monotonic()
    with PoliteClient(settings.model_copy(update={"source_deadline_s": 1.0}), allow_private=True) as client:
        result = client.fetch(httpserver.url_for("/a"))
    assert result.error == Reason.FETCH_ERROR and result.detail == "source deadline of 1s reached"
    assert time.monotonic() - started < 1.8
    assert requests_to("/a") == []


@pytest.mark.parametrize(
    ("robots", "path", "allowed"),
    [
        ("User-agent: *\nDisallow: /*.pdf$\n", "/doc.pdf", False),
        ("User-agent: *\nDisallow: /*.pdf$\n", "/doc.html", True),
        ("User-agent: *\nDisallow: /\nAllow: /notizie/\n", "/notizie/a", True),
        ("User-agent: *\nDisallow: /\nAllow: /notizie/\n", "/altro", False),
    ],
)
def test_robots_txt_wildcards_and_longest_match_per_rfc_9309(httpserver, http_settings, robots, path, allowed):
    httpserver.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    httpserver.expect_request(path).respond_with_data(ARTICLE)

    with PoliteClient(http_settings, allow_private=True) as client:
        result = client.fetch(httpserver.url_for(path))

    assert result.ok is allowed
    assert result.error == (None if allowed else Reason.ROBOTS)
