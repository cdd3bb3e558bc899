"""The direction of a quantity as news: a bad quantity falling is good news, a good one falling bad news.

Data: `data/quantities.yaml` (its header says how it is read). `direction_tone` reads a sentence's lowercased words;
each quantity of the lists takes the nearest direction within the window (either order, no negation right before
it); the sentence gets "positive" or "negative" where they all agree, none where nothing, or both, is said.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Quantities:
    bad: tuple[tuple[str, ...], ...]
    good: tuple[tuple[str, ...], ...]
    falls: tuple[tuple[str, ...], ...]
    rises: tuple[tuple[str, ...], ...]
    negations: frozenset[str]
    window: int


@cache
def load_quantities(path: Path) -> Quantities:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))

    def phrases(key: str) -> tuple[tuple[str, ...], ...]:
        return tuple(sorted({tuple(str(p).split()) for p in data[key]}, key=len, reverse=True))

    return Quantities(phrases("bad"), phrases("good"), phrases("falls"), phrases("rises"),
                      frozenset(data["negations"]), int(data["window"]))  # fmt: skip


def _found(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> list[tuple[int, int]]:
    """(start, end) of each phrase occurrence, longest first, not overlapping."""
    taken: set[int] = set()
    out = []
    for phrase in phrases:
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) == phrase and not taken & set(range(i, i + n)):
                taken |= set(range(i, i + n))
                out.append((i, i + n))
    return out


JOINS = frozenset({"e", "ma", "mentre", "però", "invece", "ed"})


def _gap(words: list[str], quantity: tuple[int, int], move: tuple[int, int]) -> float:
    """Words between a quantity and a direction; a conjunction between them counts half a word more."""
    first, second = sorted([quantity, move])
    between = words[first[1] : second[0]]
    return len(between) + (0.5 if JOINS & set(between) else 0.0)


def direction_tone(words: list[str], quantities: Quantities) -> str | None:
    """The tone a sentence's quantity and direction say together, or None."""
    words = [w.strip(".,;:!?«»\"'()").lower() for w in words]
    bad, good = _found(words, quantities.bad), _found(words, quantities.good)
    falls, rises = _found(words, quantities.falls), _found(words, quantities.rises)
    moves = [(start, end, -1) for start, end in falls] + [(start, end, 1) for start, end in rises]
    moves = [(s, e, d) for s, e, d in moves if not (s > 0 and words[s - 1] in quantities.negations)]
    said = set()
    for polarity, found in ((-1, bad), (1, good)):
        for start, end in found:
            gaps = [(_gap(words, (start, end), (m_start, m_end)), direction)
                    for m_start, m_end, direction in moves if m_start >= end or m_end <= start]  # fmt: skip
            near = [(gap, direction) for gap, direction in gaps if gap < quantities.window]
            if near:  # the direction nearest the quantity is its own
                said.add(polarity * min(near)[1])
    if len(said) != 1:
        return None
    return "positive" if said.pop() > 0 else "negative"
