"""Digest HTML and plain text in Italian (Jinja2; HTML autoescaped, links only http/https)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from flows.digests.chart import ITALIAN
from flows.digests.compose import DigestContent

FREQUENCY = {"daily": "giornaliera", "weekly": "settimanale"}


def http_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) link, else None (no javascript:, data:, file: or relative links)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def delta(now: int, before: int) -> str:
    """'+3', '−2' or '='."""
    change = now - before
    return "=" if change == 0 else f"+{change}" if change > 0 else f"−{-change}"


def articles(count: int) -> str:
    return "1 articolo" if count == 1 else f"{count} articoli"


def topics(content: DigestContent) -> list[str]:
    s = content.job.subscription
    return [*s.themes, *s.entities, *s.places, *(f"«{k}»" for k in s.keywords)]


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("flows.digests", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["http_url"] = http_url
    env.filters["delta"] = delta
    env.filters["articles"] = articles
    env.filters["sentiment"] = lambda label: ITALIAN.get(label, label)
    return env


_ENV = _environment()


def _context(content: DigestContent) -> dict:
    tz = ZoneInfo(content.timezone)

    def when(moment: datetime | None, pattern: str = "d MMM y, HH:mm") -> str:
        return format_datetime(moment, pattern, tzinfo=tz, locale="it") if moment else "data sconosciuta"

    return {
        "c": content,
        "s": content.job.subscription,
        "topics": topics(content),
        "frequency": FREQUENCY[content.job.subscription.frequency],
        "when": when,
        "sentiments": list(ITALIAN),
    }


def subject(content: DigestContent) -> str:
    s = content.job.subscription
    name = s.name or ", ".join(topics(content)[:3]) or "tutte le notizie"
    end = format_datetime(content.job.window.end, "d MMM y", tzinfo=ZoneInfo(content.timezone), locale="it")
    return f"Rassegna {FREQUENCY[s.frequency]} · {name} · {articles(content.matched)} · {end}"


def render_html(content: DigestContent, image_src: str | None) -> str:
    """The digest page; `image_src` is `cid:...` in the e-mail, a data: URI in the outbox copy, None for no chart."""
    return _ENV.get_template("digest.html.j2").render(**_context(content), subject=subject(content), image=image_src)


def render_text(content: DigestContent) -> str:
    return _ENV.get_template("digest.txt.j2").render(**_context(content), subject=subject(content))
