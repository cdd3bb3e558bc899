"""`rassegna_places`: `Span._.place` for LOC entities, resolved from the place gazetteer near the story; None
elsewhere; and `Doc._.dateline`, the place of the dateline opening the article.

`Span._.place` is a dict {kind: comune|provincia|regione|country|city|area, name, istat_code, region,
country_code (ISO alpha-2), latitude, longitude} or None. Only LOC entities are resolved, so a "Messina" the model
labels PER is never a place. The words around a mention pick its sense ("lago di Como" is the lake, "provincia di
Como" the province, plain "Como" the comune, "via Roma" no place): see `nlp.gazetteers.context`. A homonym or a
local short name ("CASTELNUOVO.", "Serra") is decided near the story: the source's home province
(`Doc._.home_province`: a sigla, name or ISTAT code, set by the caller), the sigla of the dateline ("MORCIANO
(RN) —"), then the dateline, then the places the article names without doubt. Unknown or ambiguous names stay None.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.components.saved_data import SavedWithPipeline
from nlp.gazetteers.context import place_of
from nlp.gazetteers.places import Place, load_places
from nlp.settings import GazetteerSettings

Span.set_extension("place", default=None, force=True)
for _name in ("home_province", "dateline", "dateline_span", "dateline_province"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class PlaceResolver(SavedWithPipeline):
    def use(self, folder: Path) -> None:
        self.folder, self.places = folder, load_places(folder)

    def __call__(self, doc: Doc) -> Doc:
        locations = [entity for entity in doc.ents if entity.label_ == "LOC"]
        certain = [place_of(self.places, e) for e in locations if not self.places.has_short_name(e.text)]
        homes = (doc._.home_province, doc._.dateline_province)
        context = self.places.context(certain, homes)
        dateline = doc._.dateline_span
        if dateline is not None:
            doc._.dateline = self.dateline_place(dateline, context)
            context = self.places.context([*certain, doc._.dateline], homes)
        for entity in locations:
            place = place_of(self.places, entity, context)
            entity._.place = place.as_dict() if place else None
        return doc

    def dateline_place(self, span: Span, context) -> Place | None:
        """The place a dateline names: near the story, else the name's dominant sense, else its first place."""
        kinds = ("country", "regione", "comune", "city")
        found = place_of(self.places, span, context)
        if found is None:
            found = next(iter(self.places.candidates(span.text, kinds)), None)
        return found


@Language.factory(
    "rassegna_places",
    default_config={"folder": str(GazetteerSettings().folder)},
    requires=["doc.ents"],
    assigns=["span._.place", "doc._.dateline"],
)
def make_places(nlp: Language, name: str, folder: str) -> PlaceResolver:
    return PlaceResolver(Path(folder) if folder else None)
