"""The themes' lead pass: the bundled e5 encoder's embeddings through the shipped runtime."""

from __future__ import annotations

import numpy as np

from nlp import load
from nlp.components.encoding import encoder_of

EXPORT = "passage: Le piccole imprese lombarde esportano macchinari in Germania."
PARAPHRASE = "passage: Le PMI della Lombardia vendono macchine utensili ai clienti tedeschi."
FOOTBALL = "passage: L'Inter ha vinto il derby di Milano con due gol nel secondo tempo."


def test_lead_vectors_are_unit_vectors_whose_similarity_follows_meaning():
    export, paraphrase, football = encoder_of(load()).embed([EXPORT, PARAPHRASE, FOOTBALL])
    assert np.allclose(np.linalg.norm([export, paraphrase, football], axis=1), 1.0, atol=1e-5)
    assert export @ paraphrase > export @ football + 0.05
