"""`rassegna export-pipeline`: a folder that `spacy.load` reads in a fresh interpreter, from anywhere."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import nlp
from nlp.doc_records import titled_doc
from nlp.export import export_pipeline
from nlp.settings import DATA
from tests.conftest import PROJECT

TITLE = "Fonderie Valtrompia, semestre record: ricavi in crescita del 18%"
TEXT = (
    "BRESCIA — Le Fonderie Valtrompia hanno chiuso il primo semestre con ricavi in crescita del 18 per cento e "
    "un utile netto raddoppiato. L'amministratore delegato Marco Bettinzoli ha annunciato 40 nuove assunzioni "
    "nello stabilimento di Lumezzane e un accordo di fornitura con Brembo."
)
READ_BACK = f"""
import json, spacy
pipeline = spacy.load("exported")
doc = pipeline.make_doc({TEXT!r})
doc._.title = {TITLE!r}
doc = pipeline(doc)
print(json.dumps({{
    "meta": pipeline.meta, "ents": [(e.text, e.label_) for e in doc.ents], "tone": doc._.tone["label"],
    "themes": [t["id"] for t in doc._.themes], "summary": doc._.summary,
}}))
"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("elsewhere")
    export_pipeline(folder / "exported")
    return folder


def test_the_saved_config_names_no_path_of_this_machine(exported):
    config = (exported / "exported" / "config.cfg").read_text(encoding="utf-8")
    assert str(PROJECT) not in config and str(DATA) not in config
    for model in ("ner-kind-e5", "tone-e5"):  # beside each other, so the tone model finds its trunk
        assert (exported / "exported" / "rassegna_encoder" / model / "head.safetensors").is_file()
    assert (exported / "exported" / "rassegna_themes" / "themes.yaml").is_file()
    for component in ("rassegna_gazetteer", "rassegna_conventions", "rassegna_canonical", "rassegna_places"):
        assert (exported / "exported" / component / "places.tsv").is_file()


def test_spacy_load_in_a_fresh_interpreter_gives_the_same_analysis(exported):
    run = subprocess.run(
        [sys.executable, "-c", READ_BACK], cwd=exported, capture_output=True, text=True, timeout=600, check=True
    )
    loaded = json.loads(run.stdout.splitlines()[-1])
    here = nlp.load()
    doc = here(titled_doc(here, TEXT, TITLE))
    assert loaded["ents"] == [[e.text, e.label_] for e in doc.ents]
    assert ["Fonderie Valtrompia", "ORG"] in loaded["ents"] and ["Lumezzane", "LOC"] in loaded["ents"]
    assert loaded["tone"] == doc._.tone["label"] == "positive"
    assert loaded["themes"] == [t["id"] for t in doc._.themes]
    assert loaded["summary"] == doc._.summary
    meta = loaded["meta"]
    assert (meta["name"], meta["lang"], meta["license"]) == ("rassegna", "it", "CC BY-NC-SA 4.0")
    assert meta["requirements"] == [f"rassegna=={meta['version']}"]
    assert meta["performance"]["ents_f"] > 0.8 and meta["sources"]
