"""Bytes to text: the declared charset, then UTF-8, then detection among the charsets Italian text comes in; mojibake
repaired."""

from __future__ import annotations

import codecs
from email.message import Message

import charset_normalizer
import ftfy

# What Italian text that is not UTF-8 comes in: UTF-16 (with its BOM) or a Western European single-byte charset.
# Offered every charset, detection picks Central European ones (cp1250 reads "Forlì" as "Forlě", cp1258 as "Forĺ").
DETECTED_CHARSETS = ("utf_16", "cp1252", "iso8859_15", "latin_1")


def decode_bytes(data: bytes, declared: str | None = None) -> str | None:
    """The text in `data` with mojibake (UTF-8 once read as Windows-1252: `cittÃ `) repaired, or None when no charset
    decodes it."""
    text = _decoded(data, declared)
    return None if text is None else ftfy.fix_encoding(text)


def content_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value."""
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    return message.get_content_charset()


def _decoded(data: bytes, declared: str | None) -> str | None:
    for encoding in (declared, "utf-8-sig"):
        if encoding and _known(encoding):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                pass
    best = charset_normalizer.from_bytes(data, cp_isolation=list(DETECTED_CHARSETS)).best()
    return None if best is None else str(best)


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True
