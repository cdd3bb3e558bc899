"""The place gazetteer: comuni, provinces, regions, countries, foreign cities and areas, looked up by name.

Data: `places.tsv` and `stoplist.txt` in the gazetteer folder, written by `python -m nlp.gazetteers.build`.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from nlp.gazetteers.names import fold

PLACES = "places.tsv"
STOPLIST = "stoplist.txt"
COLUMNS = ["kind", "name", "aliases", "istat_code", "region", "country_code", "latitude", "longitude", "tag"]
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

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Entry:
    """One gazetteer row: a place, the names it goes by, and whether raw text may be tagged with it."""

    place: Place
    forms: tuple[str, ...]
    tag: bool


class PlaceIndex:
    def __init__(self, entries: Iterable[Entry], stoplist: Iterable[str] = ()):
        self.entries = list(entries)
        self.stoplist = frozenset(fold(word) for word in stoplist)
        self._by_key: dict[str, list[Place]] = defaultdict(list)
        for entry in self.entries:
            for form in entry.forms:
                if entry.place not in self._by_key[fold(form)]:
                    self._by_key[fold(form)].append(entry.place)

    def candidates(self, name: str, kinds: Iterable[str] | None = None) -> list[Place]:
        found = self._by_key.get(fold(name), [])
        return [place for place in found if place.kind in kinds] if kinds else list(found)

    def resolve(self, name: str, kinds: Iterable[str] | None = None) -> Place | None:
        """The one place `name` means, or None when it is unknown or stays ambiguous."""
        return pick(self.candidates(name, kinds))

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
            )
            aliases = tuple(alias for alias in row["aliases"].split("|") if alias)
            yield Entry(place, (row["name"], *aliases), row["tag"] == "1")


@cache
def load_places(folder: Path) -> PlaceIndex:
    """The place index of a gazetteer folder, read once per process."""
    folder = Path(folder)
    stoplist = (folder / STOPLIST).read_text(encoding="utf-8").split("\n")
    return PlaceIndex(read_entries(folder / PLACES), (word for word in stoplist if word))
