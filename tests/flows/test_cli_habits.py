"""The command line behaves like the tools its users know: --version, choices in help, data to stdout, readable
wide results, no machine paths in help."""

from __future__ import annotations

import csv
import io
import json
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.flows.warehouse.warehouse_samples import fill


@pytest.fixture
def config(tmp_path: Path) -> Path:
    from flows.warehouse import Warehouse

    fill(Warehouse(tmp_path / "warehouse"))
    path = tmp_path / "rassegna.toml"
    path.write_text(f'[warehouse]\nfolder = "{tmp_path / "warehouse"}"\n')
    return path


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), terminal_width=100)


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.output.strip() == f"rassegna {version('rassegna')}"


def test_choices_are_listed_and_others_refused_in_one_message():
    assert "table|csv|json|parquet" in invoke("query", "--help").output.replace(" ", "")
    monthly = invoke("digest", "--frequency", "monthly")
    assert monthly.exit_code == 2 and "'monthly' is not one of" in monthly.output
    assert "Traceback" not in monthly.output


def test_csv_and_json_go_to_stdout_for_piping(config):
    sql = "SELECT article_id, keyphrases FROM articles ORDER BY article_id"
    rows = list(csv.DictReader(io.StringIO(invoke("query", sql, "-f", "csv", "-c", str(config)).stdout)))
    records = json.loads(invoke("query", sql, "-f", "json", "-c", str(config)).stdout)

    assert [row["article_id"] for row in rows] == ["a1", "a2", "a3", "a4"]
    assert json.loads(rows[0]["keyphrases"]) == records[0]["keyphrases"]
    assert invoke("query", sql, "-f", "parquet", "-c", str(config)).exit_code == 2  # parquet needs --output


def test_a_wide_result_shows_one_block_per_row_with_cut_cells(config):
    result = invoke("query", "SELECT * FROM articles ORDER BY article_id", "--limit", "2", "-c", str(config))

    assert result.exit_code == 0
    assert result.output.count("row ") == 2 and "… 2 more rows" in result.output
    assert all(len(line) <= 100 for line in result.output.splitlines())
    assert "sentiment_label" in result.output


def test_help_shows_no_path_of_this_machine():
    for command in (["train", "ner"], ["train", "tone"]):
        output = invoke(*command, "--help").output
        assert str(Path.cwd()) not in output and "/work/" not in output and "../shared/data/" in output
