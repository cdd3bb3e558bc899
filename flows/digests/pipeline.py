"""One digest end to end: compose, chart, render, write to the outbox, send, record in the send log."""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from flows.digests.chart import sentiment_over_time
from flows.digests.compose import DigestContent, compose
from flows.digests.message import build_message, chart_cid
from flows.digests.render import render_html, render_text, subject
from flows.digests.send import Outbox, SmtpSender, smtp_credentials
from flows.digests.sendlog import SendLog, SentDigest
from flows.digests.subscriptions import DigestJob, plan
from flows.settings import Settings
from flows.warehouse import Warehouse

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    subscription: str
    key: str
    status: Literal["sent", "previewed", "skipped"]
    reason: str = ""
    items: int = 0
    files: list[str] = field(default_factory=list)


def due_digests(settings: Settings, frequency: str, as_of: datetime) -> list[DigestJob]:
    """The digests of `frequency` due at `as_of`, each window continuing where the last one sent ended."""
    sent_until = SendLog(settings.digests.send_log).sent_until()
    return plan(settings.digests, frequency, as_of, sent_until)


def chart_png(content: DigestContent) -> bytes:
    """Matching articles per slice of the window by sentiment, after the previous window's slices (faded)."""
    tz = ZoneInfo(content.timezone)
    step = content.periods[1] - content.periods[0]
    pattern = "d MMM" if step >= timedelta(hours=23) else "d MMM HH:mm"
    labels = [format_datetime(start, pattern, tzinfo=tz, locale="it") for start in content.periods]
    title = "Articoli pertinenti (in chiaro: finestra precedente)"
    return sentiment_over_time(labels, content.sentiment_by_period, title, faded=len(labels) // 2)


def send_digest(job: DigestJob, settings: Settings, dry_run: bool = False) -> Outcome:
    """Build `job`'s digest and write it to the outbox; unless `dry_run`, send it (SMTP transport) and log it.

    A dry run writes to `<outbox>/dry-run/` and touches neither SMTP nor the send log.
    """
    sub, window, cfg = job.subscription, job.window, settings.digests
    if window.empty:
        return _skip(job, f"nothing new: a digest was already sent up to {window.end.isoformat()}")
    with Warehouse.configured(settings.warehouse).connect() as con:
        content = compose(con, job, cfg)
    if content.matched == 0:
        return _skip(job, f"no article collected in [{window.start.isoformat()}, {window.end.isoformat()}) matches")
    png = chart_png(content)
    cid = chart_cid(cfg.smtp.from_address)
    message = build_message(
        subject=subject(content),
        from_address=cfg.smtp.from_address,
        to_name=sub.editor,
        to_address=sub.email,
        text=render_text(content),
        html=render_html(content, f"cid:{cid}"),
        chart_png=png,
        cid=cid,
        key=job.key,
        date=datetime.now(UTC),
    )
    page = render_html(content, "data:image/png;base64," + base64.b64encode(png).decode("ascii"))
    name = f"{sub.id}-{window.end.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    eml, html = Outbox(cfg.outbox / "dry-run" if dry_run else cfg.outbox).write(message, name, page)
    files = [str(eml), str(html)]
    if dry_run:
        return Outcome(sub.id, job.key, "previewed", "dry run: not sent, not logged", len(content.items), files)
    location = str(eml)
    if cfg.transport == "smtp":
        location = SmtpSender(cfg.smtp, smtp_credentials(cfg.smtp)).deliver(message)
    SendLog(cfg.send_log).record(
        SentDigest(
            key=job.key,
            subscription=sub.id,
            window_start=window.start,
            window_end=window.end,
            sent_at=datetime.now(UTC),
            recipient=sub.email,
            items=len(content.items),
            transport=cfg.transport,
            location=location,
            message_id=message["Message-ID"],
        )
    )
    return Outcome(sub.id, job.key, "sent", f"sent to {sub.email} via {location}", len(content.items), files)


def _skip(job: DigestJob, reason: str) -> Outcome:
    log.info("digest %s not sent: %s", job.subscription.id, reason)
    return Outcome(job.subscription.id, job.key, "skipped", reason)
