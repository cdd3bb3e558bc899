"""The send log: one JSON line per digest sent, so a re-run never sends the same digest twice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout
from pydantic import BaseModel

from flows.warehouse.atomic import write_text


class SentDigest(BaseModel):
    key: str  # subscription id + window start/end (DigestJob.key)
    subscription: str
    window_start: datetime
    window_end: datetime
    sent_at: datetime
    recipient: str
    items: int
    transport: str
    location: str  # outbox file or SMTP host
    message_id: str


class DigestBusyError(RuntimeError):
    """Another digest run holds the send log."""


class SendLog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # one lock per path and process, re-entered by `record` inside `exclusive`, from any thread
        self._lock = FileLock(self.path.with_name(self.path.name + ".lock"), thread_local=False, is_singleton=True)

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the send log for a whole digest run; raise `DigestBusyError` at once if another process does."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise DigestBusyError(
                f"another digest run is sending (lock {self._lock.lock_file}): wait for it to finish"
            ) from None
        try:
            yield
        finally:
            self._lock.release()

    def entries(self) -> list[SentDigest]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [SentDigest.model_validate_json(line) for line in lines if line.strip()]

    def sent_until(self) -> dict[str, datetime]:
        """Subscription id -> end of the latest window sent for it."""
        latest: dict[str, datetime] = {}
        for entry in self.entries():
            if entry.subscription not in latest or entry.window_end > latest[entry.subscription]:
                latest[entry.subscription] = entry.window_end
        return latest

    def record(self, entry: SentDigest) -> None:
        """Append `entry` by rewriting the whole file atomically, under the send log's lock."""
        with self._lock.acquire(timeout=60):
            old = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
            if old and not old.endswith("\n"):
                old += "\n"
            line = json.dumps(entry.model_dump(mode="json"), ensure_ascii=False)
            write_text(self.path, old + line + "\n")
