"""`rassegna_conventions`: the entities a newspaper reader counts, after the model and the gazetteers.

Datelines opening the article or a paragraph become LOC (the one opening the article, after at most a title or
sub-title, is `doc._.dateline_span`, whose place `rassegna_places` resolves); then every entity is put under
rassegna's conventions
(`nlp/conventions.py`): cut at line breaks, places that act stay LOC, no common nouns, no plans or
laws as organisations.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from nlp import conventions
from nlp.components.saved_data import SavedWithPipeline
from nlp.corpora import CharSpan
from nlp.gazetteers.places import load_places
from nlp.settings import GazetteerSettings

for _name in ("dateline_span", "dateline_province"):  # the dateline opening the article, the sigla it gives
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class EntityConventions(SavedWithPipeline):
    def use(self, folder: Path) -> None:
        self.folder, self.places = folder, load_places(folder)
        self.not_entities = conventions.not_entity_pattern(folder)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        found = [CharSpan(e.start_char, e.end_char, e.label_) for e in doc.ents]
        spans = []
        for span in conventions.apply(text, found, self.places, self.not_entities):
            entity = doc.char_span(span.start, span.end, label=span.label, alignment_mode="contract")
            if entity is not None:
                spans.append(entity)
        datelines = []
        for span in conventions.datelines(text, self.places):
            entity = doc.char_span(span.start, span.end, label="LOC", alignment_mode="contract")
            if entity is not None:
                datelines.append(entity)
        kept = [s for s in spans if not any(d.start < s.end and s.start < d.end for d in datelines)]
        doc.ents = filter_spans([*datelines, *kept])
        opening = conventions.opening_dateline(text, [CharSpan(d.start_char, d.end_char, "LOC") for d in datelines])
        doc._.dateline_span = next((d for d in datelines if opening and d.start_char == opening.start), None)
        doc._.dateline_province = conventions.dateline_sigla(text, opening) if opening else None
        return doc


@Language.factory(
    "rassegna_conventions",
    default_config={"folder": str(GazetteerSettings().folder)},
    assigns=["doc.ents", "doc._.dateline_span", "doc._.dateline_province"],
)
def make_conventions(nlp: Language, name: str, folder: str) -> EntityConventions:
    return EntityConventions(Path(folder) if folder else None)
