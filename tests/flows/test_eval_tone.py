"""`rassegna eval tone` with the shipped model on the held-out English gold in ../shared."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import needs_shared, shared


def scored(path) -> dict[str, float]:
    result = CliRunner().invoke(app, ["eval", "tone", str(path)])
    assert result.exit_code == 0, result.output
    return {k: float(v) for k, v in re.findall(r"(macro-F1|accuracy) (\d\.\d+)", result.output)}


@needs_shared
@pytest.mark.parametrize(
    ("path", "accuracy"),
    [
        (shared("sentiment", "financial-phrasebank-en", "Sentences_66Agree.txt"), 0.85),
        (shared("sentiment", "sentfin-en", "sentfin.csv"), 0.80),
    ],
    ids=["phrasebank-66-held-out", "sentfin-held-out-entities"],
)
def test_held_out_english_gold_meets_its_target(path, accuracy):
    assert scored(path)["accuracy"] >= accuracy


def test_a_news_tone_file_prints_per_class_scores_and_the_confusion(tmp_path):
    path = tmp_path / "tone.jsonl"
    lines = [
        '{"id": "1", "text": "La Tessitura Insubrica annuncia 140 licenziamenti.", "label": "negative"}',
        '{"id": "2", "text": "Brembo chiude il semestre con utili in crescita del 20%.", "label": "positive"}',
        '{"id": "3", "text": "L\'assemblea dei soci si terrà il 12 dicembre.", "label": "neutral"}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "tone", str(path)])
    assert result.exit_code == 0, result.output
    assert "news tone tone.jsonl (sentence level)" in result.output
    assert "gold \\ predicted" in result.output and "3 texts, 3 sentence labels: macro-F1" in result.output
