"""Texts to token ids and character offsets for the one pass, with the encoder's special tokens around them.

A sentencepiece (Unigram) vocabulary, as e5's and XLM-R's, runs in sentencepiece's own processor: for e5's 250k
pieces it holds about 55 MB where the `tokenizers` Unigram model holds about 280 MB. The build writes that model
(`tokenizer.model`) only when it reproduces the `tokenizers` tokenizer's ids and offsets on `PROBES`; any other
vocabulary (WordPiece, BPE) runs in `tokenizers` from `tokenizer.json`. On the MEANTIME texts the two differ only
in spaces: sentencepiece gives a text's leading and trailing spaces no piece, and starts a run's piece at its
first space.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Protocol

from nlp.corpora import word_offsets

Encoding = tuple[list[int], list[tuple[int, int]]]  # ids, (start, end) per id; (0, 0) for special tokens

PROBES = [
    "Intesa Sanpaolo finanzia le imprese di Como e Bergamo.",
    "EVA Airways è l'altro cliente di lancio del 787, più però (Como).",
    "Il fatturato cresce del 12,5% a 1.800 milioni di euro – “un record” per l’azienda…",
    "ＦＵＬＬ width ① e spazi   doppi\tcon tab",
    "Emoji 😀 and English: Apple's Q3 beat.",
]


class Tokenize(Protocol):
    def __call__(self, texts: list[str], max_tokens: int) -> list[Encoding]: ...


class SentencePieceTokenize:
    """sentencepiece's processor, with the first and last special tokens the encoder was trained with."""

    def __init__(self, model: Path, first: int, last: int):
        import sentencepiece

        self.processor = sentencepiece.SentencePieceProcessor(model_file=str(model))
        self.first, self.last = first, last

    def __call__(self, texts: list[str], max_tokens: int) -> list[Encoding]:
        encoded = self.processor.encode(texts, return_type="offset_mapping")
        out = []
        for pieces in encoded:
            ids, offsets = pieces["ids"][: max_tokens - 2], [tuple(o) for o in pieces["offsets"][: max_tokens - 2]]
            if offsets and offsets[0] == (0, 0):  # the added "▁" alone: `tokenizers` gives it the first character
                offsets[0] = (0, 1)
            out.append(([self.first, *ids, self.last], [(0, 0), *offsets, (0, 0)]))
        return out


class FastTokenize:
    """The `tokenizers` tokenizer as saved with the encoder."""

    def __init__(self, tokenizer_json: Path):
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(tokenizer_json))
        self.tokenizer.no_padding()

    def __call__(self, texts: list[str], max_tokens: int) -> list[Encoding]:
        self.tokenizer.enable_truncation(max_tokens)
        return [(e.ids, [tuple(o) for o in e.offsets]) for e in self.tokenizer.encode_batch(texts)]


def tokenizer_at(path: Path, special_ids: list[int]) -> Tokenize:
    """The tokenizer a build saved at `path`: a sentencepiece model (`.model`) or a `tokenizers` one (`.json`)."""
    return SentencePieceTokenize(path, *special_ids) if path.suffix == ".model" else FastTokenize(path)


def sentencepiece_model(tokenizer_json: Path) -> bytes | None:
    """A sentencepiece model of the `tokenizers` Unigram tokenizer saved at `tokenizer_json`; None for another kind
    (the model, its normalisation or its pre-tokenizer not sentencepiece's)."""
    from sentencepiece import sentencepiece_model_pb2 as spm

    saved = json.loads(tokenizer_json.read_text())
    model, normalizer = saved["model"], saved.get("normalizer") or {}
    normalizers = normalizer.get("normalizers", [normalizer])
    charsmaps = [n["precompiled_charsmap"] for n in normalizers if n.get("type") == "Precompiled"]
    if model["type"] != "Unigram" or not charsmaps or (saved.get("pre_tokenizer") or {}).get("type") != "Metaspace":
        return None
    special = {token["id"] for token in saved["added_tokens"] if token.get("special")}
    kind = spm.ModelProto.SentencePiece
    proto = spm.ModelProto()
    for i, (piece, score) in enumerate(model["vocab"]):
        piece_type = kind.UNKNOWN if i == model["unk_id"] else kind.CONTROL if i in special else kind.NORMAL
        proto.pieces.add(piece=piece, score=score, type=piece_type)
    proto.trainer_spec.model_type = spm.TrainerSpec.UNIGRAM
    proto.trainer_spec.vocab_size = len(model["vocab"])
    proto.trainer_spec.unk_id = model["unk_id"]
    proto.trainer_spec.unk_piece = model["vocab"][model["unk_id"]][0]
    proto.trainer_spec.bos_id = proto.trainer_spec.eos_id = proto.trainer_spec.pad_id = -1
    normalizer_spec = proto.normalizer_spec
    normalizer_spec.name = "nmt_nfkc"
    normalizer_spec.precompiled_charsmap = base64.b64decode(charsmaps[0])
    normalizer_spec.add_dummy_prefix = normalizer_spec.remove_extra_whitespaces = True
    normalizer_spec.escape_whitespaces = True
    return proto.SerializeToString()


def write_sentencepiece(tokenizer_json: Path, first: int, last: int, target: Path) -> bool:
    """Write `target` where a sentencepiece model reproduces the tokenizer on `PROBES`; whether it did."""
    model = sentencepiece_model(tokenizer_json)
    if model is None:
        return False
    target.write_bytes(model)
    probes = PROBES + [p.lower() for p in PROBES]
    ours, theirs = SentencePieceTokenize(target, first, last)(probes, 512), FastTokenize(tokenizer_json)(probes, 512)
    same = all(  # a run of spaces is one piece, which the two place at its first or last space: compare as read
        a_ids == b_ids and word_offsets(text, a) == word_offsets(text, b)
        for text, (a_ids, a), (b_ids, b) in zip(probes, ours, theirs, strict=True)
    )
    if not same:
        target.unlink()
    return same
