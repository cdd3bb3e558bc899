"""`rassegna_entities`: the statistical NER (fine-tuned encoder) run sentence by sentence.

A name in capitals inside ordinary text is tagged as its title-case form (`nlp.text.casing`).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.components.sentence_batches import SentenceBatchComponent
from nlp.corpora import CharSpan
from nlp.heads.entity_tagger import EntityTagger
from nlp.settings import EntitySettings
from nlp.text.casing import unshouted


@lru_cache(maxsize=2)
def tagger(model: str, quantized: bool) -> EntityTagger:
    return EntityTagger(model, quantized=quantized)


class EntityRecogniser(SentenceBatchComponent):
    def predict(self, texts: list[str]) -> list[list[CharSpan]]:
        return tagger(self.model, self.quantized).predict([unshouted(text) for text in texts], self.batch_size)

    def annotate(self, doc: Doc, results: list[tuple[Span, list[CharSpan]]]) -> None:
        entities = []
        for sent, spans in results:
            for span in spans:
                start, end = sent.start_char + span.start, sent.start_char + span.end
                entity = doc.char_span(start, end, label=span.label, alignment_mode="expand")
                if entity is not None:
                    entities.append(entity)
        doc.ents = filter_spans(entities)


@Language.factory(
    "rassegna_entities",
    default_config=EntitySettings().model_dump(mode="json", include={"model", "quantized", "batch_size"}),
    requires=["doc.sents"],
    assigns=["doc.ents"],
)
def make_entity_recogniser(nlp: Language, name: str, model: str, quantized: bool, batch_size: int):
    return EntityRecogniser(model, quantized, batch_size)
