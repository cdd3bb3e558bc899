"""News tone on the shared encoder: one pass per sentence, a head for the sentence and one per entity.

Tone means whether the news is good or bad for the actors it is about (profits up → positive,
layoffs → negative, a notice → neutral). The sentence head reads the mean-pooled sentence; the
entity head reads the mean of the entity's own tokens beside it, so "Airbus beats Boeing" can be
good for one and bad for the other without a second pass. The heads are separate modules over one
encoder, so another encoder pass (a multi-task model) can carry them unchanged.

Saved like the other heads: what training changed, in fp16, without the frozen word embeddings
(shared with every other model on the encoder in the process).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nlp.encoder.length_batches import length_sorted_batches
from nlp.heads import storage

TONE_LABELS = ["negative", "neutral", "positive"]
FROZEN = ("encoder.embeddings.word_embeddings.weight",)
META = "tone.json"
PREFIX = "query: "


@dataclass
class ToneMeta:
    encoder: str
    layers: int
    labels: list[str]
    max_tokens: int = 128


@dataclass
class ToneResult:
    """Class probabilities for a sentence and, in the order asked, for each target span in it."""

    sentence: list[float]
    targets: list[list[float]]


def build_model(encoder: str, layers: int, labels: list[str]):
    """Both tone heads on `encoder`'s first `layers` layers, with the process's shared word embeddings."""
    from transformers import AutoModel

    from nlp.encoder.load import encoder_source
    from nlp.encoder.word_embeddings import share_word_embeddings

    pretrained = AutoModel.from_pretrained(encoder_source(encoder), num_hidden_layers=layers, add_pooling_layer=False)
    return tone_model(share_word_embeddings(pretrained, encoder), len(labels))


def tone_model(encoder, classes: int):
    """The sentence and entity heads over `encoder` (a `transformers` encoder module)."""
    import torch

    class ToneModel(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = encoder
            size = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(0.1)
            self.sentence_head = torch.nn.Linear(size, classes)
            self.entity_head = torch.nn.Linear(2 * size, classes)

        def forward(self, input_ids, attention_mask, target_rows=None, target_masks=None):
            """Sentence logits (B, C) and, for target token masks (E, T) of rows (E,), entity logits (E, C)."""
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            sentence = _mean(states, attention_mask.to(states.dtype))
            sentence_logits = self.sentence_head(self.dropout(sentence))
            if target_rows is None or not len(target_rows):
                return sentence_logits, states.new_zeros((0, sentence_logits.shape[-1]))
            own = _mean(states[target_rows], target_masks.to(states.dtype))
            pair = torch.cat([own, sentence[target_rows]], -1)
            return sentence_logits, self.entity_head(self.dropout(pair))

    def _mean(states, mask):
        mask = mask.unsqueeze(-1)
        return (states * mask).sum(1) / mask.sum(1).clamp(min=1)

    return ToneModel()


def from_hub_format(name: str):
    """The model, meta and tokenizer of an exported folder or hub id (`rassegna export-tone`)."""
    from transformers import AutoTokenizer

    from nlp.encoder.load import encoder_source
    from nlp.heads.modeling_news_tone import BertForNewsTone

    hub = BertForNewsTone.from_pretrained(encoder_source(name))
    config = hub.config
    meta = ToneMeta(name, config.num_hidden_layers, [config.id2label[i] for i in range(config.num_labels)],
                    getattr(config, "rassegna_max_tokens", ToneMeta.max_tokens))  # fmt: skip
    model = tone_model(hub.bert, config.num_labels)
    model.sentence_head.load_state_dict(hub.sentence_head.state_dict())
    model.entity_head.load_state_dict(hub.entity_head.state_dict())
    return model, meta, AutoTokenizer.from_pretrained(encoder_source(name))


def save(model, meta: ToneMeta, folder: Path) -> None:
    storage.save(model, meta.__dict__, folder, META, FROZEN)


def encode_batch(tokenizer, texts: list[str], targets: list[list[tuple[int, int]]], max_tokens: int):
    """Tokenise `texts` with the e5 prefix; map each target char span to a token mask.

    Returns the tokenizer batch, the row of each target, its token mask, and for each text the
    indices of its targets that survived truncation (a span past `max_tokens` gets none).
    """
    import torch

    batch = tokenizer(
        [PREFIX + text for text in texts],
        return_offsets_mapping=True,
        truncation=True,
        max_length=max_tokens,
        padding=True,
        return_tensors="pt",
    )
    offsets = batch.pop("offset_mapping").tolist()
    rows, masks, kept = [], [], []
    width = batch["input_ids"].shape[1]
    for row, spans in enumerate(targets):
        kept.append([])
        for n, (start, end) in enumerate(spans):
            start, end = start + len(PREFIX), end + len(PREFIX)
            mask = [float(e > s and s < end and e > start) for s, e in offsets[row]]
            if any(mask):
                rows.append(row)
                masks.append(mask + [0.0] * (width - len(mask)))
                kept[row].append(n)
    target_rows = torch.tensor(rows, dtype=torch.long)
    target_masks = torch.tensor(masks, dtype=torch.float32).reshape(len(masks), width)
    return batch, target_rows, target_masks, kept


class ToneClassifier:
    """News-tone probabilities for sentences and for target spans inside them, in length-sorted batches."""

    def __init__(self, folder: Path | str, *, quantized: bool):
        """`folder`: a shipped compact folder (`tone.json`), or an exported folder or hub id (`config.json`)."""
        from nlp.encoder.load import load_tokenizer, quantize

        if storage.is_compact(folder, META):
            self.meta = ToneMeta(**storage.read_meta(folder, META))
            model = build_model(self.meta.encoder, self.meta.layers, self.meta.labels)
            storage.load_weights(model, folder, FROZEN)
            self.tokenizer = load_tokenizer(self.meta.encoder)
        else:
            model, self.meta, self.tokenizer = from_hub_format(str(folder))
        self.model = quantize(model) if quantized else model.eval()

    @property
    def labels(self) -> list[str]:
        return self.meta.labels

    def predict(
        self, texts: list[str], targets: list[list[tuple[int, int]]] | None = None, batch_size: int = 32
    ) -> list[ToneResult]:
        """One result per text; a target the encoder never saw (truncated away) gets the sentence's tone."""
        import torch

        targets = targets or [[] for _ in texts]
        results: list[ToneResult] = [ToneResult([], []) for _ in texts]
        for chunk in length_sorted_batches(texts, batch_size):
            batch, rows, masks, kept = encode_batch(
                self.tokenizer, [texts[i] for i in chunk], [targets[i] for i in chunk], self.meta.max_tokens
            )
            with torch.inference_mode():
                sentence_logits, entity_logits = self.model(batch["input_ids"], batch["attention_mask"], rows, masks)
            sentence = torch.softmax(sentence_logits, -1).tolist()
            entities = iter(torch.softmax(entity_logits, -1).tolist())
            for row, i in enumerate(chunk):
                found = {n: next(entities) for n in kept[row]}
                results[i] = ToneResult(sentence[row], [found.get(n, sentence[row]) for n in range(len(targets[i]))])
        return results

    def predict_proba(self, texts: list[str], batch_size: int = 32):
        import numpy as np

        probs = [r.sentence for r in self.predict(texts, batch_size=batch_size)]
        return np.array(probs, dtype=np.float32).reshape(len(texts), len(self.labels))
