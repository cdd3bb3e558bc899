"""One frozen word-embedding table per encoder and process: in torch (training, the separate models) and in the
pipeline's one pass (one memory-mapped table for both graphs)."""

from __future__ import annotations

import numpy as np
import pytest

from nlp import load
from nlp.components.encoding import encoder_of
from nlp.encoder import word_embeddings
from nlp.heads.entity_tagger import EntityTagger
from nlp.heads.tone_classifier import ToneClassifier
from nlp.settings import NLPSettings

SETTINGS = NLPSettings()
SENTENCE = "MILANO — Il consiglio di Brembo ha approvato il piano industriale con Intesa Sanpaolo."


def test_the_separate_models_share_one_frozen_table():
    tagger, tone = EntityTagger(SETTINGS.entities.model), ToneClassifier(SETTINGS.tone.model)
    table = tagger.model.get_input_embeddings().weight
    assert tone.model.encoder.get_input_embeddings().weight is table
    assert not table.requires_grad


def test_outputs_equal_those_of_models_with_their_own_table(monkeypatch: pytest.MonkeyPatch):
    shared = EntityTagger(SETTINGS.entities.model), ToneClassifier(SETTINGS.tone.model)
    monkeypatch.setattr(word_embeddings, "_TABLES", {})  # the models below load their own table
    own = EntityTagger(SETTINGS.entities.model), ToneClassifier(SETTINGS.tone.model)
    assert own[0].model.get_input_embeddings().weight is not shared[0].model.get_input_embeddings().weight
    assert own[0].predict([SENTENCE]) == shared[0].predict([SENTENCE])
    assert own[1].predict([SENTENCE], [[(0, 6)]]) == shared[1].predict([SENTENCE], [[(0, 6)]])


def test_the_pipeline_reads_one_memory_mapped_table_for_sentences_and_leads():
    nlp = load()
    runtime = encoder_of(nlp).runtime
    assert isinstance(runtime.table, np.memmap) and runtime.table.shape[1] == 384
    assert encoder_of(nlp).runtime is runtime  # one per process
    doc = nlp(SENTENCE)
    assert doc._.themes is not None and doc._.encoded.sentences()
