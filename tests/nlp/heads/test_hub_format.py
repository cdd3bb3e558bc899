"""`rassegna export-ner` / `export-tone`: the task models as Hugging Face folders that `pipeline()` reads with no
rassegna code, and that rassegna's own loaders read back."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nlp.heads.entity_tagger import EntityTagger
from nlp.heads.hub_format import export_tagger, export_tone
from nlp.heads.tone_classifier import ToneClassifier
from nlp.settings import EntitySettings, ToneSettings

SENTENCE = "Il presidente Sergio Mattarella ha incontrato a Roma i vertici di Fincantieri e della Banca d'Italia."
NER_ONLY = f"""
import json
from transformers import pipeline
found = pipeline("token-classification", model="exported", aggregation_strategy="first")({SENTENCE!r})
print(json.dumps([[e["start"], e["end"], e["entity_group"]] for e in found]))
"""
HEADLINES = [
    "Tessitura Insubrica, 140 esuberi a Gallarate: sindacati in sciopero",
    "Fincantieri chiude il trimestre con utili record e nuove commesse",
    "Il consiglio comunale si riunirà giovedì alle 18",
]
TONE_ONLY = f"""
import json
from transformers import pipeline
tone = pipeline("text-classification", model="exported", trust_remote_code=True, top_k=None)
found = tone({HEADLINES!r})
print(json.dumps([{{s["label"]: s["score"] for s in scores}} for scores in found]))
"""


def test_exported_ner_gives_the_taggers_entities_through_a_plain_transformers_pipeline(tmp_path):
    model = EntitySettings().model
    export_tagger(model, tmp_path / "exported")
    config = json.loads((tmp_path / "exported" / "config.json").read_text())
    assert config["id2label"]["1"] == "B-PER" and config["num_hidden_layers"] == 8
    assert (tmp_path / "exported" / "README.md").read_text().startswith("---\nlanguage: [it]\nlicense:")

    run = subprocess.run([sys.executable, "-c", NER_ONLY], cwd=tmp_path, capture_output=True, text=True, check=True)
    # the pipeline's spans are whole subwords (a leading space, a trailing full stop); the tagger's are words
    found = [(SENTENCE[start:end].strip(" ."), label) for start, end, label in json.loads(run.stdout.splitlines()[-1])]
    (expected,) = EntityTagger(model).predict([SENTENCE])
    assert found == [(SENTENCE[e.start : e.end], e.label) for e in expected]
    assert ("Fincantieri", "ORG") in found and ("Sergio Mattarella", "PER") in found

    (reloaded,) = EntityTagger(tmp_path / "exported").predict([SENTENCE])
    assert reloaded == expected


def test_exported_tone_gives_the_classifiers_probabilities_through_a_plain_transformers_pipeline(tmp_path):
    model = ToneSettings().model
    export_tone(model, tmp_path / "exported")
    config = json.loads((tmp_path / "exported" / "config.json").read_text())
    assert config["id2label"] == {"0": "negative", "1": "neutral", "2": "positive"}
    assert config["auto_map"]["AutoModelForSequenceClassification"] == "modeling_news_tone.BertForNewsTone"
    assert (tmp_path / "exported" / "README.md").read_text().startswith("---\nlanguage: [it, en]\nlicense:")

    run = subprocess.run([sys.executable, "-c", TONE_ONLY], cwd=tmp_path, capture_output=True, text=True, check=True)
    found = json.loads(run.stdout.splitlines()[-1])
    classifier = ToneClassifier(model)
    expected = [result.sentence for result in classifier.predict(HEADLINES)]
    for scores, probabilities in zip(found, expected, strict=True):
        assert [scores[label] for label in classifier.labels] == pytest.approx(probabilities, abs=1e-4)
    assert [max(scores, key=scores.get) for scores in found] == ["negative", "positive", "neutral"]

    targets = [[(0, len("Tessitura Insubrica"))], [(0, len("Fincantieri"))], []]
    reloaded = ToneClassifier(tmp_path / "exported").predict(HEADLINES, targets)
    for again, first in zip(reloaded, classifier.predict(HEADLINES, targets), strict=True):
        assert again.sentence == pytest.approx(first.sentence, abs=1e-4)
        assert [t for target in again.targets for t in target] == pytest.approx(
            [t for target in first.targets for t in target], abs=1e-4
        )
