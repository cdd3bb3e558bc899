"""notebooks/analysts.py: the marimo app answers and draws every README question on a real warehouse."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from matplotlib.figure import Figure

from flows.query import EXAMPLES, run_query
from flows.warehouse import Warehouse
from tests.flows.warehouse.warehouse_samples import fill

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "analysts.py"


def sample_config(tmp_path: Path) -> Path:
    fill(Warehouse(tmp_path / "warehouse"))
    config = tmp_path / "rassegna.toml"
    config.write_text('[warehouse]\nfolder = "warehouse"\n')
    return config


def test_the_notebook_answers_each_question_with_the_readme_sql_and_draws_it(tmp_path, monkeypatch):
    config = sample_config(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(NOTEBOOK), "--config", str(config)])
    spec = importlib.util.spec_from_file_location("analysts", NOTEBOOK)
    notebook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(notebook)

    _, defs = notebook.app.run()

    warehouse = Warehouse(tmp_path / "warehouse")
    assert list(defs["answers"]) == [question for question, _ in EXAMPLES]
    for question, sql in EXAMPLES:
        assert defs["answers"][question].equals(run_query(warehouse, sql))
    assert set(defs["figures"]) == {question for question, frame in defs["answers"].items() if len(frame)}
    assert len(defs["figures"]) == len(EXAMPLES)
    for figure in defs["figures"].values():
        assert isinstance(figure, Figure) and figure.axes[0].has_data()


def test_the_notebook_runs_as_a_script(tmp_path):
    config = sample_config(tmp_path)
    run = subprocess.run([sys.executable, str(NOTEBOOK), "--config", str(config)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
