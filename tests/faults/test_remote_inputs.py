"""One remote input never crashes or exhausts the run: a bad link, a decompression bomb, the metadata address, a
`file:` link in a web feed. Each is one `rejected` row; the other items are stored."""

from __future__ import annotations

import gzip
import zlib

from pytest_httpserver import HTTPServer
from werkzeug import Response

from tests.faults.conftest import config, rassegna, rows

ARTICLE = """<html><head><title>Fonderia Bresciana assume</title></head><body><article><h1>Fonderia Bresciana assume
</h1><p>La Fonderia Bresciana di Brescia ha annunciato oggi trenta nuove assunzioni nello stabilimento di via Milano,
dopo un semestre chiuso con ordini in crescita del dodici per cento e nuovi clienti in Germania e in Francia.</p>
<p>Il piano prevede anche un investimento di quattro milioni di euro in un nuovo forno elettrico entro l'estate.</p>
</article></body></html>"""


def feed(site: HTTPServer, links: list[str]) -> str:
    items = "".join(
        f"<item><title>Notizia {n}</title><link>{link}</link><description>Testo {n}</description></item>"
        for n, link in enumerate(links)
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Locale</title>{items}</channel></rss>'
    site.expect_request("/feed.xml").respond_with_data(body, content_type="application/rss+xml")
    return site.url_for("/feed.xml")


def test_a_feed_item_with_a_broken_or_local_link_is_one_rejected_row(site: HTTPServer, tmp_path):
    site.expect_request("/articolo").respond_with_data(ARTICLE, content_type="text/html")
    url = feed(site, ["http://[object Object]/", site.url_for("/articolo"), "file:///etc/passwd"])
    source = f'[[sources]]\nname = "locale"\nkind = "feed"\nlocation = "{url}"\nallow_private = true\n'
    outcome = rassegna("run", config=config(tmp_path, source))
    assert outcome.code == 0, outcome.output
    assert "Traceback" not in outcome.output and outcome.last_line.startswith("stored 1 articles, rejected 2")
    assert rows(tmp_path, "SELECT count(*) FROM articles") == [(1,)]
    local, broken = sorted(rows(tmp_path, "SELECT reason, detail FROM rejected"))
    assert local[0] == "blocked_address" and local[1].startswith("a web feed links to a local file: file:")
    assert broken == ("fetch_error", "invalid URL: http://[object Object]/")


def test_a_page_source_with_a_broken_url_is_one_rejected_row(tmp_path):
    source = '[[sources]]\nname = "pagina"\nkind = "page"\nlocation = "http://[object Object]/"\n'
    outcome = rassegna("run", config=config(tmp_path, source))
    assert "Traceback" not in outcome.output, outcome.output
    assert rows(tmp_path, "SELECT reason, detail FROM rejected") == [
        ("fetch_error", "invalid URL: http://[object Object]/")
    ]


def gzip_bomb(size: int) -> bytes:
    """`size` zero bytes, gzipped twice: a couple of kilobytes on the wire."""
    inner = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block, parts = bytes(1 << 20), []
    for _ in range(size >> 20):
        parts.append(inner.compress(block))
    parts.append(inner.flush())
    return gzip.compress(b"".join(parts), 9)


def test_a_stacked_gzip_bomb_stops_at_max_bytes_in_memory_too(site: HTTPServer, tmp_path):
    bomb = gzip_bomb(1 << 30)  # 1 GB decoded
    assert len(bomb) < 10_000
    site.expect_request("/bomba").respond_with_response(
        Response(bomb, content_type="text/html", headers={"Content-Encoding": "gzip, gzip"})
    )
    source = (
        f'[[sources]]\nname = "bomba"\nkind = "page"\nlocation = "{site.url_for("/bomba")}"\nallow_private = true\n'
    )
    outcome = rassegna("run", config=config(tmp_path, source))
    assert "Traceback" not in outcome.output, outcome.output
    [(reason, detail)] = rows(tmp_path, "SELECT reason, detail FROM rejected")
    assert reason == "too_large" and "5000000 bytes" in detail
    # 2.3 GB before (the whole body decoded at once); a run that fetches one page peaks at 250-400 MB here
    assert outcome.peak_rss_mb < 1000, outcome.peak_rss_mb


def test_the_metadata_address_is_never_fetched_even_for_an_intranet_source(tmp_path):
    metadata = "http://169.254.169.254/latest/meta-data/"
    source = f'[[sources]]\nname = "intranet"\nkind = "page"\nlocation = "{metadata}"\nallow_private = true\n'
    outcome = rassegna("run", config=config(tmp_path, source))
    assert "Traceback" not in outcome.output, outcome.output
    [(reason, detail)] = rows(tmp_path, "SELECT reason, detail FROM rejected")
    assert reason == "blocked_address" and "169.254.169.254" in detail
