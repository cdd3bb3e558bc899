"""The one-pass ONNX model gives what the separate torch models give, built once per model set."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

from nlp.heads import tone_classifier
from nlp.heads.entity_tagger import EntityTagger
from nlp.heads.tone_classifier import ToneClassifier
from nlp.onepass import build
from nlp.onepass.model import SharedTrunkError
from nlp.onepass.runtime import OnePass, OnePassTone

TEXTS = [
    "Intesa Sanpaolo finanzia le imprese di Como e Bergamo.",
    "Le esportazioni verso la Germania crescono ancora.",
    "Mario Rossi guida la filiale di Brescia della banca e la Know Net apre una sede a Milano.",
]
TARGETS = [[(0, 15), (39, 43)], [], [(0, 11)]]


def built(tiny_encoder: str, ner: Path, tone: Path, cache: Path, int8: bool) -> OnePass:
    return OnePass(build.onepass_dir(ner, tone, tiny_encoder, int8, cache), int8, max_tokens=64)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


def test_fp32_one_pass_equals_the_separate_models(tiny_encoder, tiny_ner, tiny_tone, cache):
    runtime = built(tiny_encoder, tiny_ner, tiny_tone, cache, int8=False)
    tagger = EntityTagger(tiny_ner)
    batch = tagger.tokenizer(TEXTS, padding=True, return_tensors="pt")
    with torch.inference_mode():
        expected = torch.log_softmax(tagger.model(**batch).logits, -1).numpy()
    for row, encoded in enumerate(runtime.encode(TEXTS)):
        np.testing.assert_allclose(encoded.ner, expected[row, : encoded.tokens], atol=1e-4)
    separate = ToneClassifier(tiny_tone).predict(TEXTS, TARGETS)
    for one, other in zip(OnePassTone(runtime).predict(TEXTS, TARGETS), separate, strict=True):
        np.testing.assert_allclose(one.sentence, other.sentence, atol=1e-5)
        np.testing.assert_allclose(one.targets, other.targets, atol=1e-5) if other.targets else None


def test_the_lead_graph_is_the_base_encoder_mean_pooled(tiny_encoder, tiny_ner, tiny_tone, cache):
    from transformers import AutoModel, AutoTokenizer

    runtime = built(tiny_encoder, tiny_ner, tiny_tone, cache, int8=False)
    base = AutoModel.from_pretrained(tiny_encoder).eval()
    batch = AutoTokenizer.from_pretrained(tiny_encoder)(TEXTS, padding=True, return_tensors="pt")
    with torch.inference_mode():
        states = base(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    expected = torch.nn.functional.normalize((states * mask).sum(1) / mask.sum(1), dim=-1).numpy()
    np.testing.assert_allclose(runtime.embed(TEXTS), expected, atol=1e-5)
    assert runtime.embed([]).shape == (0, expected.shape[1])


def test_int8_gives_probabilities_close_to_fp32_in_smaller_graphs(tiny_encoder, tiny_ner, tiny_tone, cache):
    fp32 = built(tiny_encoder, tiny_ner, tiny_tone, cache, int8=False)
    int8 = built(tiny_encoder, tiny_ner, tiny_tone, cache, int8=True)
    for a, b in zip(fp32.encode(TEXTS), int8.encode(TEXTS), strict=True):
        assert b.tone.sum() == pytest.approx(1.0, abs=1e-5)
        np.testing.assert_allclose(a.tone, b.tone, atol=0.05)
        np.testing.assert_array_equal(a.offsets, b.offsets)
    folder = build.onepass_dir(tiny_ner, tiny_tone, tiny_encoder, True, cache)
    assert not (folder / build.graph_file("onepass", False)).exists()


def test_int8_makes_every_weight_product_integer(tiny_encoder, tiny_ner, tiny_tone, cache):
    import onnx

    def weight_products(int8: bool) -> set[str]:
        folder = build.onepass_dir(tiny_ner, tiny_tone, tiny_encoder, int8, cache)
        graph = onnx.load(str(folder / build.graph_file("onepass", int8))).graph
        weights = {w.name for w in graph.initializer if len(w.dims) == 2}
        return {n.name for n in graph.node if n.op_type == "MatMul" and n.input[1] in weights}

    fp32 = weight_products(int8=False)
    assert {"/trunk.0/attention/self/query/MatMul", "/ner_tower.0/output/dense/MatMul"} <= fp32
    assert not weight_products(int8=True)
    folder = build.onepass_dir(tiny_ner, tiny_tone, tiny_encoder, True, cache)
    nodes = onnx.load(str(folder / build.graph_file("onepass", True))).graph.node
    assert {n.name.removesuffix("Integer") for n in nodes if n.op_type == "MatMulInteger"} == fp32


def test_int8_scores_a_text_alike_whatever_its_batch(tiny_encoder, tiny_ner, tiny_tone, cache):
    runtime = built(tiny_encoder, tiny_ner, tiny_tone, cache, int8=True)
    together = runtime.encode(TEXTS + [text.upper() for text in TEXTS], batch_size=6)
    for text, batched in zip(TEXTS, together, strict=False):
        (alone,) = runtime.encode([text])
        np.testing.assert_allclose(alone.tone, batched.tone, atol=1e-5)
        np.testing.assert_allclose(alone.ner, batched.ner, atol=1e-4)
        np.testing.assert_allclose(alone.tone_tokens, batched.tone_tokens, atol=1e-4)


def test_both_graphs_read_one_memory_mapped_table(tiny_encoder, tiny_ner, tiny_tone, cache):
    runtime = built(tiny_encoder, tiny_ner, tiny_tone, cache, int8=True)
    assert isinstance(runtime.table, np.memmap)
    inputs = {i.name for session in (runtime.one_pass, runtime.lead) for i in session.get_inputs()}
    assert inputs == {"inputs_embeds", "attention_mask"}


def test_a_build_is_made_once_and_again_for_changed_weights(tiny_encoder, tiny_ner, tiny_tone, cache, tmp_path):
    first = build.onepass_dir(tiny_ner, tiny_tone, tiny_encoder, True, cache)
    stamp = (first / build.MANIFEST).stat().st_mtime_ns
    assert build.onepass_dir(tiny_ner, tiny_tone, tiny_encoder, True, cache) == first
    assert (first / build.MANIFEST).stat().st_mtime_ns == stamp
    (first / build.TOKENIZER).write_text("{}")  # damaged: rebuilt
    assert build.onepass_dir(tiny_ner, tiny_tone, tiny_encoder, True, cache) == first
    assert (first / build.TOKENIZER).stat().st_size > 2
    retrained = tmp_path / "tone"
    shutil.copytree(tiny_tone, retrained)
    torch.manual_seed(5)
    model = tone_classifier.on_trunk(tiny_ner, 1)
    tone_classifier.save(model, tone_classifier.meta_on_trunk(tiny_ner, retrained, 1, 64), retrained)
    assert build.onepass_dir(tiny_ner, retrained, tiny_encoder, True, cache) != first


def test_a_tone_model_trained_on_another_ner_model_is_refused(tiny_encoder, tiny_ner, tiny_tone, cache, tmp_path):
    from nlp.heads import entity_tagger

    other = tmp_path / "other-ner"
    torch.manual_seed(7)
    model = entity_tagger.build_model(tiny_encoder, 2, entity_tagger.LABELS)
    entity_tagger.save(model, entity_tagger.TaggerMeta(tiny_encoder, 2, entity_tagger.LABELS), other)
    with pytest.raises(SharedTrunkError, match="retrain it"):
        build.onepass_dir(other, tiny_tone, tiny_encoder, True, cache)
