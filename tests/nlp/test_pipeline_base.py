"""The pipeline on an installed spaCy base (as with it_core_news_sm), built here as a local package."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import pytest
import spacy

from nlp.errors import PipelineError
from nlp.pipeline import build
from nlp.settings import EntitySettings, NLPSettings

TEXT = "Il Politecnico di Milano collabora con Brembo. La sede è a Bergamo."


@pytest.fixture(scope="module")
def base_package(tmp_path_factory) -> Path:
    base = spacy.blank("it")
    base.add_pipe("sentencizer")
    ruler = base.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([{"label": "ORG", "pattern": "Brembo"}, {"label": "LOC", "pattern": "Bergamo"}])
    folder = tmp_path_factory.mktemp("it_base_pipeline")
    base.to_disk(folder)
    return folder


def test_base_ner_is_used_when_chosen(base_package: Path):
    nlp = build(NLPSettings(base=str(base_package), entities=EntitySettings(use_base_ner=True)))
    assert "ner" in nlp.pipe_names and "rassegna_entities" not in nlp.pipe_names
    doc = nlp(TEXT)
    assert {(e.text, e.label_) for e in doc.ents} >= {("Brembo", "ORG"), ("Bergamo", "LOC")}
    place = next(e for e in doc.ents if e.text == "Bergamo")._.place
    assert place["region"] == "Lombardia"
    assert doc._.tone["label"] in {"negative", "neutral", "positive"}


def test_base_ner_is_replaced_by_default(base_package: Path):
    nlp = build(NLPSettings(base=str(base_package)))
    assert "ner" not in nlp.pipe_names and "rassegna_entities" in nlp.pipe_names


@pytest.mark.skipif(find_spec("it_core_news_sm") is not None, reason="it_core_news_sm is installed here")
def test_missing_spacy_package_names_the_install_command():
    with pytest.raises(PipelineError, match="it_core_news_sm-3.8.0"):
        build(NLPSettings(base="it_core_news_sm"))
