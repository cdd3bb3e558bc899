"""`rassegna_entities`: the statistical NER (fine-tuned encoder) run sentence by sentence."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from nlp.heads.entity_tagger import EntityTagger


@lru_cache(maxsize=2)
def tagger(model: str, quantized: bool) -> EntityTagger:
    return EntityTagger(model, quantized=quantized)


class EntityRecogniser:
    def __init__(self, model: str, quantized: bool, batch_size: int):
        self.model, self.quantized, self.batch_size = model, quantized, batch_size

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        docs = iter(docs)
        while batch := list(islice(docs, batch_size)):
            sentences = [(doc, sent) for doc in batch for sent in doc.sents]
            found = tagger(self.model, self.quantized).predict([s.text for _, s in sentences], self.batch_size)
            per_doc: dict[int, list] = {id(doc): [] for doc in batch}
            for (doc, sent), spans in zip(sentences, found, strict=True):
                for span in spans:
                    entity = doc.char_span(
                        sent.start_char + span.start,
                        sent.start_char + span.end,
                        label=span.label,
                        alignment_mode="expand",
                    )
                    if entity is not None:
                        per_doc[id(doc)].append(entity)
            for doc in batch:
                doc.ents = filter_spans(per_doc[id(doc)])
                yield doc


@Language.factory(
    "rassegna_entities",
    default_config={"model": "", "quantized": True, "batch_size": 32},
    requires=["doc.sents"],
    assigns=["doc.ents"],
)
def make_entity_recogniser(nlp: Language, name: str, model: str, quantized: bool, batch_size: int):
    return EntityRecogniser(model, quantized, batch_size)
