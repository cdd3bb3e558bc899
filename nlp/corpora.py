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


def word_offsets(text: str, offsets: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token offsets as the tagger reads them: a token's leading spaces skipped ("▁Como" covers "Como")."""
    return [(start + len(text[start:end]) - len(text[start:end].lstrip()), end) for start, end in offsets]


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
    """The news-tone JSONL format: `{"id", "text", "label", "targets"?: [{"name", "label"}]}` a line; a target is the
    first occurrence of its name in the text."""
    import json

    examples = []
    for record in map(json.loads, filter(str.strip, Path(path).read_text(encoding="utf-8").splitlines())):
        text = record["text"]
        targets = tuple(
            CharSpan(start, start + len(t["name"]), t["label"])
            for t in record.get("targets", [])
            if t["name"] and (start := text.find(t["name"])) >= 0
        )
        examples.append(ToneExample(text, record["label"], targets))
    return examples


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


@dataclass(frozen=True)
class LabelledArticle:
    """An article with its readers' labels: article tone and primary theme (None where they disagree), the tone
    towards each organisation they agree on, and the themes a desk would file it under."""

    id: str
    title: str
    text: str
    tone: str | None
    organisations: tuple[tuple[str, str], ...]  # (name, tone)
    themes: tuple[str, ...]
    primary_theme: str | None


def read_labelled_articles(labels: Path, articles: Path | None = None) -> list[LabelledArticle]:
    """The MEANTIME labels format (`labels-dev.jsonl`: id, article_tone?, organisations [{name, tone}], themes,
    primary_theme?), joined with the texts in `articles` (default: `articles.jsonl` beside it)."""
    import json

    def jsonl(path: Path) -> list[dict]:
        return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]

    texts = {row["id"]: row for row in jsonl(articles or Path(labels).parent / "articles.jsonl")}
    return [
        LabelledArticle(
            row["id"],
            texts[row["id"]].get("title") or "",
            texts[row["id"]]["text"],
            row.get("article_tone"),
            tuple((o["name"], o["tone"]) for o in row.get("organisations", [])),
            tuple(row.get("themes", [])),
            row.get("primary_theme"),
        )
        for row in jsonl(labels)
    ]


def is_article_labels(path: Path) -> bool:
    """Whether a JSONL file holds article labels (the MEANTIME format) rather than labelled sentences."""
    import json

    first = next((line for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()), "{}")
    record = json.loads(first)
    return isinstance(record, dict) and "organisations" in record and "text" not in record
