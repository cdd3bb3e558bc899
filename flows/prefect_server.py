"""A local Prefect server for `rassegna serve`: started as a subprocess unless PREFECT_API_URL points to one."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

PR_SET_PDEATHSIG = 1


@contextmanager
def local_server(home: Path, port: int = 4200, startup_timeout_s: float = 120.0) -> Iterator[str]:
    """Yield the API URL: $PREFECT_API_URL when set, else that of `prefect server start` run here until exit."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(home)}
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    # own session: Ctrl+C stops `serve` first, then this; and it dies with `serve`, even after a `kill -9`
    server = subprocess.Popen(command, env=env, start_new_session=True, preexec_fn=_die_with_parent)
    try:
        _wait_healthy(url, server, startup_timeout_s)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _die_with_parent() -> None:
    """In the child before exec: ask Linux to send SIGTERM when the parent dies (elsewhere: nothing)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _wait_healthy(url: str, server: subprocess.Popen, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"prefect server exited with code {server.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise TimeoutError(f"prefect server not healthy at {url} after {timeout_s:.0f} s")
