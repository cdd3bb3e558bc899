"""The `ingest` flow end to end, under a temporary Prefect server, on the bundled samples and on MEANTIME."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest

from flows.query import EXAMPLES, run_query
from flows.warehouse import Warehouse
from tests.conftest import PROJECT, needs_shared, shared

pytestmark = pytest.mark.flow
README = PROJECT / "README.md"


@pytest.fixture(scope="module")
def prefect():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


def write_config(tmp_path: Path, sources: str) -> Path:
    config = tmp_path / "rassegna.toml"
    config.write_text(
        f'{sources}\n[warehouse]\nfolder = "warehouse"\n[http]\nper_host_delay_s = 0\n'
        f'cache_file = "warehouse/http_cache.json"\n'
    )
    return config


def counts(warehouse: Warehouse) -> dict[str, int]:
    with warehouse.connect() as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "rejected", "mentions")}


# the bundled samples whose tone data/samples/README.md marks as bad news and as good news
BAD_NEWS = [
    "crisi-tessitura-insubrica-gallarate.html",
    "vigevano-calzaturiero-dazi.txt",
    "meccanica-germania-frenata.html",
    "artigiani-lombardia-chiusure-semestre.html",
]
GOOD_NEWS = [
    "nuovo-stabilimento-verdellino.html",
    "fonderie-valtrompia-risultati-semestre.txt",
    "comunita-energetica-franciacorta.txt",
    "know-net-londra-assunzioni.html",
    "agroalimentare-cina-shanghai.html",
    "oii-bergamo-startup-premiate.html",
]


def test_samples_end_to_end_and_rerun_adds_nothing(prefect, tmp_path: Path):
    from flows.ingest import ingest

    samples = PROJECT / "data" / "samples"
    config = write_config(
        tmp_path,
        f"""
[[sources]]
name = "posts"
kind = "folder"
location = "{samples / "posts"}"
[[sources]]
name = "feed"
kind = "feed"
location = "{samples / "feed.xml"}"
""",
    )
    first = ingest(config=str(config))
    warehouse = Warehouse(tmp_path / "warehouse")
    after_first = counts(warehouse)
    assert first["stored"] == after_first["articles"] >= 18
    with warehouse.connect() as db:
        reasons = dict(db.execute("SELECT reason, count(*) FROM rejected GROUP BY reason").fetchall())
        stored_locations = {r[0] for r in db.execute("SELECT location FROM articles").fetchall()}
    assert {"duplicate_content", "near_duplicate", "language", "empty", "too_short"} <= set(reasons)
    collected = sorted(p for p in samples.rglob("*") if p.suffix in {".md", ".txt", ".html", ".json"})
    assert first["stored"] + first["rejected"] >= len(collected)
    assert any(loc.endswith("workshop-como-trasformazione-digitale.md") for loc in stored_locations)
    with warehouse.connect() as db:
        tone = dict(db.execute("SELECT regexp_extract(location, '[^/]+$'), sentiment_label FROM articles").fetchall())
        towards = db.execute("SELECT count(DISTINCT tone_label) FROM mentions WHERE label = 'ORG'").fetchone()[0]
    labels = list(tone.values())
    assert labels.count("positive") >= 3 and labels.count("negative") >= 3, tone
    assert not [name for name in BAD_NEWS if tone[name] == "positive"], tone
    assert not [name for name in GOOD_NEWS if tone[name] == "negative"], tone
    assert towards == 3  # organisations get good, bad and neutral news

    second = ingest(config=str(config))
    assert second["stored"] == 0 and second["rejected"] == 0
    assert counts(warehouse) == after_first

    answers = {question: run_query(warehouse, sql) for question, sql in EXAMPLES}
    assert all(len(frame) for frame in answers.values()), [q for q, f in answers.items() if not len(f)]
    readme = [textwrap.dedent(sql).strip() for sql in re.findall(r"```sql\n(.*?)```", README.read_text(), re.S)]
    assert readme == [textwrap.dedent(sql).strip() for _, sql in EXAMPLES]  # the README shows what is tested


@needs_shared
def test_meantime_articles_end_to_end(prefect, tmp_path: Path):
    from flows.ingest import ingest

    folder = tmp_path / "meantime"  # the articles alone: the folder also holds their readers' labels
    folder.mkdir()
    shutil.copy(shared("articles-meantime-it", "articles.jsonl"), folder)
    config = write_config(tmp_path, f'[[sources]]\nname = "meantime"\nkind = "folder"\nlocation = "{folder}"\n')
    summary = ingest(config=str(config))
    assert summary["stored"] + summary["rejected"] == 120
    assert summary["stored"] >= 110
    frame = run_query(
        Warehouse(tmp_path / "warehouse"),
        "SELECT canonical, label, article_count FROM entities ORDER BY article_count DESC LIMIT 20",
    )
    top = set(frame["canonical"])
    assert {"Boeing", "Airbus"} <= top
