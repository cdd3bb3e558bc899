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


MEANTIME_LABELS = shared("articles-meantime-it", "labels-dev.jsonl")


@needs_shared
def test_the_readers_article_labels_score_article_and_organisation_tone_beside_the_baseline():
    result = CliRunner().invoke(app, ["eval", "tone", str(MEANTIME_LABELS)])
    assert result.exit_code == 0, result.output
    found = {k: float(v) for k, v in re.findall(r"^([\w -]+): \d+ labels, accuracy (\d\.\d+)", result.output, re.M)}
    assert set(found) == {"article tone", "organisation tone", "article-tone baseline for organisations"}
    assert found["article tone"] >= 0.85
    assert found["organisation tone"] >= 0.85 and found["organisation tone"] > found[
        "article-tone baseline for organisations"]  # fmt: skip
    assert "F1 95% interval" in result.output and "of 106 organisations named by the pipeline" in result.output


def test_article_labels_of_ones_own_are_read_with_their_texts(tmp_path):
    (tmp_path / "articles.jsonl").write_text(
        '{"id": "a", "title": "Fincantieri vince una commessa da 1,2 miliardi", "text": "Fincantieri ha firmato '
        'il contratto per quattro navi da crociera. Il cantiere di Monfalcone assumerà 300 persone."}\n',
        encoding="utf-8",
    )
    labels = tmp_path / "labels.jsonl"
    labels.write_text(
        '{"id": "a", "article_tone": "positive", "organisations": [{"name": "Fincantieri", "tone": "positive"}], '
        '"themes": ["manifattura"], "primary_theme": "manifattura"}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["eval", "tone", str(labels)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "organisation tone: 1 labels" in result.output and "1 of 1 organisations named" in result.output
    themes = CliRunner().invoke(app, ["eval", "themes", str(labels)], env={"COLUMNS": "200"})
    assert themes.exit_code == 0, themes.output
    assert re.search(r"precision: \d\.\d{4} \(", themes.output) and "first theme right" in themes.output


@needs_shared
def test_train_themes_reproduces_the_shipped_calibration(tmp_path):
    """`rassegna train themes` on the dev labels: the shipped calibration.json, and its leave-one-out scores."""
    import json

    from nlp.settings import ThemeSettings

    result = CliRunner().invoke(app, ["train", "themes", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "calibration.json").read_text() == ThemeSettings().calibration.read_text()
    scores = json.loads((tmp_path / "training.json").read_text())["leave_one_out"]
    assert scores["precision"]["value"] >= 0.8 and scores["recall"]["value"] >= 0.75
    assert scores["first_theme_right"]["value"] >= 0.8
