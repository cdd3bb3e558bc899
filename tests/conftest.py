"""Test-wide settings: quiet self-contained Prefect, and where the shared data lives."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="rassegna-prefect-"))
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("RASSEGNA_PROGRESS", "0")

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared" / "data"


def shared(*parts: str) -> Path:
    return SHARED.joinpath(*parts)


needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="../shared data not present")
