"""Company legal forms and business abbreviations kept as single tokens (spaCy splits "S.r.l." otherwise)."""

from __future__ import annotations

from spacy.attrs import ORTH
from spacy.language import Language

ABBREVIATIONS = [
    "S.p.A.",
    "S.p.a.",
    "S.P.A.",
    "S.r.l.",
    "S.R.L.",
    "S.r.l.s.",
    "S.a.s.",
    "S.A.S.",
    "S.n.c.",
    "S.N.C.",
    "S.c.a.r.l.",
    "S.c.r.l.",
    "soc.",
    "coop.",
    "N.V.",
    "S.A.",
    "Inc.",
    "Ltd.",
    "Co.",
    "Corp.",
    "Bros.",
    "dott.",
    "Dott.",
    "dott.ssa",
    "ing.",
    "Ing.",
    "avv.",
    "Avv.",
    "prof.",
    "Prof.",
    "sig.",
    "Sig.",
    "sig.ra",
    "on.",
    "On.",
    "geom.",
    "rag.",
    "p.es.",
    "ecc.",
    "pag.",
    "tel.",
    "n.",
    "nr.",
    "art.",
    "c.a.",
]


def add_exceptions(nlp: Language) -> None:
    for text in ABBREVIATIONS:
        nlp.tokenizer.add_special_case(text, [{ORTH: text}])
