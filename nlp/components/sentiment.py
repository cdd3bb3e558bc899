"""`rassegna_sentiment`: sentence sentiment, the article's tone and the tone around each entity.

Articles are classified sentence by sentence (each sentence truncated to the model's max tokens);
the article label comes from the length-weighted mean of sentence probabilities, so long articles
need no single long pass. An entity's tone is the sentiment of the sentence it appears in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

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


class SentimentAnalyser:
    def __init__(self, model: str, quantized: bool, batch_size: int):
        self.model, self.quantized, self.batch_size = model, quantized, batch_size

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        docs = iter(docs)
        while batch := list(islice(docs, batch_size)):
            model = classifier(self.model, self.quantized)
            sentences = [(doc, sent) for doc in batch for sent in doc.sents if sent.text.strip()]
            probs = model.predict_proba([s.text for _, s in sentences], self.batch_size)
            by_doc: dict[int, list[tuple[Span, np.ndarray]]] = {id(doc): [] for doc in batch}
            for (doc, sent), p in zip(sentences, probs, strict=True):
                by_doc[id(doc)].append((sent, p))
            for doc in batch:
                self._annotate(doc, by_doc[id(doc)], model.labels)
                yield doc

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
