"""A response body's Content-Encoding undone chunk by chunk, every layer bounded: "gzip, gzip" that would inflate
1.8 KB into 1 GB stops at the byte limit, having held no more than it in memory."""

from __future__ import annotations

import zlib

ACCEPTED = "gzip, deflate"  # what the client asks for: the codings undone here
GZIP, ZLIB, RAW_DEFLATE = 16 + zlib.MAX_WBITS, zlib.MAX_WBITS, -zlib.MAX_WBITS


class TooLarge(Exception):
    """A layer of the body decodes to more than the limit."""


class UnsupportedCoding(Exception):
    """A Content-Encoding other than gzip, deflate or identity."""


class _Layer:
    def __init__(self, coding: str):
        self.coding = coding
        self.inflater: zlib._Decompress | None = zlib.decompressobj(GZIP) if coding in ("gzip", "x-gzip") else None
        self.produced = 0

    def decode(self, data: bytes, limit: int) -> bytes:
        if self.inflater is None:  # deflate: zlib-wrapped, or raw as some servers send it
            self.inflater = zlib.decompressobj(ZLIB if data[:1] == b"\x78" else RAW_DEFLATE)
        out = self.inflater.decompress(data, limit - self.produced + 1)
        self.produced += len(out)
        if self.produced > limit or self.inflater.unconsumed_tail:
            raise TooLarge(f"{self.coding} body decodes to over {limit} bytes")
        return out


class BoundedDecoder:
    """Undo `content_encoding` (e.g. "gzip, gzip": applied left to right, undone right to left), no layer past
    `limit` bytes."""

    def __init__(self, content_encoding: str, limit: int):
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if unknown := [c for c in codings if c not in ("gzip", "x-gzip", "deflate")]:
            raise UnsupportedCoding(f"unsupported Content-Encoding {unknown[0]}")
        self.layers = [_Layer(coding) for coding in reversed(codings)]
        self.limit = limit

    def decode(self, chunk: bytes) -> bytes:
        for layer in self.layers:
            if not chunk:
                break
            chunk = layer.decode(chunk, self.limit)
        return chunk
