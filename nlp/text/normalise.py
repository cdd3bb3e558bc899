"""Clean collected text: well-formed Unicode, mojibake repair, NFC, tidy whitespace; word counts and content hashes."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import ftfy

# ftfy's defaults repair mojibake, straighten typographic quotes (’ “ ” -> ' ") and normalise line breaks.
_FIXER = ftfy.TextFixerConfig(explain=False)
MAX_PASSES = 4  # of the repair and clean-up, until the text stops changing
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# A str holds a valid surrogate pair as one character, so every surrogate code point left in one is lone.
_SURROGATE = re.compile("[\ud800-\udfff]")


def well_formed(text: str) -> str:
    """`text` with every lone surrogate (JSON can spell one, `"\\ud800"`; no UTF-8 byte sequence decodes to one)
    replaced by U+FFFD, so it can be written as UTF-8; lengths and character offsets stay as they were."""
    return _SURROGATE.sub("\ufffd", text)


def normalise(text: str) -> str:
    """Repaired, NFC text with single spaces, no invisible characters and at most one blank line between paragraphs;
    normalising it again changes nothing."""
    result = _normalise_once(text)
    # Dropping an invisible character or collapsing spaces can leave mojibake that ftfy repairs only on a second look
    # ("À\U00018cd6\x86" -> "À†" -> "ˠ"): repeat until nothing changes (bounded, in case two fixes undo each other).
    for _ in range(MAX_PASSES - 1):
        again = _normalise_once(result)
        if again == result:
            break
        result = again
    return result


def normalise_line(text: str | None) -> str | None:
    """A title or a name as `normalise` cleans a text, on one line; None when nothing is left."""
    line = " ".join(normalise(text).split()) if text else ""
    return line or None


def _normalise_once(text: str) -> str:
    paragraphs: list[list[str]] = [[]]
    for raw in ftfy.fix_text(text, _FIXER).splitlines():
        line = _clean_line(raw)
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    cleaned = "\n\n".join("\n".join(lines) for lines in paragraphs if lines)
    return unicodedata.normalize("NFC", cleaned)


def _clean_line(line: str) -> str:
    line = _SPACES.sub(" ", line)
    if not line.isprintable():  # controls, zero-width and bidi marks, soft hyphens, private-use characters
        line = _SPACES.sub(" ", "".join(char for char in line if char.isprintable()))
    return line.strip()


def word_count(text: str) -> int:
    """Whitespace-separated tokens holding at least one letter or digit (so "l'azienda" is one word, "—" none)."""
    return sum(1 for token in text.split() if any(char.isalnum() for char in token))


def canonical_form(text: str) -> str:
    """Normalised, casefolded words joined by single spaces: punctuation, symbols and layout do not count."""
    return " ".join(_WORD.findall(normalise(text).casefold()))


def content_hash(text: str) -> str:
    """sha256 hex of the canonical form, equal for copies that differ only in case, punctuation or layout."""
    return hashlib.sha256(canonical_form(text).encode()).hexdigest()
