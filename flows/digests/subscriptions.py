"""Which digests are due: subscriptions from the settings, each with its time window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from flows.settings import DigestSettings, Subscription


class Window(BaseModel):
    """A half-open UTC interval [start, end) of `collected_at`."""

    model_config = ConfigDict(frozen=True)

    start: datetime
    end: datetime

    @property
    def previous(self) -> Window:
        """The window of the same length just before this one."""
        return Window(start=self.start - (self.end - self.start), end=self.start)

    @property
    def empty(self) -> bool:
        return self.end <= self.start


class DigestJob(BaseModel):
    subscription: Subscription
    window: Window
    max_items: int

    @property
    def key(self) -> str:
        """Send-log key: the same subscription and window is never sent twice."""
        return f"{self.subscription.id}|{self.window.start.isoformat()}|{self.window.end.isoformat()}"


def parse_as_of(value: str | None, timezone: str) -> datetime:
    """The end of the windows: now, or an ISO 8601 time (naive times are read in `timezone`)."""
    if value is None:
        return datetime.now(UTC).replace(microsecond=0)
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.astimezone(UTC)


def plan(settings: DigestSettings, frequency: str, as_of: datetime, sent_until: dict[str, datetime]) -> list[DigestJob]:
    """One job per subscription of `frequency`; a window starts no earlier than the end of the last one sent.

    `sent_until` maps a subscription id to the end of the last window sent for it (from the send log), so
    a re-run only covers what was collected since: no article is sent twice to the same subscription.
    """
    if frequency not in settings.window_days:
        raise ValueError(f"unknown frequency {frequency!r}; expected one of {sorted(settings.window_days)}")
    ids = [s.id for s in settings.subscriptions]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ValueError(f"duplicated subscription ids: {duplicated}")
    jobs = []
    for subscription in settings.subscriptions:
        if subscription.frequency != frequency:
            continue
        days = subscription.window_days or settings.window_days[frequency]
        start = as_of - timedelta(days=days)
        last_end = sent_until.get(subscription.id)
        if last_end is not None and last_end > start:
            start = min(last_end, as_of)
        jobs.append(
            DigestJob(
                subscription=subscription,
                window=Window(start=start, end=as_of),
                max_items=subscription.max_items or settings.max_items,
            )
        )
    return jobs
