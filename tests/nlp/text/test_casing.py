"""`unshouted`: capitalised names inside ordinary text become title case, nothing moves."""

from __future__ import annotations

import pytest

from nlp.text.casing import unshouted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "STOCCOLMA — Il presidente COSSIGA ha incontrato il re.",
            "Stoccolma — Il presidente Cossiga ha incontrato il re.",
        ),
        ("La BCE e l'UE trattano con gli USA.", "La BCE e l'UE trattano con gli USA."),  # short acronyms stay
        ("TESSITURA INSUBRICA, 140 ESUBERI A GALLARATE", "TESSITURA INSUBRICA, 140 ESUBERI A GALLARATE"),  # a headline
        ("Il distretto di FORLÌ e il COVID19", "Il distretto di Forlì e il COVID19"),
    ],
)
def test_capitalised_words_in_ordinary_text_become_title_case(text, expected):
    assert unshouted(text) == expected
    assert len(unshouted(text)) == len(text)
