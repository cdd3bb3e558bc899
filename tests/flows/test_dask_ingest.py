"""The `ingest` flow with its analysis on a local Dask cluster of two worker processes stores the dataset that
a single-process run stores from the same posts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.faults import dataset, make_config
from flows.settings import load
from flows.stages import ingest_here
from nlp import _load
from tests.conftest import PROJECT

pytestmark = pytest.mark.flow

SAMPLES = [
    "crisi-tessitura-insubrica-gallarate.html",
    "vigevano-calzaturiero-dazi.txt",
    "fonderie-valtrompia-risultati-semestre.txt",
    "comunita-energetica-franciacorta.txt",
    "nuovo-stabilimento-verdellino.html",
]


@pytest.fixture(scope="module")
def prefect():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture
def posts(tmp_path) -> Path:
    folder = tmp_path / "posts"
    folder.mkdir()
    for sample in SAMPLES:
        shutil.copy(PROJECT / "data" / "samples" / "posts" / sample, folder)
    (folder / "empty.txt").write_text("")  # a rejection from prepare
    return folder


def config(folder: Path, posts: Path, analysis: str = "") -> Path:
    """`make_config`'s with 2 articles per analysis task: 3 chunks for the 5 samples."""
    path = make_config(folder, posts)
    path.write_text(f"{path.read_text()}[analysis]\nchunk_articles = 2\n{analysis}")
    return path


def test_analysis_on_two_dask_workers_stores_the_single_process_dataset(prefect, tmp_path, posts):
    from distributed import Client, LocalCluster

    from flows.ingest import ingest

    assert ingest_here(load(config(tmp_path / "here", posts)))["stored"] == len(SAMPLES)

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        dask = config(tmp_path / "dask", posts, f'dask_address = "{cluster.scheduler_address}"\n')
        summary = ingest(config=str(dask))
        loads = client.run(_load.cache_info)

    assert summary["stored"] == len(SAMPLES)
    assert [info.misses for info in loads.values()] == [1, 1]  # both workers analysed, each built the models once
    expected, got = dataset(tmp_path / "here"), dataset(tmp_path / "dask")
    assert sum(got["rejected"].values()) == 1  # prepare's rejection, once
    assert got == expected
    assert not list((tmp_path / "dask" / "staging").iterdir())
