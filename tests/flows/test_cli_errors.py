"""Errors a user can cause end in one line and a non-zero exit, not a traceback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def test_missing_config_file(tmp_path: Path):
    result = invoke("query", "SELECT 1", "--config", str(tmp_path / "absent.toml"))
    assert result.exit_code == 1
    assert "config file not found" in result.output and "Traceback" not in result.output


def test_invalid_config_value(tmp_path: Path):
    config = tmp_path / "rassegna.toml"
    config.write_text('[http]\ntimeout_s = "soon"\n')
    result = invoke("query", "SELECT 1", "--config", str(config))
    assert result.exit_code == 1
    assert "http.timeout_s" in result.output


def test_invalid_sql_and_writes_are_refused(tmp_path: Path):
    config = tmp_path / "rassegna.toml"
    config.write_text(f'[warehouse]\nfolder = "{tmp_path / "warehouse"}"\n')
    bad = invoke("query", "SELEC nonsense", "--config", str(config))
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    write = invoke("query", "CREATE TABLE x AS SELECT 1", "--config", str(config))
    assert write.exit_code == 1
    ok = invoke("query", "SELECT count(*) AS n FROM articles", "--config", str(config))
    assert ok.exit_code == 0 and "0" in ok.output


def test_query_exports_csv(tmp_path: Path):
    config = tmp_path / "rassegna.toml"
    config.write_text(f'[warehouse]\nfolder = "{tmp_path / "warehouse"}"\n')
    target = tmp_path / "out.csv"
    result = invoke("query", "SELECT 42 AS answer", "--format", "csv", "-o", str(target), "--config", str(config))
    assert result.exit_code == 0
    assert target.read_text().splitlines() == ["answer", "42"]
