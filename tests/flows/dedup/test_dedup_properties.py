"""Properties of deduplication (hypothesis): copies that differ only in what normalisation ignores are one text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from flows.dedup import Deduplicator, KnownArticles, signature
from flows.records import Reason
from flows.settings import DedupSettings
from nlp.text.normalise import content_hash

FAST = settings(max_examples=60, deadline=None)
WORD = st.text(st.sampled_from("abcdefghilmnopqrstuvzàèéìòù0123456789"), min_size=1, max_size=10)
WORDS = st.lists(WORD, min_size=1, max_size=40)
# What a copy may change without changing the text: spacing, line breaks, punctuation between words.
SEPARATORS = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", ", ", ". ", " — ", "; ", "' ", " «", "» "])


@st.composite
def text_and_copy(draw) -> tuple[str, str]:
    words = draw(WORDS)
    copy = [draw(st.sampled_from([w, w.upper(), w.capitalize()])) for w in words]
    separators = [draw(SEPARATORS) for _ in words]
    layout = "".join(word + sep for word, sep in zip(copy, separators, strict=True))
    return " ".join(words), draw(st.sampled_from(["", " ", "\n"])) + layout


@FAST
@given(text_and_copy())
def test_content_hash_and_signature_ignore_case_layout_and_punctuation(pair: tuple[str, str]):
    text, copy = pair
    assert content_hash(copy) == content_hash(text)
    assert signature(copy) == signature(text)


@FAST
@given(text_and_copy())
def test_a_reformatted_copy_is_duplicate_content_of_the_first(pair: tuple[str, str]):
    text, copy = pair
    dedup = Deduplicator(DedupSettings(), KnownArticles())
    dedup.add("first", dedup.check("first", text, None))
    verdict = dedup.check("second", copy, None)
    assert (verdict.reason, verdict.duplicate_of, verdict.similarity) == (Reason.DUPLICATE_CONTENT, "first", 1.0)


@FAST
@given(WORDS.map(" ".join))
def test_a_text_is_always_a_near_duplicate_of_its_stored_signature(text: str):
    dedup = Deduplicator(DedupSettings(), KnownArticles(signatures=[("stored", signature(text))]))
    verdict = dedup.check("incoming", text, None)
    assert (verdict.reason, verdict.duplicate_of, verdict.similarity) == (Reason.NEAR_DUPLICATE, "stored", 1.0)
