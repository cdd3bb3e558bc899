"""A digest page and the report seen in headless Chromium: screenshots taken, chart images loaded, text shown."""

from __future__ import annotations

import html
import re
import struct
import subprocess
from pathlib import Path

import pytest

from flows.digests.pipeline import due_digests, send_digest
from flows.report import write_report
from tests.flows.digests.digest_data import AS_OF

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (/usr/bin/chromium)"),
]
# Appended to a copy of the page: once loaded, record how many images decoded (complete, with a width).
PROBE = """<script>
window.addEventListener("load", () => {
  const images = Array.from(document.images);
  const loaded = images.filter((i) => i.complete && i.naturalWidth > 0).length;
  document.body.dataset.images = loaded + "/" + images.length;
});
</script>
"""


def chromium(page: Path, profile: Path, *args: str) -> str:
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90, check=True)
    return done.stdout


def look(page: Path, tmp_path: Path) -> tuple[str, Path]:
    """The DOM after load (with the probe) and a 1200x2000 screenshot of `page`."""
    probed = page.with_name(f"probed-{page.name}")
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(probed, tmp_path / "profile", "--virtual-time-budget=5000", "--dump-dom")
    screenshot = tmp_path / f"{page.stem}.png"
    chromium(page, tmp_path / "profile", f"--screenshot={screenshot}", "--window-size=1200,2000")
    return dom, screenshot


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


def test_digest_page_in_chromium(settings, tmp_path: Path):
    job = next(j for j in due_digests(settings, "daily", AS_OF) if j.subscription.id == "banche")
    page = Path(send_digest(job, settings, dry_run=True).files[1])
    dom, screenshot = look(page, tmp_path)
    assert 'data-images="1/1"' in dom
    text = html.unescape(re.sub(r"<[^>]+>", " ", dom))
    for expected in ("Cosa è cambiato", "UniCredit alza il dividendo dopo un anno record", "Luoghi più citati"):
        assert expected in text
    assert "alert('x')" in text  # shown as text, never run
    assert png_size(screenshot) == (1200, 2000)


def test_report_page_in_chromium(settings, tmp_path: Path):
    page = write_report(settings, tmp_path / "report.html")
    dom, screenshot = look(page, tmp_path)
    assert 'data-images="7/7"' in dom
    assert "Rassegna: panoramica del dataset" in dom and "Luoghi italiani citati" in dom
    assert png_size(screenshot) == (1200, 2000)
