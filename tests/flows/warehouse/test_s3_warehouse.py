"""A warehouse whose tables live on object storage: a local S3-compatible server (moto) on 127.0.0.1.

The local folder keeps only the writer lock and `rassegna.duckdb`; every Parquet part is an object in the bucket,
and the dataset reads the same as a local one.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from bench.faults import finish, make_config, start
from flows.query import EXAMPLES, run_query
from flows.settings import ConfigError, load
from flows.warehouse import Warehouse
from flows.warehouse.doctor import repair
from tests.conftest import PROJECT
from tests.flows.warehouse.warehouse_samples import ARTICLES, RUN_ID, fill

BUCKET = "rassegna"
SAMPLES = ["crisi-tessitura-insubrica-gallarate.html", "fonderie-valtrompia-risultati-semestre.txt"]


@pytest.fixture(scope="module")
def s3():
    """The endpoint of a fresh S3-compatible server, and a client for it."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")  # fmt: skip
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


def remote(tmp_path: Path, s3, prefix: str) -> Warehouse:
    endpoint, _ = s3
    options = {"endpoint_url": endpoint, "key": "test", "secret": "test"}
    return Warehouse(tmp_path / "local", f"s3://{BUCKET}/{prefix}", options)


def objects(s3, prefix: str) -> list[str]:
    _, client = s3
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix + "/").get("Contents", [])
    return sorted(item["Key"].removeprefix(prefix + "/") for item in listed)


def test_the_tables_live_in_the_bucket_and_answer_like_a_local_warehouse(tmp_path, s3):
    warehouse = fill(remote(tmp_path, s3, "same"))
    local = fill(Warehouse(tmp_path / "plain"))

    stored = objects(s3, "same")
    assert "schema.json" in stored and "entities/entities.parquet" in stored
    for table in ("articles", "mentions", "themes", "rejected", "runs"):
        assert any(key.startswith(f"{table}/part-{RUN_ID}-") for key in stored)
    assert not list((tmp_path / "local").rglob("*.parquet"))

    for question, sql in EXAMPLES:
        assert run_query(warehouse, sql).equals(run_query(local, sql)), question
    assert warehouse.known().item_ids == local.known().item_ids
    assert list(warehouse.known().signatures) == list(local.known().signatures)


def test_uncommitted_parts_are_dropped_and_a_damaged_run_is_quarantined_in_the_bucket(tmp_path, s3):
    warehouse = fill(remote(tmp_path, s3, "repair"))
    warehouse.append("articles", ARTICLES[:1], "crashed")
    with warehouse.writing():
        pass
    assert not any("crashed" in key for key in objects(s3, "repair"))

    (damaged,) = (warehouse.tables / "themes").glob("*.parquet")
    damaged.write_bytes(b"not parquet")
    result = repair(warehouse, tmp_path / "staging", forget=[])
    assert result.quarantined_runs == [RUN_ID]
    assert any(key.startswith(f"quarantine/{RUN_ID}/themes/") for key in objects(s3, "repair"))
    assert run_query(warehouse, "SELECT count(*) AS n FROM articles")["n"].item() == 0


def test_rassegna_run_stores_in_the_bucket_and_a_rerun_adds_nothing(tmp_path, s3):
    endpoint, _ = s3
    posts = tmp_path / "posts"
    posts.mkdir()
    for sample in SAMPLES:
        shutil.copy(PROJECT / "data" / "samples" / "posts" / sample, posts)
    config = make_config(tmp_path / "warehouse", posts)
    config.write_text(
        config.read_text().replace(
            "[warehouse]\n",
            f'[warehouse]\nurl = "s3://{BUCKET}/run"\n'
            f'storage_options = {{endpoint_url = "{endpoint}", key = "test", secret = "test"}}\n',
        )
    )

    code, output = finish(start(config, "run"))
    assert code == 0, output
    assert f"stored {len(SAMPLES)} articles" in output and f"s3://{BUCKET}/run" in output
    assert any(key.startswith("mentions/part-") for key in objects(s3, "run"))
    assert not list((tmp_path / "warehouse").rglob("*.parquet"))

    code, output = finish(start(config, "run"))
    assert code == 0 and "stored 0 articles" in output, output
    code, output = finish(start(config, "query", "SELECT count(*) AS n FROM articles", "--format", "csv"))
    assert code == 0 and output.split() == ["n", str(len(SAMPLES))], output


def test_a_url_no_installed_filesystem_reads_is_a_one_line_config_error(tmp_path):
    config = tmp_path / "rassegna.toml"
    config.write_text('[warehouse]\nurl = "nosuch://bucket/rassegna"\n')
    with pytest.raises(ConfigError, match=r"cannot store the tables at nosuch://bucket/rassegna"):
        load(config)
