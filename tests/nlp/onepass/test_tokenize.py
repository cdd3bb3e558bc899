"""e5's vocabulary runs in sentencepiece with the ids and offsets `tokenizers` gives; other vocabularies stay there."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.corpora import word_offsets
from nlp.encoder import build
from nlp.onepass.tokenize import FastTokenize, SentencePieceTokenize, sentencepiece_model, write_sentencepiece

TEXTS = [
    "La Know Net S.r.l. di Como ha presentato i risultati del workshop sulla trasformazione digitale.",
    "EVA Airways è l'altro cliente di lancio del Boeing 787 (ordine da 1,2 mld di dollari).",
    "L’export cresce del 12% — «un anno record» per l’azienda… ＦＵＬＬ ①",
    "TESSITURA INSUBRICA CHIUDE: 40 ESUBERI A LOMAZZO",
    "Nuova riga\ne tabulazione\tnel testo, più spazi   in mezzo.",
    "",
]


@pytest.fixture(scope="module")
def e5_tokenizer(tmp_path_factory) -> tuple[FastTokenize, SentencePieceTokenize]:
    tokenizer_json = build.encoder_dir() / "tokenizer.json"
    model = tmp_path_factory.mktemp("spm") / "tokenizer.model"
    assert write_sentencepiece(tokenizer_json, 0, 2, model)
    return FastTokenize(tokenizer_json), SentencePieceTokenize(model, 0, 2)


@pytest.mark.parametrize("max_tokens", [512, 9])
def test_sentencepiece_gives_the_ids_and_offsets_of_tokenizers(e5_tokenizer, max_tokens):
    fast, sentencepiece = e5_tokenizer
    for text, (ids, offsets), (fast_ids, fast_offsets) in zip(
        TEXTS, sentencepiece(TEXTS, max_tokens), fast(TEXTS, max_tokens), strict=True
    ):
        assert ids == fast_ids
        assert word_offsets(text, offsets) == word_offsets(text, fast_offsets)
        assert len(ids) <= max_tokens and ids[0] == 0 and ids[-1] == 2


def test_a_sentencepiece_model_that_reads_otherwise_is_not_kept(tmp_path: Path):
    model = tmp_path / "tokenizer.model"
    assert not write_sentencepiece(build.encoder_dir() / "tokenizer.json", 3, 2, model)  # another first token
    assert not model.exists()


def test_a_wordpiece_vocabulary_stays_with_tokenizers(tiny_encoder: str, tmp_path: Path):
    assert sentencepiece_model(Path(tiny_encoder) / "tokenizer.json") is None
    assert not write_sentencepiece(Path(tiny_encoder) / "tokenizer.json", 2, 3, tmp_path / "tokenizer.model")
    assert not (tmp_path / "tokenizer.model").exists()
