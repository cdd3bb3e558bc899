"""`rassegna export-ner`: the NER model as a Hugging Face folder that `pipeline()` reads with no rassegna code."""

from __future__ import annotations

import json
import subprocess
import sys

from nlp.heads.entity_tagger import EntityTagger
from nlp.heads.hub_format import export_tagger
from nlp.settings import EntitySettings

SENTENCE = "Il presidente Sergio Mattarella ha incontrato a Roma i vertici di Fincantieri e della Banca d'Italia."
HUB_ONLY = f"""
import json
from transformers import pipeline
found = pipeline("token-classification", model="exported", aggregation_strategy="first")({SENTENCE!r})
print(json.dumps([[e["start"], e["end"], e["entity_group"]] for e in found]))
"""


def test_exported_ner_gives_the_taggers_entities_through_a_plain_transformers_pipeline(tmp_path):
    model = EntitySettings().model
    export_tagger(model, tmp_path / "exported")
    config = json.loads((tmp_path / "exported" / "config.json").read_text())
    assert config["id2label"]["1"] == "B-PER" and config["num_hidden_layers"] == 8
    assert (tmp_path / "exported" / "README.md").read_text().startswith("---\nlanguage: [it]\nlicense:")

    run = subprocess.run([sys.executable, "-c", HUB_ONLY], cwd=tmp_path, capture_output=True, text=True, check=True)
    # the pipeline's spans are whole subwords (a leading space, a trailing full stop); the tagger's are words
    found = [(SENTENCE[start:end].strip(" ."), label) for start, end, label in json.loads(run.stdout.splitlines()[-1])]
    (expected,) = EntityTagger(model, quantized=False).predict([SENTENCE])
    assert found == [(SENTENCE[e.start : e.end], e.label) for e in expected]
    assert ("Fincantieri", "ORG") in found and ("Sergio Mattarella", "PER") in found
