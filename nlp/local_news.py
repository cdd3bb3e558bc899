"""A dev set of local news: real sentences under the datelines of comuni, as provincial papers open their articles.

Built (deterministically, `seed`) from the place gazetteer and real Italian news sentences (the news-tone JSONL of
../shared): `sources` provincial papers, each in a province drawn at random among those with at least `per_source`
comuni; each paper's `per_source` articles open with the dateline of one of its comuni, written by its local short
name where it has one ("PAVULLO.", "CASTELNUOVO.") and in full otherwise ("MODENA —"), in one of the shapes local
papers use, after a title and sub-title for some; then two real sentences. The papers give no home province: as in
`rassegna run`, it is inferred from what each one's datelines name (`nlp.gazetteers.home`). `rassegna eval places`
scores it; nothing of it is stored in the repository.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from nlp.gazetteers.places import Place, PlaceIndex

MONTHS = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
          "novembre", "dicembre"]  # fmt: skip


@dataclass(frozen=True)
class LocalArticle:
    id: str
    source: str
    title: str | None
    text: str
    comune: str  # ISTAT code of the comune of the dateline
    written: str  # how the dateline writes it


def dateline(name: str, sigla: str, rng: random.Random) -> str:
    name = name.upper()
    day = f"{rng.randint(1, 28)} {rng.choice(MONTHS)}"
    return rng.choice([f"{name}. ", f"{name} — ", f"{name}, ", f"{name}, {day} — ", f"{name} ({sigla}) — "])


def build(places: PlaceIndex, sentences: list[str], sources: int = 30, per_source: int = 12,
          seed: int = 2026) -> list[LocalArticle]:  # fmt: skip
    rng = random.Random(seed)
    by_province: dict[str, list[Place]] = defaultdict(list)
    for entry in places.entries:
        if entry.place.kind == "comune" and entry.place.province:
            by_province[entry.place.province].append(entry.place)
    siglas = {e.place.province: e.sigla for e in places.entries if e.place.kind == "provincia" and e.sigla}
    short = {e.place.istat_code: e.short for e in places.entries if e.place.kind == "comune"}
    half = per_source // 2
    eligible = sorted(
        p for p, comuni in by_province.items()
        if p in siglas and sum(bool(short[c.istat_code]) for c in comuni) >= half and len(comuni) >= per_source
    )  # fmt: skip
    usable = [s for s in sentences if 8 <= len(s.split()) <= 40]
    articles = []
    for province in rng.sample(eligible, sources):
        shortened = rng.sample([c for c in by_province[province] if short[c.istat_code]], half)
        full = rng.sample([c for c in by_province[province] if c not in shortened], per_source - half)
        for n, comune in enumerate(shortened + full):
            written = short[comune.istat_code][0] if n < half else comune.name
            body = " ".join(rng.sample(usable, 2))
            title = rng.choice(usable) if rng.random() < 0.3 else None
            subtitle = rng.choice(usable) if title and rng.random() < 0.5 else None
            text = (f"{subtitle.rstrip('.')}\n" if subtitle else "") + dateline(written, siglas[province], rng) + body
            articles.append(LocalArticle(f"{province}-{n}", f"paper-{province}", title, text, comune.istat_code,
                                         written))  # fmt: skip
    return articles
