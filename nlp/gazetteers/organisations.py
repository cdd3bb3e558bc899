"""The organisation gazetteer: company legal forms, public bodies, associations and indices, body name patterns,
institution words and companies named like people or things.

Data: `organisations.yaml` in the gazetteer folder (curated, see its header).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import yaml
from spacy.lang.it.stop_words import STOP_WORDS

from nlp.gazetteers.names import words

ORGANISATIONS = "organisations.yaml"

# A capitalised word of a company name: "Know", "NET", "A2A", "24", "Dolce&Gabbana", "Brembo".
_NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ]|\d)(?:[\w'’&+\-]|\.(?=\w))*"
_NAME = rf"{_NAME_WORD}(?: (?:(?:&|and|of) )?{_NAME_WORD}){{0,5}}"  # not "e", "di": "Intesa e Brembo SpA"


def spellings(form: str) -> set[str]:
    """The ways a legal form is written: "S.p.A." -> S.p.A., S.P.A., s.p.a., S.p.a., SpA, SPA, spa, Spa."""
    if " " in form:  # "Soc. coop.", "Società cooperativa"
        return {form, form.lower(), form.upper(), " ".join(word[:1].upper() + word[1:] for word in form.split(" "))}
    letters = form.replace(".", "")
    cases = {letters, letters.upper()}
    if len(letters) > 2:  # "AG", "SA", "SE" only in capitals: "se" and "sa" are Italian words
        cases |= {letters.lower(), letters.capitalize()}
    found = set()
    for case in cases:
        if "." in form.rstrip("."):  # dotted: the dots where the usual spelling has them, or none at all
            letters_left = iter(case)
            found |= {"".join(char if char == "." else next(letters_left) for char in form), case}
        else:
            found.add(case + "." if form.endswith(".") else case)
    return found


class LegalForms:
    """Company legal forms found after capitalised names in raw text, and removed from names."""

    def __init__(self, forms: list[str]):
        variants = sorted({spelling for form in forms for spelling in spellings(form)}, key=len, reverse=True)
        alternatives = "|".join(
            re.escape(variant[:-1]) + r"\.?" if variant.endswith(".") else re.escape(variant) for variant in variants
        )
        self.form = rf"(?:{alternatives})(?![\w])"
        self._company = re.compile(rf"(?<![\w'’])(?P<name>{_NAME}) (?P<form>{self.form})")
        self._trailing = re.compile(rf"[\s,]+{self.form}\s*$")

    def companies(self, text: str) -> Iterator[tuple[int, int]]:
        """Character spans of "Name LegalForm" mentions; leading function words ("La", "Secondo") stay out."""
        for match in self._company.finditer(text):
            start = match.start("name")
            words = match.group("name").split(" ")
            while len(words) > 1 and words[0].lower() in STOP_WORDS:
                start += len(words.pop(0)) + 1
            yield start, match.end("form")

    def strip(self, name: str) -> str:
        """The name without a trailing legal form: "KnowNet srl" -> "KnowNet"."""
        stripped = self._trailing.sub("", name)
        return stripped or name


@dataclass(frozen=True)
class Body:
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "association"  # institution | association | index

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Pattern:
    """A body named by a fixed prefix and a slot: a place of some kinds, or a capitalised name."""

    prefix: str
    slot: str
    kinds: tuple[str, ...] = ()
    exact_case: bool = True


@dataclass(frozen=True)
class Organisations:
    legal_forms: LegalForms
    bodies: tuple[Body, ...]
    patterns: tuple[Pattern, ...]
    institution_words: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()

    @cached_property
    def _institution_starts(self) -> tuple[tuple[str, ...], ...]:
        forms = [form for body in self.bodies if body.kind == "institution" for form in body.forms]
        return tuple({tuple(words(name)) for name in (*forms, *self.institution_words)})

    def institution(self, name: str) -> bool:
        """Whether `name` is a public institution's: a body of kind institution, or a name that starts like one
        ("Federal Reserve statunitense") or with one of the institution words ("Procura di Milano")."""
        named = tuple(words(name))
        return any(named[: len(start)] == start for start in self._institution_starts)


@cache
def load_organisations(folder: Path) -> Organisations:
    """The organisation gazetteer of a folder, read once per process."""
    data = yaml.safe_load((Path(folder) / ORGANISATIONS).read_text(encoding="utf-8"))
    bodies = tuple(
        Body(body["name"], tuple(body.get("aliases", [])), body.get("kind", "association")) for body in data["bodies"]
    )
    patterns = tuple(
        Pattern(item["prefix"], item["slot"], tuple(item.get("kinds", [])), item.get("case", "exact") == "exact")
        for item in data["patterns"]
    )
    return Organisations(
        LegalForms(data["legal_forms"]),
        bodies,
        patterns,
        tuple(data.get("institution_words", [])),
        tuple(data.get("companies", [])),
    )
