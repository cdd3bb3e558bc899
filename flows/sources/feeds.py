"""Posts from an RSS/Atom feed: each item's article page, or the item's own text when the page gives none."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import feedparser

from flows.extraction import Extracted, clean_line, extract_html, html_fragment_text, tidy_lines
from flows.records import Post, Reason, Rejection, item_id
from flows.settings import Source
from flows.sources.encoding import decode_bytes
from flows.sources.http import PoliteClient

log = logging.getLogger(__name__)


# `&#xD800;` and the like: feedparser fails on the whole feed when it re-encodes a lone surrogate
SURROGATE_REFERENCE = re.compile(
    rb"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}|0*(?:5529[6-9]|55[3-9]\d\d|56\d{3}|57[0-2]\d\d|573[0-3]\d|5734[0-3]));"
)


@dataclass(frozen=True)
class Page:
    """Where an item's article is and what came of reading it."""

    location: str  # URL, or file path for a local feed
    url: str | None
    extracted: Extracted | None = None
    reason: Reason | None = None
    detail: str = ""
    final: bool = False  # the link itself is refused: the item is rejected, not stood in for by its feed text


def collect_feed(source: Source, client: PoliteClient) -> Iterator[Post | Rejection]:
    """Posts for the items of the feed at `source.location` (an http(s) URL or a local file); a 304 yields nothing.

    Only a local feed's items may link to local files. Items whose page is not fetched before the client's
    source deadline are rejected, and a web feed cut short that way is read in full next time.
    """
    fetched_url = None
    if is_web(source.location):
        result = client.fetch(source.location)
        if result.not_modified:
            return
        if result.error:
            yield _reject(source, source.location, Reason(result.error), result.detail)
            return
        headers = {"content-type": result.content_type or ""}  # links are joined to `base` here, bad ones kept
        content, base = result.content, result.url
        fetched_url = result.url
    else:
        path = local_path(source.location)
        try:
            content, headers = path.read_bytes(), {}
        except OSError as exc:
            yield _reject(source, source.location, Reason.UNREADABLE, f"{type(exc).__name__}: {exc.strerror or exc}")
            return
        base = path.resolve().as_uri()
    try:
        feed = feedparser.parse(SURROGATE_REFERENCE.sub(b"&#xFFFD;", content), response_headers=headers)
    except (ValueError, RecursionError) as exc:
        yield _reject(source, source.location, Reason.UNREADABLE, f"not a feed: {type(exc).__name__}")
        return
    if not feed.entries and not feed.get("version"):
        problem = feed.get("bozo_exception") or "no RSS/Atom content"
        yield _reject(source, source.location, Reason.UNREADABLE, f"not a feed: {clean_line(str(problem))}")
        return
    cut = 0
    for number, entry in enumerate(feed.entries, start=1):
        item = _entry_post(source, client, entry, base, number, local_links=fetched_url is None)
        cut += isinstance(item, Rejection) and client.out_of_time
        yield item
    if cut:
        log.warning("%s: source deadline reached, %d of %d items not fetched", source.name, cut, len(feed.entries))
        if fetched_url:
            client.validators.forget(fetched_url)


def _entry_post(
    source: Source, client: PoliteClient, entry: Any, base: str, number: int, local_links: bool
) -> Post | Rejection:
    page = _read_page(entry.get("link"), base, client, local_links)
    title = clean_line(entry.get("title"))
    author = _author(entry.get("author"))
    published = _entry_date(entry)
    location = page.location if page else f"{source.location}#{entry.get('id') or number}"
    url = page.url if page else None
    if page and page.extracted:
        article = page.extracted
        return Post(
            item_id=item_id(source.name, location),
            source=source.name,
            location=location,
            text=article.text,
            format="html",
            url=url or article.url,
            title=article.title or title,
            author=article.author or author,
            published_at=article.published_at or published,
        )
    if page and (page.final or page.reason == Reason.FETCH_ERROR and client.out_of_time):  # no stand-in
        return _reject(source, location, page.reason, page.detail)
    text = _entry_text(entry)
    if text and text != title:
        return Post(
            item_id=item_id(source.name, location),
            source=source.name,
            location=location,
            text=text,
            format="feed",
            url=url,
            title=title,
            author=author,
            published_at=published,
        )
    if page:
        return _reject(source, location, page.reason or Reason.EMPTY, page.detail)
    return _reject(source, location, Reason.EMPTY, "item has neither a link nor text")


def _read_page(link: str | None, base: str, client: PoliteClient, local_links: bool) -> Page | None:
    if not link:
        return None
    try:
        target = urljoin(base, link)
        web = is_web(target)
    except ValueError:  # "http://[object Object]/": a CMS bug, one item's problem
        return Page(link, None, reason=Reason.FETCH_ERROR, detail=f"invalid URL: {link}", final=True)
    if web:
        # Unconditional: every item of a changed feed must end as a post or a rejection.
        result = client.fetch(target, conditional=False)
        if result.error:
            return Page(target, target, reason=Reason(result.error), detail=result.detail)
        return _extracted_page(target, target, extract_html(result.text, result.url))
    if urlsplit(target).scheme != "file":
        return Page(target, target, reason=Reason.FETCH_ERROR, detail=f"unsupported link {link}", final=True)
    if not local_links:
        detail = f"a web feed links to a local file: {link}"
        return Page(target, target, reason=Reason.BLOCKED_ADDRESS, detail=detail, final=True)
    path = local_path(target)
    try:
        text = decode_bytes(path.read_bytes())
    except OSError as exc:
        return Page(str(path), None, reason=Reason.UNREADABLE, detail=f"{type(exc).__name__}: {exc.strerror or exc}")
    if text is None:
        return Page(str(path), None, reason=Reason.UNREADABLE, detail="bytes match no known text encoding")
    return _extracted_page(str(path), None, extract_html(text))


def _extracted_page(location: str, url: str | None, extracted: Extracted | None) -> Page:
    if extracted is None:
        return Page(location, url, reason=Reason.EMPTY, detail="no main text found on the page")
    return Page(location, url, extracted)


def _entry_text(entry: Any) -> str | None:
    """The item's full content when it has some, else its summary, as plain text."""
    for detail in [*entry.get("content", []), entry.get("summary_detail")]:
        if not detail or not detail.get("value", "").strip():
            continue
        value = detail["value"]
        text = html_fragment_text(value) if "html" in detail.get("type", "") else tidy_lines(value)
        if text:
            return text
    return None


def _entry_date(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime(*parsed[:6], tzinfo=UTC).isoformat() if parsed else None


def _author(value: str | None) -> str | None:
    """A display name; RSS writes authors as `email (Name)`."""
    if value and "@" in value:
        name, _ = parseaddr(value)
        return clean_line(name)
    return clean_line(value)


def _reject(source: Source, location: str, reason: Reason, detail: str) -> Rejection:
    return Rejection(item_id(source.name, location), source.name, location, reason, detail)


def is_web(location: str) -> bool:
    return urlsplit(location).scheme in ("http", "https")


def local_path(location: str) -> Path:
    """A filesystem path from a path or a file: URL."""
    parts = urlsplit(location)
    if parts.scheme != "file":
        return Path(location)
    # feedparser rewrites file:///srv/x as file://srv/x, moving the first folder into the host part
    path = parts.path if parts.netloc in ("", "localhost") else f"/{parts.netloc}{parts.path}"
    return Path(url2pathname(path))
