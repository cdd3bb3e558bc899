"""Posts from a local folder: .txt, .md, .html/.htm, .json (one post or a list) and .jsonl (one post a line)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flows.extraction import Extracted, extract_html, extract_markdown, extract_plain, iso_date
from flows.records import Post, Reason, Rejection, item_id
from flows.settings import Source
from flows.sources.encoding import decode_bytes

DOCUMENT_READERS = {".txt": ("txt", extract_plain), ".md": ("md", extract_markdown)}
HTML_SUFFIXES = {".html", ".htm"}
RECORD_SUFFIXES = {".json", ".jsonl"}
TEXT_FIELDS = ("text", "content", "body")
DATE_FIELDS = ("date", "published_at")


def collect_folder(source: Source) -> Iterator[Post | Rejection]:
    """Every supported file under the folder, recursively, in sorted order; other file types are skipped."""
    root = Path(source.location)
    if not root.is_dir():
        yield _reject(source, str(root), Reason.UNREADABLE, "folder not found")
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix in DOCUMENT_READERS or suffix in HTML_SUFFIXES or suffix in RECORD_SUFFIXES:
            yield from collect_file(source, path)


def collect_file(source: Source, path: Path) -> Iterator[Post | Rejection]:
    """The posts in one supported file, or the reasons it has none."""
    location = str(path)
    try:
        text = decode_bytes(path.read_bytes())
    except OSError as exc:
        yield _reject(source, location, Reason.UNREADABLE, f"{type(exc).__name__}: {exc.strerror or exc}")
        return
    if text is None:
        yield _reject(source, location, Reason.UNREADABLE, "bytes match no known text encoding")
        return
    if not text.strip():
        yield _reject(source, location, Reason.EMPTY, "empty file")
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _json_lines(source, location, text)
    elif suffix == ".json":
        yield from _json_document(source, location, text)
    else:
        if suffix in HTML_SUFFIXES:
            fmt, extracted = "html", extract_html(text)
        else:
            fmt, read = DOCUMENT_READERS[suffix]
            extracted = read(text)
        if extracted is None:
            yield _reject(source, location, Reason.EMPTY, "no main text found")
        else:
            yield _post(source, location, fmt, extracted)


def _json_document(source: Source, location: str, text: str) -> Iterator[Post | Rejection]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield _reject(source, location, Reason.UNREADABLE, f"invalid JSON: {exc}")
        return
    if isinstance(data, list):
        for number, record in enumerate(data, start=1):
            yield _record(source, f"{location}#{number}", record)
    else:
        yield _record(source, location, data)


def _json_lines(source: Source, location: str, text: str) -> Iterator[Post | Rejection]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        line_location = f"{location}#{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _reject(source, line_location, Reason.UNREADABLE, f"invalid JSON: {exc}")
            continue
        yield _record(source, line_location, record)


def _record(source: Source, location: str, record: Any) -> Post | Rejection:
    if not isinstance(record, dict):
        return _reject(source, location, Reason.UNREADABLE, f"expected a JSON object, found {type(record).__name__}")
    text = next((_string(record.get(name)) for name in TEXT_FIELDS if _string(record.get(name))), None)
    if text is None:
        return _reject(source, location, Reason.EMPTY, f"no text in any of the fields {', '.join(TEXT_FIELDS)}")
    published = next((_string(record.get(name)) for name in DATE_FIELDS if _string(record.get(name))), None)
    return Post(
        item_id=item_id(source.name, location),
        source=source.name,
        location=location,
        text=text,
        format="json",
        url=_string(record.get("url")),
        title=_string(record.get("title")),
        author=_string(record.get("author")),
        published_at=iso_date(published),
    )


def _post(source: Source, location: str, fmt: str, extracted: Extracted) -> Post:
    return Post(
        item_id=item_id(source.name, location),
        source=source.name,
        location=location,
        text=extracted.text,
        format=fmt,
        url=extracted.url,
        title=extracted.title,
        author=extracted.author,
        published_at=extracted.published_at,
    )


def _reject(source: Source, location: str, reason: Reason, detail: str) -> Rejection:
    return Rejection(
        item_id=item_id(source.name, location), source=source.name, location=location, reason=reason, detail=detail
    )


def _string(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
