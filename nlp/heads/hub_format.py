"""Task models as standard Hugging Face folders: `from_pretrained` and `pipeline()` read them with no rassegna code.

The shipped folders are compact (no word-embedding table: it is rebuilt from the encoder at load time);
this writes the whole model, its tokenizer and its model card, so the weights travel on their own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from nlp.heads.entity_tagger import EntityTagger

CARD = "README.md"


def export_tagger(folder: Path, target: Path) -> Path:
    """The NER model in `folder` as a token-classification folder (config with the labels, safetensors, tokenizer)."""
    tagger = EntityTagger(folder, quantized=False)
    tagger.model.config.update({"rassegna_max_tokens": tagger.meta.max_tokens})
    tagger.model.save_pretrained(target, safe_serialization=True)
    tagger.tokenizer.model_max_length = tagger.meta.max_tokens
    tagger.tokenizer.save_pretrained(target)
    shutil.copyfile(Path(folder) / CARD, Path(target) / CARD)
    return Path(target)
