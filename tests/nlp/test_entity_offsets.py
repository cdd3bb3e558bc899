"""Property: on any input, every entity the pipeline reports is exactly `text[start:end]` of that input, and no
entity runs across a line break."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp import load
from nlp.doc_records import pipe_safely, summary_record

WORDS = [
    "Intesa Sanpaolo", "MILANO", "Roma", "—", "Regione Lombardia", "Comune di Milano", "governo", "l'Italia",
    "ha", "chiesto", "la", "Germania", "frena", "Mario Rossi", "COSSIGA", "STOCCOLMA", "Piccola e Media Impresa",
    "PNRR", "Stellantis", "a", "Torino", ",", ".", "3 dicembre", "«", "»", "è", "perché", "Forlì", "€", "l’azienda",
]  # fmt: skip
SEPARATORS = st.sampled_from([" ", " ", " ", "\n", "\n\n", "\t", " \u00a0", "\r\n"])
TEXTS = st.lists(
    st.tuples(st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=8)), SEPARATORS),
    min_size=1,
    max_size=40,
).map(lambda parts: "".join(word + sep for word, sep in parts))


@pytest.fixture(scope="module")
def nlp():
    return load()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_entities_are_slices_of_the_input_and_never_cross_a_line_break(nlp, text):
    (doc,) = pipe_safely(nlp, [text])
    assert not isinstance(doc, Exception), doc

    for found in summary_record(doc, "it")["entities"]:
        assert text[found["start"] : found["end"]] == found["text"]
        assert "\n" not in found["text"] and "\r" not in found["text"]
