"""One writer at a time per warehouse folder: an OS file lock, released by the kernel even after `kill -9`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

LOCK_FILE = ".writer.lock"


class WarehouseBusyError(RuntimeError):
    """Another process holds the warehouse's writer lock."""


@contextmanager
def writer_lock(folder: Path) -> Iterator[None]:
    """Hold `<folder>/.writer.lock` for the block; raise `WarehouseBusyError` at once if another process holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(folder / LOCK_FILE, timeout=0, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        raise WarehouseBusyError(
            f"another rassegna run is writing to {folder}: wait for it to finish (lock {folder / LOCK_FILE})"
        ) from None
    try:
        yield
    finally:
        lock.release()
