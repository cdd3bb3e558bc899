"""Task models as standard Hugging Face folders that `from_pretrained` and `pipeline()` read.

The shipped folders are compact (no word-embedding table: it is rebuilt from the encoder at load time);
this writes the whole model, its tokenizer and its model card, so the weights travel on their own. The NER
model is a stock token classifier; the tone model's two heads are a small custom class, shipped beside the
weights as `modeling_news_tone.py` (`trust_remote_code=True`). `EntityTagger` and `ToneClassifier` read
these folders too (`entities.model` / `tone.model` set to one, or to its hub id).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from nlp.heads import modeling_news_tone
from nlp.heads.entity_tagger import EntityTagger
from nlp.heads.tone_classifier import ToneClassifier

CARD = "README.md"
TONE_CODE = "modeling_news_tone.py"


def export_tagger(folder: Path, target: Path) -> Path:
    """The NER model in `folder` as a token-classification folder (config with the labels, safetensors, tokenizer)."""
    tagger = EntityTagger(folder)
    tagger.model.config.update({"rassegna_max_tokens": tagger.meta.max_tokens})
    tagger.model.save_pretrained(target, safe_serialization=True)
    tagger.tokenizer.model_max_length = tagger.meta.max_tokens
    tagger.tokenizer.save_pretrained(target)
    shutil.copyfile(Path(folder) / CARD, Path(target) / CARD)
    return Path(target)


def export_tone(folder: Path, target: Path) -> Path:
    """The tone model in `folder` as a text-classification folder: config with the labels, safetensors (the NER
    trunk and the tone tower as one plain BERT), tokenizer, and the code of its two heads
    (`AutoModelForSequenceClassification`, `trust_remote_code=True`)."""
    tone = ToneClassifier(folder)
    labels = tone.meta.labels
    config = modeling_news_tone.NewsToneConfig(
        **tone.model.encoder.config.to_diff_dict(),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
        rassegna_max_tokens=tone.meta.max_tokens,
    )
    config.architectures = ["BertForNewsTone"]
    config.auto_map = {
        "AutoConfig": f"{TONE_CODE[:-3]}.NewsToneConfig",
        "AutoModelForSequenceClassification": f"{TONE_CODE[:-3]}.BertForNewsTone",
    }
    model = modeling_news_tone.BertForNewsTone(config)
    encoder = {k: v for k, v in tone.model.encoder.state_dict().items() if not k.startswith("pooler.")}  # unused
    model.bert.load_state_dict(encoder)
    model.sentence_head.load_state_dict(tone.model.sentence_head.state_dict())
    model.entity_head.load_state_dict(tone.model.entity_head.state_dict())
    model.save_pretrained(target, safe_serialization=True)
    tone.tokenizer.model_max_length = tone.meta.max_tokens
    tone.tokenizer.save_pretrained(target)
    shutil.copyfile(modeling_news_tone.__file__, Path(target) / TONE_CODE)
    shutil.copyfile(Path(folder) / CARD, Path(target) / CARD)
    return Path(target)
