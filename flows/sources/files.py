"""Posts from a local folder: .txt, .md, .html/.htm, .json (one post or a list) and .jsonl (one post a line).

Every file, and every record of a JSON file, ends as a post or a rejection of its own: one that is too large,
undecodable, invalid or nested too deeply for the JSON parser, or that breaks text extraction, stops nothing else.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flows.extraction import Extracted, clean_line, extract_html, extract_markdown, extract_plain, iso_date
from flows.records import Post, Reason, Rejection, item_id
from flows.settings import FolderSettings, Source
from flows.sources.encoding import decode_bytes
from nlp.text.normalise import well_formed

DOCUMENT_READERS = {
    ".txt": ("txt", extract_plain),
    ".md": ("md", extract_markdown),
    ".html": ("html", extract_html),
    ".htm": ("html", extract_html),
}
RECORD_SUFFIXES = {".json", ".jsonl"}
TEXT_FIELDS = ("text", "content", "body")
DATE_FIELDS = ("date", "published_at")


def collect_folder(source: Source, settings: FolderSettings | None = None) -> Iterator[Post | Rejection]:
    """Every supported file under the folder, recursively, in sorted order; other file types are skipped."""
    settings = settings or FolderSettings()
    root = Path(source.location)
    if not root.is_dir():
        yield _reject(source, str(root), Reason.UNREADABLE, "folder not found")
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix in DOCUMENT_READERS or suffix in RECORD_SUFFIXES:
            yield from collect_file(source, path, settings.max_bytes)


def collect_file(source: Source, path: Path, max_bytes: int) -> Iterator[Post | Rejection]:
    """The posts in one supported file, or the reasons it has none; a file over `max_bytes` is not read past them."""
    location = _location(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        yield _reject(source, location, Reason.UNREADABLE, f"{type(exc).__name__}: {exc.strerror or exc}")
        return
    if len(data) > max_bytes:
        yield _reject(source, location, Reason.TOO_LARGE, f"file over {max_bytes} bytes (folders.max_bytes)")
        return
    text = decode_bytes(data)
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
        yield _document(source, location, suffix, text)


def _document(source: Source, location: str, suffix: str, text: str) -> Post | Rejection:
    fmt, read = DOCUMENT_READERS[suffix]
    try:
        extracted = read(text)
    except Exception as exc:  # hostile markup (a list nested thousands deep) fails alone
        detail = clean_line(f"text extraction failed: {type(exc).__name__}: {exc}")
        return _reject(source, location, Reason.UNREADABLE, detail)
    if extracted is None:
        return _reject(source, location, Reason.EMPTY, "no main text found")
    return _post(source, location, fmt, extracted)


def _json_document(source: Source, location: str, text: str) -> Iterator[Post | Rejection]:
    try:
        data = _json(text)
    except ValueError as exc:
        yield _reject(source, location, Reason.UNREADABLE, f"invalid JSON: {exc}")
        return
    if isinstance(data, list):
        for number, record in enumerate(data, start=1):
            yield _record(source, f"{location}#{number}", record)
    else:
        yield _record(source, location, data)


def _json_lines(source: Source, location: str, text: str) -> Iterator[Post | Rejection]:
    # Lines end at "\n" only: str.splitlines() also splits at U+2028 and U+0085, which JSON strings may hold.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        line_location = f"{location}#{number}"
        try:
            record = _json(line)
        except ValueError as exc:
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


def _location(path: Path) -> str:
    """The path as well-formed text: bytes of a name that are not UTF-8 (a Latin-1 "forl\\xec.txt") stay visible as
    escapes, so names stay distinct and the location can be hashed and stored."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _json(text: str) -> Any:
    """The JSON value in `text`; ValueError when there is none, also for nesting too deep for the parser."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _string(value: Any) -> str | None:
    """A JSON string field, stripped and well-formed (no lone surrogate); None when it is not a non-blank string."""
    return well_formed(value.strip()) if isinstance(value, str) and value.strip() else None
