"""The place gazetteer: comuni, provinces, regions, countries, foreign cities and areas, looked up by name.

Data: `places.tsv` and `stoplist.txt` in the gazetteer folder, written by `python -m nlp.gazetteers.build`.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from nlp.gazetteers.names import fold

PLACES = "places.tsv"
STOPLIST = "stoplist.txt"
COLUMNS = [
    "kind", "name", "aliases", "istat_code", "region", "country_code", "latitude", "longitude", "tag",
    "province", "sigla", "short",
]  # fmt: skip
KINDS = ("comune", "provincia", "regione", "country", "city", "area")


@dataclass(frozen=True)
class Place:
    kind: str
    name: str
    istat_code: str | None = None
    region: str | None = None
    country_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    province: str | None = field(default=None, compare=False)  # ISTAT code of a comune's or province's province

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "province"}


@dataclass(frozen=True)
class PlaceContext:
    """Where a story happens, as far as its source and text tell: the ISTAT codes of the provinces and the regions
    of its source's home, its dateline and the places it names without doubt."""

    provinces: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Entry:
    """One gazetteer row: a place, the names it goes by, and whether raw text may be tagged with it."""

    place: Place
    forms: tuple[str, ...]
    tag: bool
    short: tuple[str, ...] = ()  # local short names ("Pavullo", "Serra"): they resolve only near the story
    sigla: str | None = None  # a province's two letters ("MO")


class PlaceIndex:
    def __init__(self, entries: Iterable[Entry], stoplist: Iterable[str] = ()):
        self.entries = list(entries)
        self.stoplist = frozenset(fold(word) for word in stoplist)
        self._by_key: dict[str, list[Place]] = defaultdict(list)
        self._by_short: dict[str, list[Place]] = defaultdict(list)
        self._provinces: dict[str, Place] = {}  # by sigla, name and ISTAT code
        self._comuni: dict[str, Place] = {}  # by ISTAT code
        for entry in self.entries:
            for form in entry.forms:
                if entry.place not in self._by_key[fold(form)]:
                    self._by_key[fold(form)].append(entry.place)
            for form in entry.short:
                self._by_short[fold(form)].append(entry.place)
            if entry.place.kind == "comune" and entry.place.istat_code:
                self._comuni[entry.place.istat_code] = entry.place
            if entry.place.kind == "provincia":
                for key in (entry.sigla, entry.place.name, entry.place.istat_code):
                    if key:
                        self._provinces[fold(key)] = entry.place

    def candidates(self, name: str, kinds: Iterable[str] | None = None) -> list[Place]:
        found = self._by_key.get(fold(name), [])
        return [place for place in found if place.kind in kinds] if kinds else list(found)

    def resolve(
        self, name: str, kinds: Iterable[str] | None = None, context: PlaceContext | None = None
    ) -> Place | None:
        """The one place `name` means, or None when it is unknown or stays ambiguous. Near the story (`context`), the
        one comune of that name or short name in its provinces wins, else the one in its regions ("Castelnuovo" in
        a Modena paper is Castelnuovo Rangone, "Concordia" Concordia sulla Secchia), and several there leave it
        unresolved; elsewhere the full names decide, else the one comune going by that short name."""
        full = self.candidates(name, kinds)
        if context and (kinds is None or "comune" in kinds):
            comuni = [p for p in dict.fromkeys(full + self._by_short.get(fold(name), [])) if p.kind == "comune"]
            for near in ([p for p in comuni if p.province in context.provinces],
                         [p for p in comuni if p.region in context.regions]):  # fmt: skip
                if len(near) == 1:
                    return near[0]
                if near:  # several comuni near the story share the name: none is meant more than the other
                    return None
        if not full and (kinds is None or "comune" in kinds):
            short = self._by_short.get(fold(name), [])
            return short[0] if len(short) == 1 else None  # "Pavullo": one comune goes by it
        return pick(full)

    def known(self, name: str, kinds: Iterable[str] | None = None) -> bool:
        """Whether `name` is a place's name or a comune's short name."""
        return bool(self.candidates(name, kinds)) or bool(self._by_short.get(fold(name)))

    def has_short_name(self, name: str) -> bool:
        """Whether `name` is also a comune's local short name (so it may mean a comune near the story)."""
        return fold(name) in self._by_short

    def comune(self, istat_code: str) -> Place | None:
        return self._comuni.get(istat_code)

    def province(self, name: str) -> Place | None:
        """The province a sigla ("MO"), name ("Modena") or ISTAT code ("036") names."""
        return self._provinces.get(fold(name))

    def context(self, places: Iterable[Place | None], homes: Iterable[str | None] = ()) -> PlaceContext:
        """The provinces and regions of `places` (Italian comuni and provinces) and of the `homes` provinces (each a
        sigla, name or ISTAT code)."""
        found = [place for place in places if place is not None and place.province]
        found += [province for home in homes if home and (province := self.province(home))]
        return PlaceContext(frozenset(p.province for p in found), frozenset(p.region for p in found if p.region))

    def is_common(self, name: str) -> bool:
        """Whether the name is also an everyday Italian word ("Ponte", "Bella", "Calcio")."""
        return fold(name) in self.stoplist

    def taggable_forms(self) -> Iterator[str]:
        """Names the gazetteer may look for in raw text (the rest only resolve entities found by the model)."""
        seen: set[str] = set()
        for entry in self.entries:
            if entry.tag:
                for form in entry.forms:
                    if form not in seen:
                        seen.add(form)
                        yield form


def pick(candidates: list[Place]) -> Place | None:
    """One candidate, or the dominant sense of a shared name: a comune over the province named after it,
    a country over its own city of the same name, a region over a small comune of the same name."""
    if len(candidates) == 1:
        return candidates[0]
    by_kind: dict[str, list[Place]] = defaultdict(list)
    for place in candidates:
        by_kind[place.kind].append(place)
    kinds = set(by_kind)
    if kinds == {"comune", "provincia"} and len(by_kind["comune"]) == 1:
        return by_kind["comune"][0]
    if kinds == {"regione", "comune"} and len(by_kind["regione"]) == 1:
        return by_kind["regione"][0]
    if kinds == {"country", "city"} and len(by_kind["country"]) == 1:
        country = by_kind["country"][0]
        if all(city.country_code == country.country_code for city in by_kind["city"]):
            return country
    return None


def read_entries(path: Path) -> Iterator[Entry]:
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            place = Place(
                kind=row["kind"],
                name=row["name"],
                istat_code=row["istat_code"] or None,
                region=row["region"] or None,
                country_code=row["country_code"] or None,
                latitude=float(row["latitude"]) if row["latitude"] else None,
                longitude=float(row["longitude"]) if row["longitude"] else None,
                province=row["province"] or None,
            )
            aliases = tuple(alias for alias in row["aliases"].split("|") if alias)
            short = tuple(form for form in row["short"].split("|") if form)
            yield Entry(place, (row["name"], *aliases), row["tag"] == "1", short, row["sigla"] or None)


@cache
def load_places(folder: Path) -> PlaceIndex:
    """The place index of a gazetteer folder, read once per process."""
    folder = Path(folder)
    stoplist = (folder / STOPLIST).read_text(encoding="utf-8").split("\n")
    return PlaceIndex(read_entries(folder / PLACES), (word for word in stoplist if word))
