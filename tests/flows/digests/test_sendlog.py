"""The send log and the outbox: nothing is sent twice, dry runs leave no trace in the log, empty windows say why."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from flows.digests.pipeline import due_digests, send_digest
from flows.digests.sendlog import DigestBusyError, SendLog, SentDigest
from tests.flows.digests.digest_data import AS_OF


def _entry(subscription: str, end_hours: int) -> SentDigest:
    end = AS_OF - timedelta(hours=end_hours)
    return SentDigest(
        key=f"{subscription}|{end - timedelta(days=1)}|{end}",
        subscription=subscription,
        window_start=end - timedelta(days=1),
        window_end=end,
        sent_at=end,
        recipient="giulia.rossi@example.it",
        items=3,
        transport="outbox",
        location="outbox/x.eml",
        message_id="<1@example.it>",
    )


def test_log_appends_lines_and_knows_the_latest_window(tmp_path: Path):
    log = SendLog(tmp_path / "log" / "sent.jsonl")
    assert log.entries() == [] and log.sent_until() == {}
    for entry in (_entry("banche", 24), _entry("banche", 0), _entry("auto-piemonte", 48)):
        log.record(entry)
    assert [e.window_end for e in log.entries()] == [AS_OF - timedelta(hours=24), AS_OF, AS_OF - timedelta(hours=48)]
    assert log.sent_until() == {"banche": AS_OF, "auto-piemonte": AS_OF - timedelta(hours=48)}
    assert len(log.path.read_text(encoding="utf-8").splitlines()) == 3
    assert not [p.name for p in log.path.parent.iterdir() if p.suffix == ".tmp"]  # no temp file left behind


def test_outbox_delivery_is_logged_and_never_repeated(settings):
    first = [send_digest(job, settings) for job in due_digests(settings, "daily", AS_OF)]
    assert [(o.subscription, o.status, o.items) for o in first] == [("banche", "sent", 3), ("auto-piemonte", "sent", 1)]
    eml, html = (Path(f) for f in first[0].files)
    assert (eml.parent, eml.name, html.name) == (
        settings.digests.outbox,
        "banche-20250310T060000Z.eml",
        "banche-20250310T060000Z.html",
    )
    message = message_from_bytes(eml.read_bytes(), policy=default)
    assert message["To"] == "Giulia Rossi <giulia.rossi@example.it>"
    assert 'src="data:image/png;base64,' in html.read_text(encoding="utf-8")  # the page shows the chart offline
    assert [e.subscription for e in SendLog(settings.digests.send_log).entries()] == ["banche", "auto-piemonte"]

    again = [send_digest(job, settings) for job in due_digests(settings, "daily", AS_OF)]
    assert [o.status for o in again] == ["skipped", "skipped"]
    assert "already sent up to 2025-03-10T06:00:00" in again[0].reason
    assert len(SendLog(settings.digests.send_log).entries()) == 2


def test_dry_run_writes_a_preview_only(settings):
    outcomes = [send_digest(job, settings, dry_run=True) for job in due_digests(settings, "daily", AS_OF)]
    assert [o.status for o in outcomes] == ["previewed", "previewed"]
    assert all(Path(f).parent == settings.digests.outbox / "dry-run" for o in outcomes for f in o.files)
    assert not settings.digests.send_log.exists()
    assert [o.status for o in (send_digest(j, settings) for j in due_digests(settings, "daily", AS_OF))] == [
        "sent",
        "sent",
    ]


def test_empty_window_sends_nothing_and_logs_why(settings, caplog):
    late = AS_OF + timedelta(days=5)  # nothing was collected in the day before
    with caplog.at_level(logging.INFO, logger="flows.digests.pipeline"):
        outcomes = [send_digest(job, settings) for job in due_digests(settings, "daily", late)]
    assert [o.status for o in outcomes] == ["skipped", "skipped"]
    window = "[2025-03-14T06:00:00+00:00, 2025-03-15T06:00:00+00:00)"
    assert outcomes[0].reason == f"no article collected in {window} matches"
    assert "digest banche not sent: no article collected" in caplog.text
    assert not settings.digests.send_log.exists()
    assert not settings.digests.outbox.exists()


def test_a_second_digest_run_is_refused_while_one_is_sending(tmp_path):
    path = tmp_path / "sent.jsonl"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOG, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(DigestBusyError, match="another digest run is sending"), SendLog(path).exclusive():
            pass
    finally:
        holder.kill()
        holder.wait()
    with SendLog(path).exclusive():  # the kernel released the killed holder's lock
        pass


HOLD_LOG = """
import sys, time
from pathlib import Path
from flows.digests.sendlog import SendLog
with SendLog(Path(sys.argv[1])).exclusive():
    print("holding", flush=True)
    time.sleep(60)
"""
