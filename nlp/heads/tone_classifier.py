"""News tone as a tower on the NER model's lower layers: a head for the sentence and one per entity, in one pass.

Tone means whether the news is good or bad for the actors it is about (profits up → positive,
layoffs → negative, a notice → neutral). The model is the NER model's embeddings and first
`trunk_layers` layers (frozen: the trunk both tasks share, so one encoder pass serves both) and its own
upper layers (the tower). The sentence head reads the mean-pooled sentence; the entity head reads the
mean of the entity's own tokens beside it, so "Airbus beats Boeing" can be good for one and bad for
the other without a second pass.

Saved compactly: the tower and heads in fp16; the trunk is read from the NER folder named in `tone.json`
(checked by its sha256), the word-embedding table from the encoder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nlp.encoder.length_batches import length_sorted_batches
from nlp.heads import storage
from nlp.heads.entity_tagger import META as TAGGER_META
from nlp.heads.entity_tagger import TaggerMeta
from nlp.text.casing import unshouted

TONE_LABELS = ["negative", "neutral", "positive"]
FROZEN = ("encoder.embeddings.word_embeddings.weight",)
META = "tone.json"
NER_PREFIX = "bert."  # the NER model's encoder keys, read into the trunk


@dataclass
class ToneMeta:
    encoder: str
    layers: int
    labels: list[str]
    max_tokens: int = 128
    trunk: str = ""  # the NER model folder whose embeddings and first `trunk_layers` layers the tower reads
    trunk_layers: int = 0
    trunk_sha256: str = ""


@dataclass
class ToneResult:
    """Class probabilities for a sentence and, in the order asked, for each target span in it."""

    sentence: list[float]
    targets: list[list[float]]


def build_model(encoder: str, layers: int, labels: list[str], trunk_layers: int = 0):
    """The tone model on `encoder`'s first `layers` layers, with the process's shared word embeddings."""
    from transformers import AutoModel

    from nlp.encoder.load import encoder_source
    from nlp.encoder.word_embeddings import share_word_embeddings

    pretrained = AutoModel.from_pretrained(encoder_source(encoder), num_hidden_layers=layers)
    pretrained.pooler = None  # the heads pool for themselves
    return tone_model(share_word_embeddings(pretrained, encoder), len(labels), trunk_layers)


def additive_mask(attention_mask):
    """(B, T) 1/0 → the (B, 1, 1, T) additive mask a `transformers` BERT layer takes (eager and sdpa alike)."""
    import torch

    return (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


def tone_model(encoder, classes: int, trunk_layers: int = 0):
    """The sentence and entity heads over `encoder` (a `transformers` BERT), its first `trunk_layers` the trunk."""
    import torch

    class ToneModel(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = encoder
            self.trunk_layers = trunk_layers
            size = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(0.1)
            self.sentence_head = torch.nn.Linear(size, classes)
            self.entity_head = torch.nn.Linear(2 * size, classes)

        def trunk(self, input_ids, attention_mask):
            """The states after the shared layers (what the NER model computes on its way)."""
            states = self.encoder.embeddings(input_ids=input_ids)
            mask = additive_mask(attention_mask)
            for layer in self.encoder.encoder.layer[: self.trunk_layers]:
                states = layer(states, mask)
            return states

        def tower(self, states, attention_mask, target_rows=None, target_masks=None):
            """Sentence logits (B, C) and, for target token masks (E, T) of rows (E,), entity logits (E, C)."""
            mask = additive_mask(attention_mask)
            for layer in self.encoder.encoder.layer[self.trunk_layers :]:
                states = layer(states, mask)
            sentence = _mean(states, attention_mask.to(states.dtype))
            sentence_logits = self.sentence_head(self.dropout(sentence))
            if target_rows is None or not len(target_rows):
                return sentence_logits, states.new_zeros((0, sentence_logits.shape[-1]))
            own = _mean(states[target_rows], target_masks.to(states.dtype))
            pair = torch.cat([own, sentence[target_rows]], -1)
            return sentence_logits, self.entity_head(self.dropout(pair))

        def forward(self, input_ids, attention_mask, target_rows=None, target_masks=None):
            return self.tower(self.trunk(input_ids, attention_mask), attention_mask, target_rows, target_masks)

        def tower_parameters(self):
            """What tone training changes: the layers above the trunk and both heads."""
            for name, param in self.named_parameters():
                if not is_trunk(name, self.trunk_layers) and name not in FROZEN:
                    yield param

    def _mean(states, mask):
        mask = mask.unsqueeze(-1)
        return (states * mask).sum(1) / mask.sum(1).clamp(min=1)

    return ToneModel()


def is_trunk(name: str, trunk_layers: int) -> bool:
    """Whether a tone-model weight belongs to the trunk (embeddings, or a layer below `trunk_layers`)."""
    if name.startswith("encoder.embeddings."):
        return True
    prefix = "encoder.encoder.layer."
    return name.startswith(prefix) and int(name[len(prefix) :].split(".")[0]) < trunk_layers


def load_trunk(model, ner_folder: Path) -> None:
    """Copy the NER model's embeddings and first `model.trunk_layers` layers into `model`'s trunk."""
    from safetensors.torch import load_file

    ner = load_file(str(Path(ner_folder) / storage.WEIGHTS))
    trunk = {
        "encoder." + key[len(NER_PREFIX) :]: value.float()
        for key, value in ner.items()
        if key.startswith(NER_PREFIX) and is_trunk("encoder." + key[len(NER_PREFIX) :], model.trunk_layers)
    }
    missing, unexpected = model.load_state_dict(trunk, strict=False)
    expected = {name for name in model.state_dict() if is_trunk(name, model.trunk_layers)} - set(FROZEN)
    if unexpected or expected & set(missing):
        raise ValueError(f"{ner_folder}: not a trunk for this tone model ({unexpected[:3]}, {missing[:3]})")


def trunk_folder(tone_folder: Path | str, meta: ToneMeta) -> Path:
    return (Path(tone_folder) / meta.trunk).resolve()


def on_trunk(ner_folder: Path, trunk_layers: int, labels: list[str] = TONE_LABELS):
    """A new tone model on the NER model in `ner_folder`: its embeddings and first `trunk_layers` layers (copied,
    frozen), the base encoder's layers above them (the tower), new heads. Only the tower and heads train."""
    ner = TaggerMeta(**storage.read_meta(ner_folder, TAGGER_META))
    model = build_model(ner.encoder, ner.layers, labels, trunk_layers)
    load_trunk(model, ner_folder)
    trainable = {id(param) for param in model.tower_parameters()}
    for param in model.parameters():
        param.requires_grad = id(param) in trainable
    return model


