"""Curated cross-article aliases: which canonical name an entity name stands for, per label.

Data: `aliases.yaml` in the gazetteer folder, plus the names and aliases of the bodies in `organisations.yaml`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from nlp.gazetteers.names import compact
from nlp.gazetteers.organisations import load_organisations

ALIASES = "aliases.yaml"


@cache
def load_aliases(folder: Path) -> dict[tuple[str, str], str]:
    """(label, compact key of a name without legal form) -> canonical name, read once per process."""
    folder = Path(folder)
    organisations = load_organisations(folder)
    data = yaml.safe_load((folder / ALIASES).read_text(encoding="utf-8"))
    table: dict[tuple[str, str], str] = {}
    for label, entries in data.items():
        for name, aliases in entries.items():
            for form in (name, *aliases):
                table[(label, compact(organisations.legal_forms.strip(form)))] = name
    for body in organisations.bodies:
        for form in body.forms:
            table[("ORG", compact(form))] = body.name
    return table
