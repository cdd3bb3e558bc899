"""`rassegna_gazetteer`: rules and gazetteers merged into the statistical entities without hurting precision.

Merge policy, applied in this order to the entities the model set on the doc:

(a) Companies with a legal form. A capitalised name followed by a legal form ("Know Net S.r.l.", "Brembo SpA",
    organisations.yaml lists the forms) becomes an ORG span. Every entity it overlaps is absorbed: the union of the
    spans becomes the ORG, so a model "Brembo" grows into "Brembo S.p.A." and a model "Banca Monte dei Paschi di
    Siena" keeps its full name. Found with a regex over the characters, so the tokenisation of "S.r.l." is irrelevant.
(b) Curated public bodies and associations (organisations.yaml: names, aliases, and prefix patterns such as
    "Camera di Commercio di <comune>", "Regione <regione>", "Ministero <name>") are ORG. A body is added where no
    entity overlaps it; it replaces the entities it overlaps only when it covers each of them fully, is longer and
    none of them is a person ("Regione Lombardia" over a model LOC "Lombardia", but not "Banca d'Italia Antonio
    Fazio" over the governor); otherwise the model's entities stay.
(b') Companies named like a person or a thing (organisations.yaml `companies`: "Leonardo", "Benetton", "Thales") are
    ORG where no entity overlaps them, and over a model entity of exactly their words (a PER "Leonardo") when their
    sentence speaks of business (`BUSINESS_WORDS`: "commessa", "ricavi", "gruppo"...) or the article names them as
    an organisation elsewhere, so Leonardo da Vinci stays a person.
(c) Places of the place gazetteer (comuni, provinces, regions, countries, big or curated foreign cities, areas) are
    added as LOC only where no entity overlaps them, when written as in the gazetteer (capitalised) and not glued to
    another capitalised word ("Carlo Messina", "Milano Finanza"). Names that are also everyday Italian words
    (stoplist.txt: "Ponte", "Calcio", "Paese") are added only right after a bare a/in/di/da ("a Ponte"; not
    "nel Paese", the country), hence never at the start of a sentence. A model PER span is never made a place.

Among overlapping gazetteer candidates of one step the longest wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spacy.lang.it.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.components.saved_data import SavedWithPipeline
from nlp.gazetteers.names import fold
from nlp.gazetteers.organisations import Pattern, load_organisations
from nlp.gazetteers.places import load_places
from nlp.settings import GazetteerSettings

# Comuni take bare prepositions ("a Ponte"); "nel Paese", "del Paese" are the common noun.
PLACE_PREPOSITIONS = frozenset(["a", "ad", "in", "di", "da"])
NAME_PREPOSITIONS = frozenset(["di", "d'", "del", "della", "dello", "dei", "degli", "delle", "dell'", "per"])
NAME_SLOT_WORDS = 3
BUSINESS_WORDS = frozenset(
    {"azienda", "aziende", "gruppo", "società", "commessa", "commesse", "contratto", "contratti", "ricavi"}
    | {"fatturato", "utile", "utili", "borsa", "titolo", "azioni", "ordini", "ordine", "stabilimento", "stabilimenti"}
    | {"dipendenti", "lavoratori", "clienti", "vendite", "acquisizione", "investimento", "investimenti", "marchio"}
    | {"produzione", "amministratore", "ceo", "bilancio", "milioni", "miliardi", "euro", "dollari", "sindacati"}
    | {"fornitura", "accordo", "mercato", "quote", "esuberi", "assunzioni", "fabbrica", "impianto", "colosso"}
    | {"presenta", "presentano", "lancia", "lanciano", "annuncia", "annunciano", "firma", "firmano", "fondata"}
)


def overlapping(span: Span, entities: Iterable[Span]) -> list[Span]:
    return [entity for entity in entities if entity.start < span.end and span.start < entity.end]


def speaks_of_business(span: Span) -> bool:
    sentence = span.sent if span.doc.has_annotation("SENT_START") else span.doc
    return any(token.lower_ in BUSINESS_WORDS for token in sentence)


def spellings(name: str) -> set[str]:
    """A gazetteer name as it may be written: with straight or curly apostrophes, with hyphens or spaces."""
    found = {name, name.replace("'", "’")}
    return found | {spelling.replace("-", " ") for spelling in found}


class GazetteerMerger(SavedWithPipeline):
    def __init__(self, nlp: Language, folder: Path | None):
        self.nlp = nlp
        if folder:
            self.use(folder)

    def use(self, folder: Path) -> None:
        nlp = self.nlp
        self.folder, self.places = folder, load_places(folder)
        organisations = load_organisations(folder)
        self.legal_forms = organisations.legal_forms
        self.patterns = organisations.patterns
        self.place_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        forms = sorted({spelling for form in self.places.taggable_forms() for spelling in spellings(form)})
        self.place_matcher.add("PLACE", list(nlp.tokenizer.pipe(forms)))
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")  # one-word bodies ("Istat"), "Regione", "Comune di"...
        self.any_case = PhraseMatcher(nlp.vocab, attr="LOWER")  # longer names ("agenzia delle entrate")
        for body in organisations.bodies:
            for doc in nlp.tokenizer.pipe(sorted({s for form in body.forms for s in spellings(form)})):
                (self.exact if len(doc) == 1 else self.any_case).add("BODY", [doc])
        for doc in nlp.tokenizer.pipe(sorted({s for name in organisations.companies for s in spellings(name)})):
            (self.exact if len(doc) == 1 else self.any_case).add("COMPANY", [doc])
        for index, pattern in enumerate(self.patterns):
            matcher = self.exact if pattern.exact_case else self.any_case
            matcher.add(f"PATTERN_{index}", list(nlp.tokenizer.pipe(sorted(spellings(pattern.prefix)))))

    def __call__(self, doc: Doc) -> Doc:
        entities = list(doc.ents)
        place_matches = self.place_matcher(doc, as_spans=True)
        entities = self.add_companies(doc, entities)
        entities = self.add_bodies(doc, entities, place_matches)
        entities = self.add_places(doc, entities, place_matches)
        doc.ents = sorted(entities, key=lambda entity: entity.start)
        return doc

    def add_companies(self, doc: Doc, entities: list[Span]) -> list[Span]:
        for start, end in self.legal_forms.companies(doc.text):
            company = doc.char_span(start, end, alignment_mode="expand")
            if company is None:
                continue
            absorbed = overlapping(company, entities)
            first = min([company.start] + [entity.start for entity in absorbed])
            last = max([company.end] + [entity.end for entity in absorbed])
            entities = [entity for entity in entities if entity not in absorbed]
            entities.append(Span(doc, first, last, label="ORG"))
        return entities

    def add_bodies(self, doc: Doc, entities: list[Span], place_matches: list[Span]) -> list[Span]:
        candidates = []
        matches = [(doc.vocab.strings[key], start, end) for key, start, end in [*self.exact(doc), *self.any_case(doc)]]
        companies = [Span(doc, start, end, label="ORG") for label, start, end in matches if label == "COMPANY"]
        for company in companies:
            entities = self.add_company(company, entities, business=speaks_of_business(company))
        named = {e.text for e in entities if e.label_ == "ORG"}
        for company in companies:  # the article already names it as an organisation
            entities = self.add_company(company, entities, business=company.text in named)
        for label, start, end in matches:
            if label == "BODY":
                candidates.append(Span(doc, start, end, label="ORG"))
            elif label.startswith("PATTERN_"):
                slot_end = self.slot_end(doc, self.patterns[int(label.removeprefix("PATTERN_"))], end, place_matches)
                if slot_end is not None:
                    candidates.append(Span(doc, start, slot_end, label="ORG"))
        for body in filter_spans(candidates):
            covered = overlapping(body, entities)
            size = body.end_char - body.start_char
            if all(
                body.start <= entity.start
                and entity.end <= body.end
                and entity.end_char - entity.start_char < size
                and entity.label_ != "PER"
                for entity in covered
            ):
                entities = [entity for entity in entities if entity not in covered] + [body]
        return entities

    @staticmethod
    def add_company(company: Span, entities: list[Span], business: bool) -> list[Span]:
        covered = overlapping(company, entities)
        if not covered:
            return [*entities, company]
        same = len(covered) == 1 and (covered[0].start, covered[0].end) == (company.start, company.end)
        if same and covered[0].label_ != "ORG" and business:
            return [entity for entity in entities if entity is not covered[0]] + [company]
        return entities

    def slot_end(self, doc: Doc, pattern: Pattern, start: int, place_matches: list[Span]) -> int | None:
        """Where the slot after a pattern prefix ends, or None when the slot is not filled."""
        if pattern.slot == "place":
            ends = [
                place.end
                for place in place_matches
                if place.start == start and self.places.candidates(place.text, pattern.kinds)
            ]
            if not ends and start < len(doc) and self.merged_places(doc[start].text, pattern.kinds):
                return start + 1
            return max(ends, default=None)
        position = start + 1 if start < len(doc) and fold(doc[start].text) in NAME_PREPOSITIONS else start
        end = position
        while end < min(len(doc), position + NAME_SLOT_WORDS) and doc[end].is_alpha and doc[end].text[0].isupper():
            end += 1
        return end if end > position else None

    def merged_places(self, text: str, kinds: Iterable[str]) -> bool:
        """A hyphen-joined run of places, as merged bodies are named ("Como-Lecco", "Cremona-Mantova-Pavia")."""
        parts = text.split("-")
        return len(parts) > 1 and all(self.places.candidates(part, kinds) for part in parts)

    def add_places(self, doc: Doc, entities: list[Span], place_matches: list[Span]) -> list[Span]:
        for place in filter_spans(place_matches):
            if not overlapping(place, entities) and self.stands_alone(doc, place):
                entities.append(Span(doc, place.start, place.end, label="LOC"))
        return entities

    def stands_alone(self, doc: Doc, place: Span) -> bool:
        """Not part of a longer capitalised name, and after a preposition when the name is an everyday word."""
        before = doc[place.start - 1] if place.start > 0 else None
        after = doc[place.end] if place.end < len(doc) else None
        if after is not None and after.is_alpha and after.text[0].isupper():
            return False
        capitalised_before = before is not None and before.is_alpha and before.text[0].isupper()
        if capitalised_before and not (before.is_sent_start and before.lower_ in STOP_WORDS):  # but "In Italia"
            return False
        if self.places.is_common(place.text):
            return before is not None and fold(before.text) in PLACE_PREPOSITIONS
        return True


@Language.factory(
    "rassegna_gazetteer",
    default_config={"folder": str(GazetteerSettings().folder)},
    assigns=["doc.ents"],
)
def make_gazetteer(nlp: Language, name: str, folder: str) -> GazetteerMerger:
    return GazetteerMerger(nlp, Path(folder) if folder else None)
