"""`rassegna_tone`: news tone of each sentence, of the article, and towards each entity.

Tone is whether the news is good or bad for the actors it is about, not the writer's opinion.
Sentences (and the title, from `doc._.title`) go through the tone model in batches; each entity
is judged by the entity head on its own tokens in the same pass. The article's net tone is the
weighted mean of sentence polarity (P(positive) - P(negative)), the title and the lead weighing
more, so a factual body does not drown clear good or bad news; past `polar_threshold` it is
positive or negative. Mentions are aggregated per canonical entity in `doc._.entity_tones`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.components.saved_data import ModelWithPipeline
from nlp.heads.tone_classifier import ToneClassifier
from nlp.settings import ToneSettings

for _name in ("title", "tone", "title_tone", "sentence_tones", "entity_tones"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Span.has_extension("tone"):
    Span.set_extension("tone", default=None)


@lru_cache(maxsize=2)
def classifier(model: str, quantized: bool) -> ToneClassifier:
    return ToneClassifier(model, quantized=quantized)


def verdict(probs, labels: list[str]) -> dict:
    """{label, tone in [-1, 1], score = probability of the label} from class probabilities."""
    probs = np.asarray(probs, dtype=np.float64)
    best = int(probs.argmax())
    tone = probs[labels.index("positive")] - probs[labels.index("negative")]
    return {"label": labels[best], "tone": round(float(tone), 4), "score": round(float(probs[best]), 4)}


@dataclass
class ToneAnalyser(ModelWithPipeline):
    model: str
    quantized: bool
    batch_size: int
    title_weight: float
    lead_sentences: int
    lead_weight: float
    polar_threshold: float

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        model = classifier(self.model, self.quantized)
        docs = iter(docs)
        while batch := list(islice(docs, batch_size)):
            units = [(doc, unit) for doc in batch for unit in _units(doc)]
            texts = [text for _, (_, text, _) in units]
            targets = [[(e.start_char - start, min(e.end_char, start + len(text)) - start) for e in ents]
                       for _, (start, text, ents) in units]  # fmt: skip
            results = model.predict(texts, targets, self.batch_size)
            grouped: dict[int, list] = {id(doc): [] for doc in batch}
            for (doc, unit), result in zip(units, results, strict=True):
                grouped[id(doc)].append((unit, result))
            for doc in batch:
                self.annotate(doc, grouped[id(doc)], model.labels)
                yield doc

    def annotate(self, doc: Doc, scored: list, labels: list[str]) -> None:
        title = [result for (start, _, _), result in scored if start is None]
        body = [(ents, result) for (start, _, ents), result in scored if start is not None]
        doc._.title_tone = verdict(title[0].sentence, labels) if title else None
        doc._.sentence_tones = [verdict(result.sentence, labels) for _, result in body]
        mentions = [(ent, probs) for ents, result in body for ent, probs in zip(ents, result.targets, strict=True)]
        for ent, probs in mentions:
            ent._.tone = verdict(probs, labels)
        doc._.tone = self.article_tone(doc, [r.sentence for r in title], [r.sentence for _, r in body], labels)
        doc._.entity_tones = entity_tones(mentions, labels)

    def article_tone(self, doc: Doc, title: list, body: list, labels: list[str]) -> dict:
        shares = {
            label: round(sum(v["label"] == label for v in doc._.sentence_tones) / len(body), 4) if body else 0.0
            for label in labels
        }
        probs = [*title, *body]
        if not probs:
            return {"label": "neutral", "tone": 0.0, "score": 0.0, "shares": shares}
        weights = [self.title_weight] * len(title) + [
            self.lead_weight if i < self.lead_sentences else 1.0 for i in range(len(body))
        ]
        weights = np.array(weights)[:, None]
        mean = (np.array(probs) * weights).sum(0) / weights.sum()
        tone = float(mean[labels.index("positive")] - mean[labels.index("negative")])
        label = "neutral"
        if abs(tone) >= self.polar_threshold:
            label = "positive" if tone > 0 else "negative"
        return {
            "label": label,
            "tone": round(tone, 4),
            "score": round(float(mean[labels.index(label)]), 4),
            "shares": shares,
        }


def _units(doc: Doc) -> list[tuple[int | None, str, list[Span]]]:
    """(start char or None for the title, text, entities starting in it) for the title and each sentence."""
    title = (doc._.title or "").strip()
    units: list[tuple[int | None, str, list[Span]]] = [(None, title, [])] if title else []
    for sent in doc.sents:
        if sent.text.strip():
            units.append((sent.start_char, sent.text, [e for e in doc.ents if sent.start <= e.start < sent.end]))
    return units


def entity_tones(mentions: list[tuple[Span, list[float]]], labels: list[str]) -> list[dict]:
    """Mentions aggregated per canonical entity (mean probabilities), most mentioned first."""
    groups: dict[tuple[str, str], list[list[float]]] = {}
    for ent, probs in mentions:
        groups.setdefault((ent._.canonical or ent.text, ent.label_), []).append(probs)
    out = [
        {"canonical": canonical, "type": kind, **verdict(np.mean(probs, 0), labels), "mentions": len(probs)}
        for (canonical, kind), probs in groups.items()
    ]
    return sorted(out, key=lambda t: (-t["mentions"], t["canonical"]))


@Language.factory(
    "rassegna_tone",
    default_config=ToneSettings().model_dump(mode="json", exclude={"factory"}),
    requires=["doc.sents", "doc.ents"],
)
def make_tone_analyser(
    nlp: Language,
    name: str,
    model: str,
    quantized: bool,
    batch_size: int,
    title_weight: float,
    lead_sentences: int,
    lead_weight: float,
    polar_threshold: float,
):
    return ToneAnalyser(model, quantized, batch_size, title_weight, lead_sentences, lead_weight, polar_threshold)
