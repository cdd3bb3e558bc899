"""`rassegna_canonical`: a canonical name (`Span._.canonical`) and a stable id (`Span._.entity_id`) for every entity.

Within an article the mentions of one label are grouped:
- spelling variants share a key: casefolded, accents, spaces and punctuation dropped, a company legal form removed
  ("KNOW NET", "Know Net" and "KnowNet srl" are all "knownet");
- an acronym defined in the text, "Officine Italiane Innovazione (OII)" or "OII (Officine Italiane Innovazione)",
  stands for its long form wherever it occurs in the article;
- a partial mention of a person or organisation stands for the one longer name of the same label in the article
  that contains its words ("Messina" -> "Carlo Messina", "Intesa" -> "Intesa Sanpaolo"); none when several do;
- then the curated aliases (aliases.yaml, organisations.yaml) map names across articles ("GM" -> "General Motors",
  "Intesa" -> "Intesa Sanpaolo"), and a place mention goes by the name of the place `rassegna_places` resolved
  ("USA" -> "Stati Uniti", "Como" after "lago di" -> "Lago di Como", "CASTELNUOVO." in a Modena paper ->
  "Castelnuovo Rangone").
The canonical name is the curated or place name when there is one, else the most complete properly cased variant
(more words, then longer; an all-capitals name of several words is title-cased). The id is `LABEL:key` of the
canonical name, so it is the same in every article and every run that reaches the same canonical name.
`Span._.institution` marks an organisation that is a public institution (organisations.yaml) or a place acting as one
("la Germania frena", KIND's ORG): the tone reads it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.components.saved_data import SavedWithPipeline
from nlp.gazetteers.aliases import load_aliases
from nlp.gazetteers.names import compact, fold, words
from nlp.gazetteers.organisations import load_organisations
from nlp.gazetteers.places import load_places
from nlp.settings import GazetteerSettings

Span.set_extension("canonical", default=None, force=True)
Span.set_extension("entity_id", default=None, force=True)
Span.set_extension("institution", default=False, force=True)
if not Span.has_extension("place"):
    Span.set_extension("place", default=None)  # set by rassegna_places, which runs first

PARTIAL_LABELS = ("PER", "ORG")
ACTING_PLACES = ("country", "regione", "comune", "city")
PLACE_LINKS = frozenset({"di", "del", "della", "dello", "dei", "degli", "delle", "dell'", "d'"})
BODY_HEADS = frozenset(  # the units of public bodies, named by their place: "Compagnia di Carpi"
    {"compagnia", "comando", "stazione", "tenenza", "nucleo", "reparto", "distaccamento", "ufficio", "sezione"}
    | {"tribunale", "procura", "questura", "prefettura", "corte"}
)
CONNECTORS = frozenset(
    {"d", "di", "de", "del", "della", "dello", "dei", "degli", "delle", "dell", "da", "per", "e", "ed"}
    | {"la", "il", "lo", "le", "gli", "i", "l", "and", "of", "the"}
)
_PARENTHESIS = re.compile(r"\s*\(\s*([^()]{1,120}?)\s*\)")
_TRAILING_PARENTHESIS = re.compile(r"^(.+?)\s*\(\s*([^()]{1,120}?)\s*\)$")
_LETTERS = re.compile(r"[^\W\d_]+")


def is_acronym(text: str) -> bool:
    letters = [char for char in text if char.isalnum()]
    return " " not in text and 2 <= len(letters) <= 10 and text[0].isupper()


def initials_match(acronym: str, long_form: str) -> bool:
    """Whether the letters are the initials: OII of Officine Italiane Innovazione, CDP of Cassa Depositi e Prestiti
    (connectors may be skipped)."""
    letters = "".join(char for char in acronym.casefold() if char.isalnum())
    every = [word for word in words(long_form) if not word.isdigit()]
    content = [word for word in every if word not in CONNECTORS]
    return letters in {"".join(word[0] for word in every), "".join(word[0] for word in content)}


def definition(first: str, second: str) -> tuple[str, str] | None:
    """(acronym, long form) when one of "first (second)" is the acronym of the other."""
    if is_acronym(second) and initials_match(second, first):
        return second, first
    if is_acronym(first) and initials_match(first, second):
        return first, second
    return None


def is_proper(name: str) -> bool:
    """Not all lower case, and not an all-capitals name of several words (headline style)."""
    return not name.islower() and not (" " in name and name.isupper())


def proper_case(name: str) -> str:
    if " " not in name or not name.isupper():
        return name
    cased = _LETTERS.sub(lambda m: m[0].lower() if m[0].lower() in CONNECTORS else m[0].capitalize(), name)
    return cased[:1].upper() + cased[1:]


def display(names: list[str]) -> str:
    """The most complete properly cased variant: not all lower case, most words, properly cased, longest."""
    best = max(names, key=lambda name: (not name.islower(), len(words(name)), is_proper(name), len(name)))
    return proper_case(best)


class Canonicaliser(SavedWithPipeline):
    def use(self, folder: Path) -> None:
        self.folder, self.aliases = folder, load_aliases(folder)
        self.organisations = load_organisations(folder)
        self.places = load_places(folder)
        self.legal_forms = self.organisations.legal_forms

    def __call__(self, doc: Doc) -> Doc:
        mentions = list(doc.ents)
        names = [self.with_place(mention, self.name_of(mention)) for mention in mentions]
        acronyms = self.acronyms(doc, mentions)
        targets = [
            acronyms.get((mention.label_, compact(name))) or self.longer_name(mention.label_, name, mentions, names)
            for mention, name in zip(mentions, names, strict=True)
        ]
        curated = [self.curated_name(mention, target) for mention, target in zip(mentions, targets, strict=True)]
        keys = [compact(fixed or target) or target.casefold() for fixed, target in zip(curated, targets, strict=True)]
        variants: dict[tuple[str, str], list[str]] = defaultdict(list)
        for mention, key, name, target, fixed in zip(mentions, keys, names, targets, curated, strict=True):
            variants[(mention.label_, key)] += [fixed] if fixed else [name, target]
        for mention, key, fixed in zip(mentions, keys, curated, strict=True):
            mention._.canonical = fixed or display(variants[(mention.label_, key)])
            mention._.entity_id = f"{mention.label_}:{key}"
            mention._.institution = mention.label_ == "ORG" and self.is_public(mention._.canonical)
        return doc

    def is_public(self, name: str) -> bool:
        """A public institution's name, or a state's, region's or city's acting as one ("la Germania frena")."""
        return self.organisations.institution(name) or bool(self.places.candidates(name, ACTING_PLACES))

    def with_place(self, mention: Span, name: str) -> str:
        """A public body's name with the place that follows it ("Tribunale di Sorveglianza" + "di Roma",
        "Compagnia" + "di Carpi"): the reader's name for it, where KIND annotates the place apart."""
        doc, end = mention.doc, mention.end
        if mention.label_ != "ORG" or end + 1 >= len(doc) or doc[end].lower_ not in PLACE_LINKS:
            return name
        if not (self.organisations.institution(name) or fold(mention[0].text) in BODY_HEADS):
            return name
        place = next((e for e in doc.ents if e.start == end + 1 and e.label_ == "LOC"), None)
        return f"{name} {doc[end].text} {place.text}" if place is not None else name

    def name_of(self, mention: Span) -> str:
        """The mention without a trailing legal form (ORG) or a trailing acronym definition in parentheses."""
        text = " ".join(mention.text.split())
        found = _TRAILING_PARENTHESIS.match(text)
        if found and definition(found[1], found[2]):
            text = found[1]
        return self.legal_forms.strip(text) if mention.label_ == "ORG" else text

    def acronyms(self, doc: Doc, mentions: list[Span]) -> dict[tuple[str, str], str]:
        """(label, key of acronym) -> long form, for definitions "Name (ACR)" / "ACR (Name)" at an entity."""
        found = {}
        text = doc.text  # built from the tokens on every access
        for mention in mentions:
            pairs = []
            inside = _TRAILING_PARENTHESIS.match(" ".join(mention.text.split()))
            if inside:
                pairs.append((inside[1], inside[2]))
            after = _PARENTHESIS.match(text, mention.end_char)
            if after:
                pairs.append((self.name_of(mention), after[1]))
            for first, second in pairs:
                defined = definition(self.legal_forms.strip(first), second)
                if defined:
                    acronym, long_form = defined
                    found[(mention.label_, compact(acronym))] = long_form
        return found

    @staticmethod
    def longer_name(label: str, name: str, mentions: list[Span], names: list[str]) -> str:
        """The one longer name of the same label in the article holding all words of `name`, else `name`."""
        if label not in PARTIAL_LABELS:
            return name
        short = words(name)
        longer = {}
        for mention, other in zip(mentions, names, strict=True):
            long = words(other)
            if mention.label_ == label and len(long) > len(short) and contains(long, short):
                longer.setdefault(compact(other), other)
        return next(iter(longer.values())) if len(longer) == 1 else name

    def curated_name(self, mention: Span, name: str) -> str | None:
        """The curated alias of the name, or for a place mention the name of the place it means."""
        if mention.label_ == "LOC":
            return (mention._.place or {}).get("name")  # the place `rassegna_places` resolved near the story
        return self.aliases.get((mention.label_, compact(name)))


def contains(long: list[str], short: list[str]) -> bool:
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


@Language.factory(
    "rassegna_canonical",
    default_config={"folder": str(GazetteerSettings().folder)},
    requires=["doc.ents", "span._.place"],
    assigns=["span._.canonical", "span._.entity_id", "span._.institution"],
)
def make_canonical(nlp: Language, name: str, folder: str) -> Canonicaliser:
    return Canonicaliser(Path(folder) if folder else None)
