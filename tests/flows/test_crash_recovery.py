"""Crashes and second writers, with real processes: `rassegna run` killed by SIGKILL at every point of a run
(`bench/faults.py`) and at a random moment, then run again, gives the dataset of a run that never crashed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.faults import POINTS, dataset, finish, inject, make_config, start
from flows.warehouse.lock import writer_lock
from tests.conftest import PROJECT

SAMPLES = [
    "crisi-tessitura-insubrica-gallarate.html",
    "vigevano-calzaturiero-dazi.txt",
    "fonderie-valtrompia-risultati-semestre.txt",
    "comunita-energetica-franciacorta.txt",
]


@pytest.fixture(scope="module")
def posts(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("posts")
    for sample in SAMPLES:
        shutil.copy(PROJECT / "data" / "samples" / "posts" / sample, folder)
    (folder / "empty.txt").write_text("")  # a rejection too
    return folder


def test_a_run_killed_at_every_point_and_rerun_loses_and_doubles_nothing(tmp_path, posts):
    report = inject(tmp_path, posts, points=POINTS, moments=[4.0])

    assert all(code == -9 for point, code in report["kills"][: len(POINTS)]), report["kills"]
    assert report["rows"]["articles"] == len(SAMPLES) and report["rows"]["mentions"] > 0
    assert report["differences"] == dict.fromkeys(report["differences"], (0, 0))
    assert report["staging_left"] == []


def test_a_second_writer_is_refused_with_one_line_and_stores_nothing(tmp_path, posts):
    folder = tmp_path / "wh"
    config = make_config(folder, posts)

    with writer_lock(folder):
        code, output = finish(start(config, "run"))

    assert code == 1
    assert output.strip().splitlines()[-1].startswith("error: another rassegna run is writing to")
    assert all(not rows for rows in dataset(folder).values())


def test_doctor_quarantines_a_run_with_a_truncated_part_and_the_next_run_restores_it(tmp_path, posts):
    folder = tmp_path / "wh"
    config = make_config(folder, posts)
    assert finish(start(config, "run"))[0] == 0
    expected = dataset(folder)
    (part,) = (folder / "mentions").glob("*.parquet")
    part.write_bytes(part.read_bytes()[:200])

    code, output = finish(start(config, "doctor"))
    assert code == 0, output
    assert "quarantined run" in output
    assert not dataset(folder)["articles"]  # the whole run is out, not half of it

    assert finish(start(config, "run"))[0] == 0
    assert dataset(folder) == expected
    assert finish(start(config, "doctor"))[1].strip().endswith("healthy")
