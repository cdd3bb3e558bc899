"""Readers for the annotated corpora used to train and evaluate: BIO files, sentiment and news-tone sets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "»", "%", "...", "'s"}
NO_SPACE_AFTER = {"(", "[", "«"}


@dataclass(frozen=True)
class CharSpan:
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class TaggedSentence:
    tokens: list[str]
    tags: list[str]

    def text_and_offsets(self) -> tuple[str, list[tuple[int, int]]]:
        """Rebuild running text from the tokens, as a writer would space them."""
        parts: list[str] = []
        offsets: list[tuple[int, int]] = []
        cursor = 0
        for i, token in enumerate(self.tokens):
            if i and _space_between(self.tokens[i - 1], token):
                parts.append(" ")
                cursor += 1
            offsets.append((cursor, cursor + len(token)))
            parts.append(token)
            cursor += len(token)
        return "".join(parts), offsets

    def spans(self) -> list[CharSpan]:
        _, offsets = self.text_and_offsets()
        return [CharSpan(offsets[a][0], offsets[b - 1][1], label) for a, b, label in bio_to_token_spans(self.tags)]


def _space_between(previous: str, token: str) -> bool:
    if previous.endswith(("'", "’")) and len(previous) > 1:
        return False
    return token not in NO_SPACE_BEFORE and previous not in NO_SPACE_AFTER


def bio_to_token_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans as (first token, end token exclusive, label); a stray I- opens a span."""
    spans: list[tuple[int, int, str]] = []
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        if start is not None and (prefix != "I" or kind != label):
            spans.append((start, i, label))
            start, label = None, None
        if prefix == "B" or (prefix == "I" and start is None):
            start, label = i, kind
    return spans


def read_bio(path: Path) -> list[TaggedSentence]:
    """Read `token<TAB>tag` (KIND) or `index<TAB>token<TAB>tag` (WikiNEuRal) files."""
    sentences: list[TaggedSentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if not line.strip():
            if tokens:
                sentences.append(TaggedSentence(tokens, tags))
            tokens, tags = [], []
            continue
        if len(fields) < 2:
            raise ValueError(f"{path}: expected token<TAB>tag, got {line!r}")
        tokens.append(fields[-2])
        tags.append(fields[-1].strip())
    if tokens:
        sentences.append(TaggedSentence(tokens, tags))
    return sentences


def spans_to_token_tags(offsets: list[tuple[int, int]], spans: list[CharSpan]) -> list[str]:
    """Project character spans onto tokens: a token inside a span is B- (first) or I-."""
    tags = ["O"] * len(offsets)
    for span in spans:
        inside = [i for i, (s, e) in enumerate(offsets) if s < span.end and e > span.start]
        for n, i in enumerate(inside):
            tags[i] = ("B-" if n == 0 else "I-") + span.label
    return tags


SENTIPOLC_LABELS = {"0": "negative", "1": "neutral", "2": "positive"}


def read_sentipolc(folder: Path, split: str) -> list[tuple[str, str]]:
    """SENTIPOLC 2016 3-class: `{split}_text.txt` line i pairs with `{split}_labels.txt` line i."""
    texts = (Path(folder) / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (Path(folder) / f"{split}_labels.txt").read_text(encoding="utf-8").splitlines()
    if len(texts) != len(labels):
        raise ValueError(f"{folder}: {len(texts)} texts but {len(labels)} labels in {split}")
    return [(t, SENTIPOLC_LABELS[label.strip()]) for t, label in zip(texts, labels, strict=True)]


def read_newssd(path: Path) -> list[tuple[str, str]]:
    """NewsSD-ITA: news sentences labelled SUBJ (subjective) or OBJ (objective)."""
    import csv

    with Path(path).open(encoding="utf-8", newline="") as handle:
        return [(row["Sentence"].strip(), row["Label"].strip()) for row in csv.DictReader(handle)]


@dataclass(frozen=True)
class ToneExample:
    """A text with its news tone (None where only its entities are labelled) and tones towards spans in it."""

    text: str
    label: str | None
    targets: tuple[CharSpan, ...] = ()


def read_news_tone(path: Path) -> list[ToneExample]:
    """The news-tone JSONL format: `{"id", "text", "label"}` a line."""
    import json

    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [ToneExample(r["text"], r["label"]) for r in map(json.loads, filter(str.strip, lines))]


def read_phrasebank(path: Path) -> list[ToneExample]:
    """Financial PhraseBank: `sentence@label` a line."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        text, at, label = line.rpartition("@")
        if at and label.strip() in ("negative", "neutral", "positive"):
            out.append(ToneExample(text.strip(), label.strip()))
    return out


def read_sentfin(path: Path) -> list[ToneExample]:
    """SEntFiN: headlines with the tone towards each entity; the headline's own tone where all agree.

    An entity is located in the headline by exact, then case-insensitive, match; one not found is dropped.
    """
    import csv
    import json

    out = []
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            title = row["Title"].strip()
            targets = []
            for name, label in json.loads(row["Decisions"]).items():
                start = title.find(name)
                if start < 0:
                    start = title.lower().find(name.lower())
                if start >= 0 and name:
                    targets.append(CharSpan(start, start + len(name), label))
            if targets:
                labels = {t.label for t in targets}
                out.append(ToneExample(title, labels.pop() if len(labels) == 1 else None, tuple(targets)))
    return out


def held_out_split(items: list, share: float = 0.2, seed: int = 2026) -> tuple[list, list]:
    """(train, held out): a fixed-seed shuffle, the last `share` held out. The same everywhere it is used."""
    import random

    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    cut = len(items) - round(len(items) * share)
    return [items[i] for i in order[:cut]], [items[i] for i in order[cut:]]
