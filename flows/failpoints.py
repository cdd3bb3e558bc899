"""Named points where the fault tests kill the process (`RASSEGNA_KILL_AT=<point>`): a real `kill -9` there."""

from __future__ import annotations

import os
import signal

KILL_AT = "RASSEGNA_KILL_AT"


def reached(point: str) -> None:
    """Die by SIGKILL here when $RASSEGNA_KILL_AT names `point`; otherwise nothing."""
    if os.environ.get(KILL_AT) == point:
        os.kill(os.getpid(), signal.SIGKILL)
