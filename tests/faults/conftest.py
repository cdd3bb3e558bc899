"""Real faults, seen as the operator sees them: `rassegna` run as its own process, its exit code, its output, its
peak RSS, and the rows it left in the warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer


@dataclass(frozen=True)
class Outcome:
    code: int
    output: str
    peak_rss_mb: float

    @property
    def last_line(self) -> str:
        lines = [line for line in self.output.splitlines() if line.strip()]
        return lines[-1] if lines else ""


# the child writes its own peak RSS (kB) when it exits, however it exits
CHILD = (
    "import atexit, os, resource; atexit.register(lambda: open(os.environ['PEAK_RSS_FILE'], 'w')"
    ".write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))); from flows.cli import app; app()"
)


def rassegna(*args: str, config: Path, timeout: float = 300) -> Outcome:
    """`rassegna ARGS --config CONFIG` in a child process, without Prefect, and what it left."""
    rss_file = config.parent / "peak_rss_kb"
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    env |= {"RASSEGNA_PROGRESS": "0", "COLUMNS": "200", "PEAK_RSS_FILE": str(rss_file)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args, "--config", str(config)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout,
    )  # fmt: skip
    rss = int(rss_file.read_text()) / 1024 if rss_file.exists() else float("nan")
    return Outcome(done.returncode, done.stdout, rss)


def config(folder: Path, sources: str, extra: str = "") -> Path:
    path = folder / "rassegna.toml"
    path.write_text(
        f'{sources}\n[warehouse]\nfolder = "{folder / "warehouse"}"\n'
        f'[http]\nper_host_delay_s = 0\nretries = 0\ncache_file = "{folder / "http_cache.json"}"\n{extra}',
        encoding="utf-8",
    )
    return path


def rows(folder: Path, sql: str) -> list[tuple]:
    from flows.warehouse import Warehouse

    with Warehouse(folder / "warehouse").connect() as db:
        return db.execute(sql).fetchall()


@pytest.fixture
def site(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n", content_type="text/plain")
    return httpserver
