"""`rassegna_sentiment`: sentence sentiment, the article's tone and the tone around each entity.

Articles are classified sentence by sentence (each sentence truncated to the model's max tokens);
the article label comes from the length-weighted mean of sentence probabilities, so long articles
need no single long pass. An entity's tone is the sentiment of the sentence it appears in.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.components.sentence_batches import SentenceBatchComponent
from nlp.heads.sentence_classifier import SentenceClassifier

for _name, _default in (("sentiment", None), ("sentence_sentiments", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
for _name in ("tone", "tone_score"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


@lru_cache(maxsize=2)
def classifier(model: str, quantized: bool) -> SentenceClassifier:
    return SentenceClassifier(model, quantized=quantized)


def _verdict(probs: np.ndarray, labels: list[str]) -> dict:
    best = int(probs.argmax())
    polarity = float(probs[labels.index("positive")] - probs[labels.index("negative")])
    return {"label": labels[best], "score": round(float(probs[best]), 4), "polarity": round(polarity, 4)}


class SentimentAnalyser(SentenceBatchComponent):
    def predict(self, texts: list[str]) -> list[np.ndarray]:
        return list(classifier(self.model, self.quantized).predict_proba(texts, self.batch_size))

    def annotate(self, doc: Doc, results: list[tuple[Span, np.ndarray]]) -> None:
        self._annotate(doc, results, classifier(self.model, self.quantized).labels)

    @staticmethod
    def _annotate(doc: Doc, scored: list[tuple[Span, np.ndarray]], labels: list[str]) -> None:
        if not scored:
            doc._.sentence_sentiments = []
            doc._.sentiment = {"label": "neutral", "score": 0.0, "polarity": 0.0, "shares": dict.fromkeys(labels, 0.0)}
            return
        verdicts = [_verdict(p, labels) for _, p in scored]
        weights = np.array([len(sent) for sent, _ in scored], dtype=np.float32)
        mean = (np.stack([p for _, p in scored]) * weights[:, None]).sum(0) / weights.sum()
        overall = _verdict(mean, labels)
        overall["shares"] = {
            label: round(sum(v["label"] == label for v in verdicts) / len(verdicts), 4) for label in labels
        }
        doc._.sentiment = overall
        doc._.sentence_sentiments = verdicts
        starts = {sent.start: i for i, (sent, _) in enumerate(scored)}
        for ent in doc.ents:
            index = starts.get(ent.sent.start)
            if index is not None:
                ent._.tone = verdicts[index]["label"]
                ent._.tone_score = verdicts[index]["polarity"]


@Language.factory(
    "rassegna_sentiment",
    default_config={"model": "", "quantized": True, "batch_size": 32},
    requires=["doc.sents"],
)
def make_sentiment_analyser(nlp: Language, name: str, model: str, quantized: bool, batch_size: int):
    return SentimentAnalyser(model, quantized, batch_size)
