"""A post from a single web page."""

from __future__ import annotations

from collections.abc import Iterator

from flows.extraction import extract_html
from flows.records import Post, Reason, Rejection, item_id
from flows.settings import Source
from flows.sources.http import PoliteClient


def collect_page(source: Source, client: PoliteClient) -> Iterator[Post | Rejection]:
    """The article at `source.location`; an unchanged page (304) yields nothing."""
    url = source.location
    result = client.fetch(url)
    if result.not_modified:
        return
    if result.error:
        yield Rejection(item_id(source.name, url), source.name, url, Reason(result.error), result.detail)
        return
    extracted = extract_html(result.text, result.url)
    if extracted is None:
        yield Rejection(item_id(source.name, url), source.name, url, Reason.EMPTY, "no main text found on the page")
        return
    yield Post(
        item_id=item_id(source.name, url),
        source=source.name,
        location=url,
        text=extracted.text,
        format="html",
        url=result.url,
        title=extracted.title,
        author=extracted.author,
        published_at=extracted.published_at,
    )
