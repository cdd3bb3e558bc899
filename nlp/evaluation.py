"""Scorers behind `rassegna eval`: exact-span NER scores and classification scores."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from nlp.corpora import CharSpan, TaggedSentence, bio_to_token_spans, spans_to_token_tags


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class NerScores:
    by_type: dict[str, PRF] = field(default_factory=dict)

    @property
    def micro(self) -> PRF:
        total = PRF()
        for prf in self.by_type.values():
            total.tp, total.fp, total.fn = total.tp + prf.tp, total.fp + prf.fp, total.fn + prf.fn
        return total


def score_ner(gold: list[TaggedSentence], predicted: list[list[CharSpan]], labels=("PER", "LOC", "ORG")) -> NerScores:
    """Exact span-and-type match on the gold tokenisation; predicted char spans are projected on it."""
    scores = NerScores({label: PRF() for label in labels})
    for sentence, spans in zip(gold, predicted, strict=True):
        _, offsets = sentence.text_and_offsets()
        wanted = {s for s in bio_to_token_spans(sentence.tags) if s[2] in labels}
        found = {s for s in bio_to_token_spans(spans_to_token_tags(offsets, spans)) if s[2] in labels}
        for label in labels:
            gold_l = {s for s in wanted if s[2] == label}
            pred_l = {s for s in found if s[2] == label}
            prf = scores.by_type[label]
            prf.tp += len(gold_l & pred_l)
            prf.fp += len(pred_l - gold_l)
            prf.fn += len(gold_l - pred_l)
    return scores


@dataclass
class ClassificationScores:
    labels: list[str]
    confusion: dict[tuple[str, str], int]

    def prf(self, label: str) -> PRF:
        tp = self.confusion.get((label, label), 0)
        fp = sum(n for (g, p), n in self.confusion.items() if p == label and g != label)
        fn = sum(n for (g, p), n in self.confusion.items() if g == label and p != label)
        return PRF(tp, fp, fn)

    @property
    def macro_f1(self) -> float:
        return sum(self.prf(label).f1 for label in self.labels) / len(self.labels)

    @property
    def accuracy(self) -> float:
        total = sum(self.confusion.values())
        return sum(n for (g, p), n in self.confusion.items() if g == p) / total if total else 0.0


def score_classes(gold: list[str], predicted: list[str], labels: list[str]) -> ClassificationScores:
    return ClassificationScores(list(labels), dict(Counter(zip(gold, predicted, strict=True))))
