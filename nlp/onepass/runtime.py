"""Run the built graphs with ONNX Runtime: one tokenizer call per batch of texts, batches of similar token length.

No torch here: the tokenizer is the models' own vocabulary (`nlp.onepass.tokenize`), the word-embedding table one
memory-mapped array both graphs read (only the rows of the words seen become resident), the graphs int8 or fp32
(`nlp.onepass.build`), and everything after them numpy. In either precision a text's scores do not depend on the
texts batched beside it: int8 scales activations per token (`nlp.onepass.quantize`); fp32 gives the separate
models' scores.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nlp.heads.tone_classifier import ToneResult, target_mask
from nlp.onepass.build import MANIFEST, WORD_EMBEDDINGS, graph_file
from nlp.onepass.tokenize import tokenizer_at
from nlp.text.casing import unshouted

if TYPE_CHECKING:
    from nlp.settings import NLPSettings


@dataclass
class Encoded:
    """What the one pass says about one text; token arrays cover its tokens, special tokens included."""

    offsets: np.ndarray  # (tokens, 2) character offsets in the text; (0, 0) for special tokens
    ner: np.ndarray  # (tokens, labels) BIO log-probabilities
    tone: np.ndarray  # (3,) sentence tone probabilities
    tone_tokens: np.ndarray  # (tokens, 3) each token's share of the entity-tone logits
    tone_context: np.ndarray  # (3,) the sentence's share of the entity-tone logits

    @property
    def tokens(self) -> int:
        return len(self.offsets)

    def target_tone(self, span: tuple[int, int]) -> np.ndarray:
        """Tone probabilities towards the characters `span` (the entity head over its tokens); the sentence's tone
        where no token covers it (cut by truncation)."""
        covered = np.asarray(target_mask(self.offsets.tolist(), span), dtype=bool)
        if not covered.any():
            return self.tone
        logits = self.tone_tokens[covered].mean(0) + self.tone_context
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()


class OnePass:
    """The built folder's graphs: `encode` sentences in one pass, `embed` texts with the base encoder (themes)."""

    def __init__(self, folder: Path, int8: bool, max_tokens: int, threads: int | None = None):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.inter_op_num_threads = 1
        if threads:
            options.intra_op_num_threads = threads

        def session(name: str):
            path = str(folder / graph_file(name, int8))
            return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])

        self.one_pass, self.lead = session("onepass"), session("lead")
        self.table = np.load(folder / WORD_EMBEDDINGS, mmap_mode="r")
        manifest = json.loads((folder / MANIFEST).read_text())
        self.tokenize = tokenizer_at(folder / manifest["tokenizer"], manifest["special_ids"])
        self.pad_id: int = manifest["pad_id"]
        self.max_tokens, self.max_positions = max_tokens, manifest["max_positions"]
        self.ner_labels: list[str] = manifest["ner_labels"]
        self.tone_labels: list[str] = manifest["tone_labels"]

    def _batches(self, texts: list[str], max_tokens: int, batch_size: int):
        """(indices, encodings, inputs) per batch: one tokenizer call for all, batches of similar token length."""
        encodings = self.tokenize(texts, max_tokens)
        lengths = [len(ids) for ids, _ in encodings]
        order = sorted(range(len(texts)), key=lengths.__getitem__)
        for first in range(0, len(order), batch_size):
            chunk = order[first : first + batch_size]
            width = max(lengths[i] for i in chunk)
            ids = np.full((len(chunk), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, i in enumerate(chunk):
                ids[row, : lengths[i]] = encodings[i][0]
                mask[row, : lengths[i]] = 1
            yield chunk, encodings, {"inputs_embeds": self.table[ids], "attention_mask": mask}

    def encode(self, texts: list[str], batch_size: int = 32) -> list[Encoded]:
        """The one pass over `texts` (sentences, titles): entities' tags and tone, in input order."""
        results: list[Encoded | None] = [None] * len(texts)
        for chunk, encodings, inputs in self._batches(texts, self.max_tokens, batch_size):
            ner, tone, tone_tokens, tone_context = self.one_pass.run(None, inputs)
            for row, i in enumerate(chunk):
                n = len(encodings[i][0])
                offsets = np.asarray(encodings[i][1], dtype=np.int32).reshape(n, 2)
                results[i] = Encoded(offsets, ner[row, :n], tone[row], tone_tokens[row, :n], tone_context[row])
        return results  # type: ignore[return-value]

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """L2-normalised mean-pooled embeddings of the base encoder (callers add e5's "query: "/"passage: ")."""
        out = np.zeros((len(texts), self.table.shape[1]), dtype=np.float32)
        for chunk, _, inputs in self._batches(texts, self.max_positions, batch_size):
            (pooled,) = self.lead.run(None, inputs)
            out[chunk] = pooled / np.maximum(np.linalg.norm(pooled, axis=-1, keepdims=True), 1e-12)
        return out


class OnePassTone:
    """The tone of the one pass with `ToneClassifier`'s interface (what `rassegna eval tone` scores)."""

    def __init__(self, runtime: OnePass):
        self.runtime, self.labels = runtime, runtime.tone_labels

    def predict(self, texts: list[str], targets: list[list[tuple[int, int]]] | None = None) -> list[ToneResult]:
        targets = targets or [[] for _ in texts]
        encoded = self.runtime.encode([unshouted(text) for text in texts])
        return [
            ToneResult(result.tone.tolist(), [result.target_tone(span).tolist() for span in spans])
            for result, spans in zip(encoded, targets, strict=True)
        ]


@lru_cache(maxsize=2)
def one_pass(ner: str, tone: str, encoder: str, int8: bool, max_tokens: int, threads: int | None) -> OnePass:
    """One runtime per model set and process, built into the cache on first use."""
    from nlp.onepass.build import onepass_dir

    return OnePass(onepass_dir(Path(ner), Path(tone), encoder, int8), int8, max_tokens, threads)


def runtime_for(settings: NLPSettings) -> OnePass:
    """The one pass of these settings' models, precision and threads."""
    return one_pass(str(settings.entities.model), str(settings.tone.model), settings.encoder, settings.encoding.int8,
                    settings.encoding.max_tokens, settings.threads)  # fmt: skip
