"""`rassegna eval ner`: per file, under KIND's conventions or rassegna's, on real sentences."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app

# Annotated here as KIND might: "PMI" and the area "Brianza" as ORG; rassegna's conventions count no PMI and
# the Brianza as a place.
GOLD = """Le\tO
PMI\tB-ORG
della\tO
Brianza\tB-ORG
frenano\tO
e\tO
Volkswagen\tB-ORG
assume\tO
.\tO
"""


def overall_f1(output: str) -> list[float]:
    return [float(f1) for f1 in re.findall(r"overall\s+│\s+\S+\s+│\s+\S+\s+│\s+(\d\.\d+)", output)]


def test_the_same_output_is_scored_under_each_convention(tmp_path: Path):
    gold = tmp_path / "tiny.tsv"
    gold.write_text(GOLD, encoding="utf-8")
    kind = CliRunner().invoke(app, ["eval", "ner", str(gold), "--conventions", "kind"])
    ours = CliRunner().invoke(app, ["eval", "ner", str(gold), "--conventions", "rassegna"])
    assert kind.exit_code == 0 and ours.exit_code == 0, kind.output + ours.output
    assert "tiny.tsv (kind conventions)" in kind.output and "tiny.tsv (rassegna conventions)" in ours.output
    assert overall_f1(ours.output) == [1.0]  # Brianza a LOC, no PMI, Volkswagen found
    assert overall_f1(kind.output)[0] < 1.0


def test_an_unknown_convention_lists_the_choices(tmp_path: Path):
    gold = tmp_path / "tiny.tsv"
    gold.write_text(GOLD, encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "ner", str(gold), "--conventions", "ansa"])
    assert result.exit_code != 0 and "kind" in result.output and "rassegna" in result.output