def meta_on_trunk(ner_folder: Path, folder: Path, trunk_layers: int, max_tokens: int, labels=TONE_LABELS) -> ToneMeta:
    """The metadata of a tone model saved in `folder`, naming its trunk relative to it (the two move together)."""
    import os

    ner = TaggerMeta(**storage.read_meta(ner_folder, TAGGER_META))
    trunk = os.path.relpath(Path(ner_folder).resolve(), Path(folder).resolve())
    return ToneMeta(ner.encoder, ner.layers, list(labels), max_tokens, trunk, trunk_layers,
                    storage.weights_sha256(ner_folder))  # fmt: skip


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
    """The tower and heads only: the trunk stays in the NER folder `meta.trunk` names."""
    trunk = tuple(name for name in model.state_dict() if is_trunk(name, meta.trunk_layers))
    storage.save(model, meta.__dict__, folder, META, (*FROZEN, *trunk))


def tokenize(tokenizer, texts: list[str], max_tokens: int):
    """The padded batch and each text's token offsets, `texts` shown as the pipeline's one pass shows them."""
    batch = tokenizer(
        [unshouted(text) for text in texts],
        return_offsets_mapping=True,
        truncation=True,
        max_length=max_tokens,
        padding=True,
        return_tensors="pt",
    )
    return batch, batch.pop("offset_mapping").tolist()


def encode_batch(tokenizer, texts: list[str], targets: list[list[tuple[int, int]]], max_tokens: int):
    """Tokenise `texts` (`tokenize`); map each target char span to a token mask.

    Returns the tokenizer batch, the row of each target, its token mask, and for each text the
    indices of its targets that survived truncation (a span past `max_tokens` gets none).
    """
    import torch

    batch, offsets = tokenize(tokenizer, texts, max_tokens)
    rows, masks, kept = [], [], []
    width = batch["input_ids"].shape[1]
    for row, spans in enumerate(targets):
        kept.append([])
        for n, span in enumerate(spans):
            mask = target_mask(offsets[row], span)
            if any(mask):
                rows.append(row)
                masks.append(mask + [0.0] * (width - len(mask)))
                kept[row].append(n)
    target_rows = torch.tensor(rows, dtype=torch.long)
    target_masks = torch.tensor(masks, dtype=torch.float32).reshape(len(masks), width)
    return batch, target_rows, target_masks, kept


def target_mask(offsets, span: tuple[int, int]) -> list[float]:
    """1.0 on the tokens (char `offsets`) that overlap the char `span`, 0.0 elsewhere and on special tokens."""
    start, end = span
    return [float(e > s and s < end and e > start) for s, e in offsets]


class ToneClassifier:
    """News-tone probabilities for sentences and for target spans inside them, in length-sorted batches (torch fp32).

    The pipeline runs the same weights in the one-pass model (`nlp.onepass`); this is the separate model that
    training, `rassegna export-tone` and the bench's naive baseline use.
    """

    def __init__(self, folder: Path | str):
        """`folder`: a shipped compact folder (`tone.json`), or an exported folder or hub id (`config.json`)."""
        from nlp.encoder.load import load_tokenizer

        if storage.is_compact(folder, META):
            self.meta = ToneMeta(**storage.read_meta(folder, META))
            model = build_model(self.meta.encoder, self.meta.layers, self.meta.labels, self.meta.trunk_layers)
            if self.meta.trunk_layers:
                load_trunk(model, trunk_folder(folder, self.meta))
            trunk = tuple(name for name in model.state_dict() if is_trunk(name, self.meta.trunk_layers))
            storage.load_weights(model, folder, (*FROZEN, *trunk))
            self.tokenizer = load_tokenizer(self.meta.encoder)
        else:
            model, self.meta, self.tokenizer = from_hub_format(str(folder))
        self.model = model.eval()

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
