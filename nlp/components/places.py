"""`rassegna_places`: `Span._.place` for LOC entities, resolved from the place gazetteer; None elsewhere.

`Span._.place` is a dict {kind: comune|provincia|regione|country|city|area, name, istat_code, region,
country_code (ISO alpha-2), latitude, longitude} or None. Only LOC entities are resolved, so a "Messina" the model
labels PER is never a place. The words around a mention pick its sense ("lago di Como" is the lake, "provincia di
Como" the province, plain "Como" the comune): see `nlp.gazetteers.context`. Unknown or ambiguous names stay None.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.components.saved_data import SavedWithPipeline
from nlp.gazetteers.context import place_of
from nlp.gazetteers.places import load_places
from nlp.settings import GazetteerSettings

Span.set_extension("place", default=None, force=True)


class PlaceResolver(SavedWithPipeline):
    def use(self, folder: Path) -> None:
        self.folder, self.places = folder, load_places(folder)

    def __call__(self, doc: Doc) -> Doc:
        for entity in doc.ents:
            if entity.label_ == "LOC":
                place = place_of(self.places, entity)
                entity._.place = place.as_dict() if place else None
        return doc


@Language.factory(
    "rassegna_places",
    default_config={"folder": str(GazetteerSettings().folder)},
    requires=["doc.ents"],
    assigns=["span._.place"],
)
def make_places(nlp: Language, name: str, folder: str) -> PlaceResolver:
    return PlaceResolver(Path(folder) if folder else None)
