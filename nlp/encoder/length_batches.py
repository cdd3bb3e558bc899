"""Batches of texts of similar length, so an encoder pads as little as possible."""

from __future__ import annotations

from collections.abc import Iterator, Sequence


def length_sorted_batches(texts: Sequence[str], batch_size: int) -> Iterator[list[int]]:
    """Indices into `texts`, shortest first, `batch_size` at a time; callers store results by index."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for first in range(0, len(order), batch_size):
        yield order[first : first + batch_size]
