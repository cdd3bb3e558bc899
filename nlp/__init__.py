"""The language side of rassegna: plain Python + spaCy, no Prefect."""

from __future__ import annotations

from functools import lru_cache

from nlp.settings import NLPSettings
from nlp.thinc_without_torch import import_thinc_without_torch

import_thinc_without_torch()


def load(settings: NLPSettings | None = None):
    """The Italian pipeline for these settings, built once per process."""
    return _load((settings or NLPSettings()).model_dump_json())


@lru_cache(maxsize=2)
def _load(settings_json: str):
    from nlp.pipeline import build

    return build(NLPSettings.model_validate_json(settings_json))
