"""Collection: posts (or the reasons there are none) from folders, feeds and web pages."""

from __future__ import annotations

from collections.abc import Iterator

from flows.records import Post, Rejection
from flows.settings import HttpSettings, Source
from flows.sources.feeds import collect_feed
from flows.sources.files import collect_folder
from flows.sources.http import FetchResult, PoliteClient
from flows.sources.pages import collect_page

__all__ = ["FetchResult", "PoliteClient", "collect", "collect_feed", "collect_folder", "collect_page"]


def collect(source: Source, http: HttpSettings, client: PoliteClient | None = None) -> Iterator[Post | Rejection]:
    """Everything one source yields; web sources share `client` when given, else get their own."""
    if source.kind == "folder":
        yield from collect_folder(source)
        return
    if client is None:
        with PoliteClient(http) as own:
            yield from _collect_web(source, own)
    else:
        yield from _collect_web(source, client)


def _collect_web(source: Source, client: PoliteClient) -> Iterator[Post | Rejection]:
    if source.kind == "feed":
        yield from collect_feed(source, client)
    else:
        yield from collect_page(source, client)
