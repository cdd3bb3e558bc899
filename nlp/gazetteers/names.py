"""Lookup keys for names: the same name written with other case, accents, apostrophes or hyphens gets one key."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—/]+")


def fold(text: str) -> str:
    """Casefolded, accent-free text with straight apostrophes and single spaces for hyphens, slashes and blanks."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SEPARATORS.sub(" ", bare.casefold()).strip()


def compact(text: str) -> str:
    """Letters and digits of `fold(text)` only: "KNOW NET", "Know-Net" and "KnowNet" share "knownet"."""
    return "".join(char for char in fold(text) if char.isalnum())


def words(text: str) -> list[str]:
    """The folded words of a name ("Banca d'Italia" -> ["banca", "d", "italia"])."""
    return re.findall(r"\w+", fold(text))
