"""Base for components that run a model over the sentences of many documents in one batch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from spacy.tokens import Doc, Span

from nlp.components.saved_data import ModelWithPipeline


class SentenceBatchComponent(ModelWithPipeline):
    def __init__(self, model: str, quantized: bool, batch_size: int):
        self.model, self.quantized, self.batch_size = model, quantized, batch_size

    def predict(self, texts: list[str]) -> list[Any]:
        raise NotImplementedError

    def annotate(self, doc: Doc, results: list[tuple[Span, Any]]) -> None:
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        docs = iter(docs)
        while batch := list(islice(docs, batch_size)):
            sentences = [(doc, sent) for doc in batch for sent in doc.sents if sent.text.strip()]
            results = self.predict([sent.text for _, sent in sentences])
            grouped: dict[int, list[tuple[Span, Any]]] = {id(doc): [] for doc in batch}
            for (doc, sent), result in zip(sentences, results, strict=True):
                grouped[id(doc)].append((sent, result))
            for doc in batch:
                self.annotate(doc, grouped[id(doc)])
                yield doc
