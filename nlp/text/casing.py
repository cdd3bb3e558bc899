"""Names in capitals inside ordinary text ("il presidente COSSIGA", "STOCCOLMA — ..."), shown to the tagger as
the title-case names it learned from; same length, so every character offset stays valid."""

from __future__ import annotations

import re

SHOUTED_WORD = re.compile(r"(?<!\w)[^\W\d_]{5,}(?!\w)")  # 5+ letters: acronyms (BCE, USA, NATO, FIAT) stay


def unshouted(text: str) -> str:
    """`text` with each ALL-CAPS word of 5+ letters in title case, unless most of its letters are capitals
    (a headline in capitals is left to the model, trained on such headlines)."""
    letters = [char for char in text if char.isalpha()]
    if not letters or 2 * sum(char.isupper() for char in letters) > len(letters):
        return text
    return SHOUTED_WORD.sub(_title, text)


def _title(match: re.Match) -> str:
    word = match.group()
    titled = word[0] + word[1:].lower()
    return titled if word.isupper() and len(titled) == len(word) else word
