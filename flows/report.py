"""The analysts' overview: one static HTML page of charts (inline PNG data URIs) over the whole warehouse."""

from __future__ import annotations

import base64
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
from babel.dates import format_date, format_datetime
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from flows.digests.chart import ITALIAN, Place, horizontal_bars, places_map, sentiment_over_time, sentiment_shares
from flows.settings import DateSettings, ReportSettings, Settings
from flows.warehouse import Warehouse
from flows.warehouse.atomic import write_text

DAILY_UP_TO_DAYS = 92  # longer spans are charted per month
# A warehouse written before ingest bounded publication dates may hold some outside them (year 1, 9999): unknown here.
PUBLISHED = """CASE WHEN year(published_at) >= $earliest_year
    AND published_at <= collected_at + to_days(CAST($max_future_days AS INTEGER)) THEN published_at END"""


@dataclass(frozen=True)
class Chart:
    title: str
    src: str  # data:image/png;base64,...
    note: str = ""


@dataclass(frozen=True)
class Overview:
    generated_at: datetime
    articles: int
    sources: int
    first: datetime | None
    last: datetime | None
    charts: list[Chart]


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _periods(days: list[date]) -> tuple[list[date], str]:
    """Every day (or month, for long spans) from the first to the last of `days`, and its label pattern."""
    first, last = min(days), max(days)
    if (last - first).days <= DAILY_UP_TO_DAYS:
        return [date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1)], "d MMM y"
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
    return months, "MMM y"


def _bounds(dates: DateSettings) -> dict[str, int]:
    return {"earliest_year": dates.earliest_year, "max_future_days": dates.max_future_days}


def articles_over_time(con: duckdb.DuckDBPyConnection, tz: str, dates: DateSettings) -> Chart | None:
    rows = con.execute(
        f"""SELECT CAST(timezone($tz, coalesce({PUBLISHED}, collected_at)) AS DATE) AS day, sentiment_label, count(*)
            FROM articles GROUP BY ALL""",
        {"tz": tz, **_bounds(dates)},
    ).fetchall()
    if not rows:
        return None
    periods, pattern = _periods([row[0] for row in rows])
    index = {period: i for i, period in enumerate(periods)}
    monthly = pattern == "MMM y"
    counts = {label: [0] * len(periods) for label in ITALIAN}
    for day, label, n in rows:
        if label in counts:
            counts[label][index[day.replace(day=1) if monthly else day]] += n
    labels = [format_date(p, pattern, locale="it") for p in periods]
    title = "Articoli per mese" if monthly else "Articoli per giorno"
    return Chart(title, _data_uri(sentiment_over_time(labels, counts, f"{title} (data di pubblicazione)")))


def sentiment_by(con: duckdb.DuckDBPyConnection, query: str, title: str, top_n: int) -> Chart | None:
    """`query` yields (group, sentiment_label, articles); the `top_n` largest groups are charted."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for group, label, n in con.execute(query).fetchall():
        counts[group][label] += n
    if not counts:
        return None
    groups = sorted(counts, key=lambda g: (-sum(counts[g].values()), g))[:top_n]
    by_label = {label: [counts[g][label] for g in groups] for label in ITALIAN}
    return Chart(title, _data_uri(sentiment_shares(groups, by_label, title)))


def top_entities(con: duckdb.DuckDBPyConnection, label: str, title: str, top_n: int, colour: str) -> Chart | None:
    rows = con.execute(
        """SELECT canonical, count(DISTINCT article_id) AS n FROM mentions WHERE label = $label
           GROUP BY canonical ORDER BY n DESC, canonical LIMIT $top_n""",
        {"label": label, "top_n": top_n},
    ).fetchall()
    if not rows:
        return None
    png = horizontal_bars([r[0] for r in rows], [r[1] for r in rows], f"{title} (articoli)", colour)
    return Chart(title, _data_uri(png))


def italian_places(con: duckdb.DuckDBPyConnection) -> Chart | None:
    rows = con.execute(
        """SELECT canonical, mode(region), avg(latitude), avg(longitude), count(DISTINCT article_id)
           FROM mentions
           WHERE label = 'LOC' AND country_code = 'IT' AND latitude IS NOT NULL AND longitude IS NOT NULL
           GROUP BY canonical"""
    ).fetchall()
    if not rows:
        return None
    places = [Place(*row) for row in rows]
    note = f"{len(places)} luoghi italiani; la dimensione del punto è proporzionale agli articoli che li citano."
    return Chart("Luoghi italiani citati", _data_uri(places_map(places, "Luoghi italiani citati")), note)


def overview(con: duckdb.DuckDBPyConnection, settings: ReportSettings, dates: DateSettings) -> Overview:
    articles, sources, first, last = con.execute(
        f"SELECT count(*), count(DISTINCT source), min({PUBLISHED}), max({PUBLISHED}) FROM articles",
        _bounds(dates),
    ).fetchone()
    n = settings.top_n
    charts = [
        articles_over_time(con, settings.timezone, dates),
        sentiment_by(con, "SELECT source, sentiment_label, count(*) FROM articles GROUP BY ALL", "Tono per fonte", n),
        sentiment_by(
            con,
            """SELECT t.theme_label, a.sentiment_label, count(DISTINCT a.article_id)
               FROM themes t JOIN articles a USING (article_id) GROUP BY ALL""",
            "Tono per tema",
            n,
        ),
        sentiment_by(
            con,
            """SELECT canonical, tone_label, count(DISTINCT article_id) FROM mentions
               WHERE label = 'ORG' AND tone_label IS NOT NULL GROUP BY ALL""",
            "Tono verso le organizzazioni",
            n,
        ),
        top_entities(con, "ORG", "Organizzazioni più citate", n, "#1565c0"),
        top_entities(con, "LOC", "Luoghi più citati", n, "#6a1b9a"),
        italian_places(con),
    ]
    return Overview(datetime.now(UTC), articles, sources, first, last, [c for c in charts if c is not None])


def render_report(content: Overview, timezone: str) -> str:
    env = Environment(
        loader=PackageLoader("flows", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",)),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    tz = ZoneInfo(timezone)

    def when(moment: datetime | None) -> str:
        return format_datetime(moment, "d MMM y, HH:mm", tzinfo=tz, locale="it") if moment else "n.d."

    return env.get_template("report.html.j2").render(r=content, when=when)


def write_report(settings: Settings, path: Path | None = None) -> Path:
    """Build the overview from the warehouse and write it (atomically) to `path` or `settings.report.path`."""
    with Warehouse.configured(settings.warehouse).connect() as con:
        content = overview(con, settings.report, settings.dates)
    return write_text(Path(path or settings.report.path), render_report(content, settings.report.timezone))
