"""`rassegna_entities`: PER/LOC/ORG spans from the NER tower's tags in the one pass (`Doc._.encoded`).

Each sentence's BIO log-probabilities are decoded into the most probable valid tag sequence (Viterbi),
snapped to whole words; the title is encoded for the tone but not tagged.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from nlp.heads.entity_tagger import best_tags, decode


class EntityRecogniser:
    def __call__(self, doc: Doc) -> Doc:
        entities = []
        for unit in doc._.encoded.sentences():
            offsets = unit.encoded.offsets.tolist()
            for span in decode(unit.text, offsets, best_tags(unit.encoded.ner, offsets, doc._.encoded.ner_labels)):
                entity = doc.char_span(unit.start + span.start, unit.start + span.end, label=span.label,
                                       alignment_mode="expand")  # fmt: skip
                if entity is not None:
                    entities.append(entity)
        doc.ents = filter_spans(entities)
        return doc


@Language.factory("rassegna_entities", requires=["doc._.encoded"], assigns=["doc.ents"])
def make_entity_recogniser(nlp: Language, name: str) -> EntityRecogniser:
    return EntityRecogniser()
