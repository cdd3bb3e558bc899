"""`rassegna_tone`: news tone of each sentence, of the article, and towards each entity.

Tone is whether the news is good or bad for the actors it is about, not the writer's opinion.
The title and each sentence were encoded by the one pass (`rassegna_encoder`, `Doc._.encoded`), which
gives their tone; each entity, once the gazetteer and the conventions have fixed it, is judged by the
entity head on its own tokens of that same pass (no second pass). The article's net tone is the
weighted mean of sentence polarity (P(positive) - P(negative)), the title and the lead weighing
more, so a factual body does not drown clear good or bad news; past `polar_threshold` it is
positive or negative. Mentions are aggregated per canonical entity in `doc._.entity_tones`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.settings import ToneSettings

for _name in ("title", "tone", "title_tone", "sentence_tones", "entity_tones"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Span.has_extension("tone"):
    Span.set_extension("tone", default=None)


def verdict(probs, labels: list[str]) -> dict:
    """{label, tone in [-1, 1], score = probability of the label} from class probabilities."""
    probs = np.asarray(probs, dtype=np.float64)
    best = int(probs.argmax())
    tone = probs[labels.index("positive")] - probs[labels.index("negative")]
    return {"label": labels[best], "tone": round(float(tone), 4), "score": round(float(probs[best]), 4)}


@dataclass
class ToneAnalyser:
    title_weight: float
    lead_sentences: int
    lead_weight: float
    polar_threshold: float

    def __call__(self, doc: Doc) -> Doc:
        encoded = doc._.encoded
        labels = encoded.tone_labels
        title = encoded.title()
        doc._.title_tone = verdict(title.encoded.tone, labels) if title else None
        sentences = encoded.sentences()
        doc._.sentence_tones = [verdict(unit.encoded.tone, labels) for unit in sentences]
        mentions = []
        for unit in sentences:
            end = unit.start + len(unit.text)
            for ent in doc.ents:
                if unit.start <= ent.start_char < end:
                    span = (ent.start_char - unit.start, min(ent.end_char, end) - unit.start)
                    mentions.append((ent, unit.encoded.target_tone(span)))
        for ent, probs in mentions:
            ent._.tone = verdict(probs, labels)
        body = [unit.encoded.tone for unit in sentences]
        doc._.tone = self.article_tone(doc, [title.encoded.tone] if title else [], body, labels)
        doc._.entity_tones = entity_tones(mentions, labels)
        return doc

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
    default_config=ToneSettings().model_dump(mode="json", exclude={"factory", "model"}),
    requires=["doc._.encoded", "doc.ents"],
    assigns=["doc._.tone", "doc._.entity_tones", "span._.tone"],
)
def make_tone_analyser(
    nlp: Language, name: str, title_weight: float, lead_sentences: int, lead_weight: float, polar_threshold: float
) -> ToneAnalyser:
    return ToneAnalyser(title_weight, lead_sentences, lead_weight, polar_threshold)
