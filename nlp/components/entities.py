"""`rassegna_entities`: PER/LOC/ORG spans from the NER tower's tags in the one pass (`Doc._.encoded`).

Each sentence's BIO log-probabilities are decoded into the most probable valid tag sequence (Viterbi),
snapped to whole words. The title is not part of the Doc's text: its entities are `Doc._.title_ents`,
(start, end, label) in the title, which the tone reads.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from nlp.heads.entity_tagger import best_tags, decode

if not Doc.has_extension("title_ents"):
    Doc.set_extension("title_ents", default=None)


def tagged(unit, labels: list[str]):
    """The entity spans the tags of one encoded title or sentence give, in its own characters."""
    offsets = unit.encoded.offsets.tolist()
    return decode(unit.text, offsets, best_tags(unit.encoded.ner, offsets, labels))


class EntityRecogniser:
    def __call__(self, doc: Doc) -> Doc:
        encoded = doc._.encoded
        entities = []
        for unit in encoded.sentences():
            for span in tagged(unit, encoded.ner_labels):
                entity = doc.char_span(unit.start + span.start, unit.start + span.end, label=span.label,
                                       alignment_mode="expand")  # fmt: skip
                if entity is not None:
                    entities.append(entity)
        doc.ents = filter_spans(entities)
        title = encoded.title()
        doc._.title_ents = [(s.start, s.end, s.label) for s in tagged(title, encoded.ner_labels)] if title else []
        return doc


@Language.factory("rassegna_entities", requires=["doc._.encoded"], assigns=["doc.ents", "doc._.title_ents"])
def make_entity_recogniser(nlp: Language, name: str) -> EntityRecogniser:
    return EntityRecogniser()
