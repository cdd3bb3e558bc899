"""A sentence-classification head (mean-pooled encoder states → linear) for sentiment.

Saved like the entity tagger: everything training changed, in fp16, without the frozen
word-embedding table, which is rebuilt from the encoder source at load time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nlp.encoder.length_batches import length_sorted_batches
from nlp.heads import storage

SENTIMENT_LABELS = ["negative", "neutral", "positive"]
FROZEN = ("encoder.embeddings.word_embeddings.weight",)
META = "classifier.json"
PREFIX = "query: "


@dataclass
class ClassifierMeta:
    encoder: str
    layers: int
    labels: list[str]
    max_tokens: int = 128


def build_model(encoder: str, layers: int, labels: list[str]):
    import torch
    from transformers import AutoModel

    from nlp.encoder.load import encoder_source

    class MeanPoolClassifier(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(
                encoder_source(encoder), num_hidden_layers=layers, add_pooling_layer=False
            )
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(labels))

        def forward(self, input_ids, attention_mask):
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1)
            return self.head(self.dropout(pooled))

    return MeanPoolClassifier()


def save(model, meta: ClassifierMeta, folder: Path) -> None:
    storage.save(model, meta.__dict__, folder, META, FROZEN)


class SentenceClassifier:
    """Class probabilities for short texts, in length-sorted batches."""

    def __init__(self, folder: Path, quantized: bool = True):
        from nlp.encoder.load import load_tokenizer, quantize

        self.meta = ClassifierMeta(**storage.read_meta(folder, META))
        model = build_model(self.meta.encoder, self.meta.layers, self.meta.labels)
        storage.load_weights(model, folder, FROZEN)
        self.model = quantize(model) if quantized else model.eval()
        self.tokenizer = load_tokenizer(self.meta.encoder)

    @property
    def labels(self) -> list[str]:
        return self.meta.labels

    def predict_proba(self, texts: list[str], batch_size: int = 32):
        import numpy as np
        import torch

        out = np.zeros((len(texts), len(self.meta.labels)), dtype=np.float32)
        for chunk in length_sorted_batches(texts, batch_size):
            batch = self.tokenizer(
                [PREFIX + texts[i].strip() for i in chunk],
                truncation=True,
                max_length=self.meta.max_tokens,
                padding=True,
                return_tensors="pt",
            )
            with torch.inference_mode():
                probs = torch.softmax(self.model(batch["input_ids"], batch["attention_mask"]), -1)
            out[chunk] = probs.numpy()
        return out
