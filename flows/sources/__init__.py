"""Collection: posts (or the reasons there are none) from folders, feeds and web pages."""

from __future__ import annotations

from collections.abc import Iterator

from flows.records import Post, Rejection
from flows.settings import FolderSettings, HttpSettings, Source
from flows.sources.feeds import collect_feed
from flows.sources.files import collect_folder
from flows.sources.http import FetchResult, PoliteClient
from flows.sources.pages import collect_page

__all__ = ["FetchResult", "PoliteClient", "collect", "collect_feed", "collect_folder", "collect_page"]


def collect(source: Source, http: HttpSettings, folders: FolderSettings | None = None) -> Iterator[Post | Rejection]:
    """Everything one source yields; a feed or page source gets its own client, so its own source deadline."""
    if source.kind == "folder":
        yield from collect_folder(source, folders)
        return
    with PoliteClient(http, allow_private=source.allow_private) as client:
        if source.kind == "feed":
            yield from collect_feed(source, client)
        else:
            yield from collect_page(source, client)
