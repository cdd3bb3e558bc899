"""The pipeline's models on one encoder read one frozen word-embedding table, with unchanged outputs."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nlp.components.entities import tagger
from nlp.components.tone import classifier
from nlp.encoder import word_embeddings
from nlp.encoder.embedder import Embedder, embedder
from nlp.heads.entity_tagger import EntityTagger
from nlp.heads.tone_classifier import ToneClassifier
from nlp.settings import NLPSettings

SETTINGS = NLPSettings()
SENTENCE = "MILANO — Il consiglio di Brembo ha approvato il piano industriale con Intesa Sanpaolo."


def _pipeline_models():
    """The tagger, tone classifier and embedder as the pipeline caches them."""
    entities, tone = SETTINGS.entities, SETTINGS.tone
    return tagger(str(entities.model), entities.quantized), classifier(str(tone.model), tone.quantized), embedder()


def _tables(entity_tagger, tone_classifier, sentence_embedder) -> list[torch.Tensor]:
    return [
        entity_tagger.model.get_input_embeddings().weight,
        tone_classifier.model.encoder.get_input_embeddings().weight,
        sentence_embedder._model.get_input_embeddings().weight,
    ]


def test_the_three_models_share_one_frozen_table():
    tables = _tables(*_pipeline_models())
    assert all(table is tables[0] for table in tables)
    assert len({table.data_ptr() for table in tables}) == 1
    assert not tables[0].requires_grad


def test_a_quantized_tagger_shares_the_table_too():
    (shared, *_) = _tables(*_pipeline_models())
    assert EntityTagger(SETTINGS.entities.model, quantized=True).model.get_input_embeddings().weight is shared


def test_outputs_equal_those_of_models_with_their_own_table(monkeypatch: pytest.MonkeyPatch):
    shared = _pipeline_models()
    monkeypatch.setattr(word_embeddings, "_TABLES", {})  # the models below load their own table
    own = (
        EntityTagger(SETTINGS.entities.model, quantized=SETTINGS.entities.quantized),
        ToneClassifier(SETTINGS.tone.model, quantized=SETTINGS.tone.quantized),
        Embedder(SETTINGS.encoder),
    )
    assert _tables(*own)[0] is not _tables(*shared)[0]
    assert own[0].predict([SENTENCE]) == shared[0].predict([SENTENCE])
    assert own[1].predict([SENTENCE], [[(0, 6)]]) == shared[1].predict([SENTENCE], [[(0, 6)]])
    np.testing.assert_array_equal(own[2].passages([SENTENCE]), shared[2].passages([SENTENCE]))
