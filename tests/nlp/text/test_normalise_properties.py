"""Properties of text normalisation on any input (hypothesis): what `normalise` promises holds for every string."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.text.normalise import content_hash, normalise, well_formed

FAST = settings(max_examples=150, deadline=None)
# Any code point, lone surrogates and controls included: what a JSON escape or a broken file can put in a post.
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)


def _is_surrogate(char: str) -> bool:
    return unicodedata.category(char) == "Cs"


@FAST
@given(ANY_TEXT)
def test_normalise_is_idempotent(text: str):
    once = normalise(text)
    assert normalise(once) == once


@FAST
@given(ANY_TEXT)
def test_normalise_leaves_only_printable_characters_and_line_breaks(text: str):
    result = normalise(text)
    assert all(char == "\n" or char.isprintable() for char in result)  # no controls, zero-width marks, surrogates
    result.encode("utf-8")  # writable as UTF-8
    assert unicodedata.is_normalized("NFC", result)
    assert "\n\n\n" not in result and result == result.strip()
    assert all(line == line.strip() and "  " not in line for line in result.split("\n"))


@FAST
@given(ANY_TEXT)
def test_content_hash_ignores_what_normalise_changes(text: str):
    assert content_hash(normalise(text)) == content_hash(text)


@FAST
@given(ANY_TEXT)
def test_well_formed_replaces_exactly_the_lone_surrogates(text: str):
    result = well_formed(text)
    result.encode("utf-8")
    assert len(result) == len(text)  # offsets into the text stay valid
    for before, after in zip(text, result, strict=True):
        assert after == ("\ufffd" if _is_surrogate(before) else before)
