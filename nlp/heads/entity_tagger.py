"""A token-classification head on the shared encoder that finds PER/LOC/ORG spans.

Saved models keep only what training changed (encoder layers, positions, head) in fp16;
the frozen word-embedding table comes from the encoder at build time, shared with every other
model on that encoder in the process, so the shipped folder stays small.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nlp.corpora import CharSpan
from nlp.encoder.length_batches import length_sorted_batches
from nlp.heads import storage
from nlp.text.casing import unshouted

LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
FROZEN = ("bert.embeddings.word_embeddings.weight",)
META = "tagger.json"


@dataclass
class TaggerMeta:
    encoder: str
    layers: int
    labels: list[str]
    max_tokens: int = 256


def build_model(encoder: str, layers: int, labels: list[str]):
    """The tagger on `encoder`'s first `layers` layers, with the process's shared word embeddings."""
    from transformers import AutoModelForTokenClassification

    from nlp.encoder.load import encoder_source
    from nlp.encoder.word_embeddings import share_word_embeddings

    model = AutoModelForTokenClassification.from_pretrained(
        encoder_source(encoder),
        num_hidden_layers=layers,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    return share_word_embeddings(model, encoder)


def from_hub_format(name: str):
    """The model, meta and tokenizer of an exported folder or hub id (`rassegna export-ner`)."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    from nlp.encoder.load import encoder_source

    model = AutoModelForTokenClassification.from_pretrained(encoder_source(name))
    config = model.config
    meta = TaggerMeta(name, config.num_hidden_layers, [config.id2label[i] for i in range(config.num_labels)],
                      getattr(config, "rassegna_max_tokens", TaggerMeta.max_tokens))  # fmt: skip
    return model, meta, AutoTokenizer.from_pretrained(encoder_source(name))


def save(model, meta: TaggerMeta, folder: Path) -> None:
    storage.save(model, meta.__dict__, folder, META, FROZEN)


class EntityTagger:
    """Predict entity character spans for raw texts, in batches (torch fp32).

    The pipeline runs the same weights in the one-pass model (`nlp.onepass`); this is the separate model that
    training and `rassegna export-ner` use. Texts are read as the one pass reads
    them: names in capitals inside ordinary text in title case (`nlp.text.casing`).
    """

    def __init__(self, folder: Path | str):
        """`folder`: a shipped compact folder (`tagger.json`), or an exported folder or hub id (`config.json`)."""
        from nlp.encoder.load import load_tokenizer

        if storage.is_compact(folder, META):
            self.meta = TaggerMeta(**storage.read_meta(folder, META))
            model = build_model(self.meta.encoder, self.meta.layers, self.meta.labels)
            storage.load_weights(model, folder, FROZEN)
            self.tokenizer = load_tokenizer(self.meta.encoder)
        else:
            model, self.meta, self.tokenizer = from_hub_format(str(folder))
        self.model = model.eval()

    def predict(self, texts: list[str], batch_size: int = 32) -> list[list[CharSpan]]:
        import torch

        results: list[list[CharSpan]] = [[] for _ in texts]
        for chunk in length_sorted_batches(texts, batch_size):
            batch = self.tokenizer(
                [unshouted(texts[i]) for i in chunk],
                return_offsets_mapping=True,
                truncation=True,
                max_length=self.meta.max_tokens,
                padding=True,
                return_tensors="pt",
            )
            offsets = batch.pop("offset_mapping").tolist()
            with torch.inference_mode():
                log_probs = torch.log_softmax(self.model(**batch).logits, -1).numpy()
            for row, i in enumerate(chunk):
                tags = best_tags(log_probs[row], offsets[row], self.meta.labels)
                results[i] = decode(texts[i], offsets[row], tags)
        return results


def best_tags(log_probs, offsets: list[list[int]], labels: list[str]) -> list[str]:
    """The most probable valid BIO sequence over the real subwords (Viterbi: no I-X after O or I-Y)."""
    import numpy as np

    real = [k for k, (start, end) in enumerate(offsets) if start < end]
    tags = ["O"] * len(offsets)
    if not real:
        return tags
    inside, transition = _bio_constraints(tuple(labels))
    scores = np.where(inside, -np.inf, log_probs[real[0]])
    back = []
    for k in real[1:]:
        candidates = scores[:, None] + transition
        back.append(candidates.argmax(0))
        scores = candidates.max(0) + log_probs[k]
    path = [int(scores.argmax())]
    for pointers in reversed(back):
        path.append(int(pointers[path[-1]]))
    for k, label in zip(real, reversed(path), strict=True):
        tags[k] = labels[label]
    return tags


@cache
def _bio_constraints(labels: tuple[str, ...]):
    """Which labels are I- tags, and the transition scores (0, or -inf for I-X after anything but B-X/I-X)."""
    import numpy as np

    inside = np.array([label.startswith("I-") for label in labels])
    kinds = [label[2:] for label in labels]
    forbidden = np.array([[inside[j] and kinds[i] != kinds[j] for j in range(len(labels))] for i in range(len(labels))])
    return inside, np.where(forbidden, -np.inf, 0.0)


def decode(text: str, offsets: list[list[int]], tags: list[str]) -> list[CharSpan]:
    """Turn subword BIO tags into character spans snapped to whole words."""
    spans: list[CharSpan] = []
    current: list[int] | None = None
    label = None
    for (start, end), tag in zip(offsets, tags, strict=True):
        start = _skip_space(text, start, end)
        if start >= end:
            continue
        prefix, _, kind = tag.partition("-")
        if current and prefix == "I" and kind == label:
            current[1] = end
            continue
        if current:
            spans.append(_snap(text, current, label))
        current, label = ([start, end], kind) if prefix in ("B", "I") else (None, None)
    if current:
        spans.append(_snap(text, current, label))
    return spans


def _skip_space(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _snap(text: str, bounds: list[int], label: str) -> CharSpan:
    start, end = bounds
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return CharSpan(start, end, label)
