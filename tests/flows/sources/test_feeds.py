from __future__ import annotations

from flows.records import Post, Reason, Rejection, item_id
from flows.settings import Source
from flows.sources import collect
from flows.sources.feeds import collect_feed
from flows.sources.http import PoliteClient


def serve_feed_site(site, serve_with_etag, fixtures) -> str:
    """The fixture feed at /rss/feed.xml: two article pages served, the other two links answer 404."""
    serve_with_etag("/rss/feed.xml", (fixtures / "feed.xml").read_bytes(), "application/rss+xml", '"feed-1"')
    for name in ("acciaierie", "vino"):
        html = (fixtures / "articoli" / f"{name}.html").read_bytes()
        site.expect_request(f"/rss/articoli/{name}.html").respond_with_data(html, content_type="text/html")
    for name in ("ifis", "bce"):
        site.expect_request(f"/rss/articoli/{name}.html").respond_with_data("", status=404)
    return site.url_for("/rss/feed.xml")


def test_web_feed_follows_relative_links_and_falls_back(site, serve_with_etag, fixtures, http_settings):
    source = Source(
        name="cronache", kind="feed", location=serve_feed_site(site, serve_with_etag, fixtures), allow_private=True
    )

    with PoliteClient(http_settings, allow_private=True) as client:
        items = list(collect_feed(source, client))

    terni, vino, ifis, bce = items
    assert isinstance(terni, Post) and terni.format == "html"
    assert terni.url == terni.location == site.url_for("/rss/articoli/acciaierie.html")
    assert terni.item_id == item_id("cronache", terni.location)
    assert terni.title == "Acciaierie di Terni, firmato l'accordo sugli investimenti"
    assert terni.published_at == "2024-03-14"  # the page's own date
    assert "1,1 miliardi di euro" in terni.text

    assert isinstance(vino, Post) and vino.format == "html"
    assert vino.published_at == "2024-02-02T10:00:00+00:00"  # the page has none: the item's
    assert "Prosecco" in vino.text

    assert isinstance(ifis, Post) and ifis.format == "feed"  # page 404: the item's summary
    assert ifis.url == site.url_for("/rss/articoli/ifis.html")
    assert ifis.text == (
        "Banca Ifis chiude il primo trimestre con un utile netto di 45 milioni di euro, in crescita del 9 per cento.\n"
        "La banca veneziana conferma gli obiettivi del piano industriale."
    )
    assert ifis.author == "Marco Rossi"
    assert ifis.title == "Banca Ifis, utile in crescita nel trimestre"

    assert isinstance(bce, Rejection)  # page 404 and no summary
    assert bce.reason == Reason.FETCH_ERROR and bce.detail == "HTTP 404"
    assert bce.location == site.url_for("/rss/articoli/bce.html")


def test_unchanged_feed_yields_nothing_the_second_time(site, serve_with_etag, fixtures, http_settings, requests_to):
    source = Source(
        name="cronache", kind="feed", location=serve_feed_site(site, serve_with_etag, fixtures), allow_private=True
    )

    first = list(collect(source, http_settings))
    second = list(collect(source, http_settings))

    assert len(first) == 4
    assert second == []
    assert [r.headers.get("If-None-Match") for r in requests_to("/rss/feed.xml")] == [None, '"feed-1"']
    assert len(requests_to("/rss/articoli/acciaierie.html")) == 1


def test_local_feed_reads_linked_files_next_to_it(fixtures, http_settings):
    source = Source(name="campioni", kind="feed", location=str(fixtures / "feed.xml"))

    items = list(collect(source, http_settings))

    terni, vino, ifis, bce = items
    assert isinstance(terni, Post) and terni.url is None
    assert terni.location == str((fixtures / "articoli" / "acciaierie.html").resolve())
    assert terni.author == "Giulia Bianchi"
    assert isinstance(vino, Post) and "Conegliano Valdobbiadene" in vino.text
    assert isinstance(ifis, Post) and ifis.format == "feed" and ifis.url is None
    assert isinstance(bce, Rejection) and bce.reason == Reason.UNREADABLE
    assert not http_settings.cache_file.exists()


def test_local_feed_with_file_urls(tmp_path, fixtures, http_settings):
    page = fixtures / "articoli" / "vino.html"
    feed = tmp_path / "feed.atom"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Nordest</title><id>urn:nordest</id>'
        "<updated>2024-02-02T10:00:00Z</updated>"
        f'<entry><title>Export del vino</title><id>urn:vino</id><link href="{page.as_uri()}"/>'
        "<updated>2024-02-02T10:00:00Z</updated></entry></feed>",
        encoding="utf-8",
    )

    (post,) = collect(Source(name="nordest", kind="feed", location=str(feed)), http_settings)

    assert isinstance(post, Post)
    assert post.location == str(page)
    assert post.title == "Export del vino, il Prosecco traina la crescita"


def test_web_feed_fetch_failure_is_one_rejection(site, http_settings):
    site.expect_request("/rss/rotto.xml").respond_with_data("", status=404)
    source = Source(name="cronache", kind="feed", location=site.url_for("/rss/rotto.xml"), allow_private=True)

    (rejection,) = collect(source, http_settings)

    assert isinstance(rejection, Rejection)
    assert rejection.reason == Reason.FETCH_ERROR
    assert rejection.location == source.location


def test_html_instead_of_a_feed_is_unreadable(fixtures, http_settings):
    source = Source(name="campioni", kind="feed", location=str(fixtures / "articoli" / "vino.html"))

    (rejection,) = collect(source, http_settings)

    assert isinstance(rejection, Rejection) and rejection.reason == Reason.UNREADABLE
    assert rejection.detail.startswith("not a feed")


def test_a_surrogate_reference_in_a_local_feed_spoils_neither_the_item_nor_the_feed(tmp_path, http_settings):
    """Expected: both items collected, U+FFFD in place of `&#xD800;` / `&#56320;` (feedparser alone fails the feed)."""
    feed = tmp_path / "feed.xml"
    items = "".join(
        f"<item><title>Forl{ref} {n}</title><guid>forli-{n}</guid>"
        f"<description>{'Il distretto di Forlì cresce ancora. ' * 6}</description></item>"
        for n, ref in ((1, "&#xD800;"), (2, "&#56320;"))
    )
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>')

    with PoliteClient(http_settings) as client:
        found = list(collect_feed(Source(name="locale", kind="feed", location=str(feed)), client))

    assert [item.title for item in found if isinstance(item, Post)] == ["Forl\ufffd 1", "Forl\ufffd 2"]
