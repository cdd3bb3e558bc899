"""The `digest` Prefect flow: plan the due digests, then build and send each one in its own task."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import asdict
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.digests.pipeline import Outcome, due_digests, send_digest
from flows.digests.sendlog import SendLog
from flows.digests.subscriptions import DigestJob, parse_as_of
from flows.settings import Settings, load


@task(name="plan-digests", cache_policy=NO_CACHE)
def plan_task(settings: Settings, frequency: str, as_of: str | None) -> list[DigestJob]:
    return due_digests(settings, frequency, parse_as_of(as_of, settings.digests.timezone))


@task(name="send-digest", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=60)
def send_task(job: DigestJob, settings: Settings, dry_run: bool) -> Outcome:
    outcome = send_digest(job, settings, dry_run)
    get_run_logger().info("%s: %s (%s)", outcome.subscription, outcome.status, outcome.reason)
    return outcome


@flow(name="digest")
def digest(
    frequency: str = "daily", config: str | None = None, dry_run: bool = False, as_of: str | None = None
) -> dict:
    """Send the `frequency` (daily/weekly) digests due at `as_of` (ISO 8601, default now) to their editors."""
    settings = load(Path(config) if config else None)
    with nullcontext() if dry_run else SendLog(settings.digests.send_log).exclusive():
        jobs = plan_task(settings, frequency, as_of)
        if not jobs:
            get_run_logger().info("no %s subscription configured: nothing to send", frequency)
        outcomes = [send_task(job, settings, dry_run) for job in jobs]
    return {"frequency": frequency, "dry_run": dry_run, "digests": [asdict(o) for o in outcomes]}
