"""Train the news-tone tower on the NER model's trunk: a sentence head and an entity-targeted head, jointly.

The tone model shares the NER model's embeddings and first `trunk_layers` layers (frozen), so the pipeline
encodes each sentence once for both; only its own upper layers (the tower, initialised from the base encoder's)
and the two heads are trained. The trunk's states of every training text are computed once and reused by every
epoch and fold.

Training data is English financial news with human gold (cross-lingual transfer through the
multilingual encoder): Financial PhraseBank `Sentences_66Agree` less its held-out 20%, and SEntFiN
headlines less their held-out 20% (tone towards each entity; the headline's own tone where all its
entities agree), for a fixed number of epochs. Then the model is adapted to Italian news on the 500
news-tone dev sentences and the project's Italian business sentences (`data/training/tone-business-it.jsonl`:
plant closures, orders, credit lines, bad quantities falling..., with the tone towards each organisation named),
with English examples replayed (PhraseBank sentences and SEntFiN headlines) so both heads keep their English skill.
Because both Italian sets are trained on, their scores are k-fold cross-validated: each fold's sentences are
predicted by a model adapted on the other folds; the shipped model is adapted on all of them.
"""

from __future__ import annotations

import copy
import json
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from nlp.corpora import ToneExample, held_out_split, read_news_tone, read_phrasebank, read_sentfin
from nlp.evaluation import evaluate_tone, macro_f1_interval, score_classes
from nlp.heads import tone_classifier
from nlp.heads.tone_classifier import TONE_LABELS, ToneClassifier, target_mask, tokenize
from nlp.settings import DATA, MODELS

BUSINESS = DATA / "training" / "tone-business-it.jsonl"


@dataclass
class ToneTrainingConfig:
    phrasebank: Path
    sentfin: Path
    italian_dev: Path
    output: Path
    business: Path | None = BUSINESS  # Italian business sentences written for the project (None: news-tone dev only)
    trunk: Path = MODELS / "ner-kind-e5"  # the NER model whose lower layers the tower reads
    trunk_layers: int = 3
    epochs: int = 3
    evals_per_epoch: int = 2
    batch_size: int = 32
    encoder_lr: float = 1e-4
    head_lr: float = 1e-3
    warmup: float = 0.1
    max_tokens: int = 96
    italian_epochs: int = 6  # Italian adaptation on news-tone dev and the business set (k-fold cross-validated)
    italian_lr_scale: float = 0.5
    replay: float = 0.5  # English examples (sentences and entity-labelled headlines) mixed in, per Italian sentence
    folds: int = 5
    seed: int = 13
    threads: int = 2


@dataclass
class TrunkOutput:
    """One text through the frozen trunk: its token states and their character offsets."""

    states: object  # torch.Tensor (tokens, hidden)
    offsets: list[tuple[int, int]]


def training_examples(config: ToneTrainingConfig) -> list[ToneExample]:
    phrasebank, _ = held_out_split(read_phrasebank(config.phrasebank))
    sentfin, _ = held_out_split(read_sentfin(config.sentfin))
    return phrasebank + sentfin


def through_trunk(model, tokenizer, examples: list[ToneExample], max_tokens: int) -> list[TrunkOutput]:
    """The trunk's states of each example, computed once (in batches of similar length)."""
    import torch

    out: list[TrunkOutput | None] = [None] * len(examples)
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].text))
    with torch.inference_mode():
        for first in range(0, len(order), 64):
            chunk = order[first : first + 64]
            batch, offsets = tokenize(tokenizer, [examples[i].text for i in chunk], max_tokens)
            states = model.trunk(batch["input_ids"], batch["attention_mask"])
            for row, i in enumerate(chunk):
                n = int(batch["attention_mask"][row].sum())
                out[i] = TrunkOutput(states[row, :n].clone(), [tuple(pair) for pair in offsets[row][:n]])
    return out  # type: ignore[return-value]


def collate(trunk: list[TrunkOutput], examples: list[ToneExample]):
    """Padded trunk states of a batch, its target rows and token masks, and its gold labels."""
    import torch

    width = max(len(t.offsets) for t in trunk)
    hidden = trunk[0].states.shape[-1]
    states = torch.zeros((len(trunk), width, hidden))
    mask = torch.zeros((len(trunk), width), dtype=torch.long)
    rows, masks, entity_gold = [], [], []
    for row, (encoded, example) in enumerate(zip(trunk, examples, strict=True)):
        n = len(encoded.offsets)
        states[row, :n], mask[row, :n] = encoded.states, 1
        for target in example.targets:
            covered = target_mask(encoded.offsets, (target.start, target.end))
            if any(covered):
                rows.append(row)
                masks.append(covered + [0.0] * (width - n))
                entity_gold.append(TONE_LABELS.index(target.label))
    labelled = [i for i, e in enumerate(examples) if e.label is not None]
    return (
        states,
        mask,
        torch.tensor(rows, dtype=torch.long),
        torch.tensor(masks, dtype=torch.float32).reshape(len(masks), width),
        torch.tensor(labelled, dtype=torch.long),
        torch.tensor([TONE_LABELS.index(examples[i].label) for i in labelled], dtype=torch.long),
        torch.tensor(entity_gold, dtype=torch.long),
    )


def fit(model, trunk: list[TrunkOutput], examples: list[ToneExample], config: ToneTrainingConfig, epochs: int,
        rng: random.Random, lr_scale: float = 1.0, on_eval: Callable[[int, int, float], None] | None = None,
        evals_per_epoch: int = 0) -> None:  # fmt: skip
    """The tower and both heads: sentence loss where a sentence label exists, entity loss over its targets."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    heads = [*model.sentence_head.parameters(), *model.entity_head.parameters()]
    head_ids = {id(p) for p in heads}
    tower = [p for p in model.tower_parameters() if id(p) not in head_ids]
    optimizer = torch.optim.AdamW(
        [{"params": tower, "lr": config.encoder_lr * lr_scale}, {"params": heads, "lr": config.head_lr * lr_scale}],
        weight_decay=0.01,
    )
    per_epoch = -(-len(examples) // config.batch_size)
    steps = epochs * per_epoch
    schedule = get_linear_schedule_with_warmup(optimizer, int(steps * config.warmup), steps)
    eval_every = max(1, per_epoch // evals_per_epoch) if evals_per_epoch else 0
    loss_fn = torch.nn.CrossEntropyLoss()
    step = 0
    model.train()
    for _ in range(epochs):
        order = list(range(len(examples)))
        rng.shuffle(order)
        for first in range(0, len(order), config.batch_size):
            chunk = order[first : first + config.batch_size]
            states, mask, rows, masks, labelled, sentence_gold, entity_gold = collate(
                [trunk[i] for i in chunk], [examples[i] for i in chunk]
            )
            sentence_logits, entity_logits = model.tower(states, mask, rows, masks)
            loss = loss_fn(sentence_logits[labelled], sentence_gold) if len(labelled) else 0.0
            if len(entity_gold):
                loss = loss + loss_fn(entity_logits, entity_gold)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([*tower, *heads], 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if on_eval and eval_every and (step % eval_every == 0 or step == steps):
                on_eval(step, steps, loss.item())
    model.eval()


def predicted_labels(model, trunk: list[TrunkOutput], examples: list[ToneExample]) -> list[str]:
    import torch

    model.eval()
    out = []
    with torch.inference_mode():
        for first in range(0, len(examples), 64):
            states, mask, *_ = collate(trunk[first : first + 64], examples[first : first + 64])
            out += [TONE_LABELS[i] for i in model.tower(states, mask)[0].argmax(-1).tolist()]
    return out


def adapted(config: ToneTrainingConfig, english: dict, italian: list[int], dev, replay: list[int], cache):
    """The English model (its state dict) fine-tuned on Italian news-tone sentences, with English replay."""
    import torch

    model = tone_classifier.on_trunk(config.trunk, config.trunk_layers)
    model.load_state_dict(english)
    rng = random.Random(config.seed)
    torch.manual_seed(config.seed)
    replayed = rng.sample(replay, min(len(replay), round(len(italian) * config.replay)))
    trunk = [cache["dev"][i] for i in italian] + [cache["train"][i] for i in replayed]
    examples = [dev[i] for i in italian] + [cache["examples"][i] for i in replayed]
    fit(model, trunk, examples, config, config.italian_epochs, rng, lr_scale=config.italian_lr_scale)
    return model


def train(config: ToneTrainingConfig, progress: Callable[[str], None] = print) -> dict:
    """English stage (fixed epochs), then Italian adaptation: k-fold for the score, all of dev for the model."""
    import torch

    from nlp.encoder.load import load_tokenizer

    torch.set_num_threads(config.threads)
    started = time.time()
    random.seed(config.seed)
    torch.manual_seed(config.seed)
    meta = tone_classifier.meta_on_trunk(config.trunk, config.output, config.trunk_layers, config.max_tokens)
    model = tone_classifier.on_trunk(config.trunk, config.trunk_layers)
    tokenizer = load_tokenizer(meta.encoder)
    examples = training_examples(config)
    news = read_news_tone(config.italian_dev)
    business = read_news_tone(config.business) if config.business else []
    dev = news + business  # the Italian sentences: cross-validated together, scored per set
    dev_gold = [e.label for e in dev]
    news_part = range(len(news))
    cache = {
        "examples": examples,
        "train": through_trunk(model, tokenizer, examples, config.max_tokens),
        "dev": through_trunk(model, tokenizer, dev, config.max_tokens),
    }
    progress(f"trunk states of {len(examples) + len(dev)} texts in {time.time() - started:.0f}s")
    history: list[dict] = []

    def on_eval(step: int, steps: int, loss: float) -> None:
        predicted = predicted_labels(model, cache["dev"][: len(news)], news)
        f1 = score_classes(dev_gold[: len(news)], predicted, TONE_LABELS).macro_f1
        history.append({"step": step, "loss": round(loss, 4), "italian_dev_macro_f1_transfer": round(f1, 4)})
        progress(f"English stage: step {step}/{steps} loss {loss:.3f}; Italian dev macro-F1 (zero-shot) {f1:.4f}")

    fit(model, cache["train"], examples, config, config.epochs, random.Random(config.seed), 1.0, on_eval,
        config.evals_per_epoch)  # fmt: skip
    english = copy.deepcopy(model.state_dict())
    transfer = score_classes(dev_gold[: len(news)], predicted_labels(model, cache["dev"][: len(news)], news),
                             TONE_LABELS)  # fmt: skip
    replay = list(range(len(examples)))
    cross_validated = [""] * len(dev)
    fold_scores = []
    for k, held in enumerate(_folds(len(dev), config.folds, config.seed)):
        held_set = set(held)
        fold_model = adapted(config, english, [i for i in range(len(dev)) if i not in held_set], dev, replay, cache)
        predicted = predicted_labels(fold_model, [cache["dev"][i] for i in held], [dev[i] for i in held])
        for i, label in zip(held, predicted, strict=True):
            cross_validated[i] = label
        news_held = [i for i in held if i in news_part]
        fold_scores.append(
            score_classes([dev_gold[i] for i in news_held], [cross_validated[i] for i in news_held], TONE_LABELS)
        )
        progress(f"Italian adaptation: fold {k + 1}/{config.folds} news-tone macro-F1 {fold_scores[-1].macro_f1:.4f}")
    cv = score_classes(dev_gold[: len(news)], cross_validated[: len(news)], TONE_LABELS)
    business_cv = score_classes(dev_gold[len(news) :], cross_validated[len(news) :], TONE_LABELS) if business else None
    progress(f"Italian dev macro-F1: zero-shot {transfer.macro_f1:.4f}, adapted (cross-validated) {cv.macro_f1:.4f}")
    final = adapted(config, english, list(range(len(dev))), dev, replay, cache)
    tone_classifier.save(final, meta, config.output)
    classifier = ToneClassifier(config.output)
    report = {
        "config": {k: _shown(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
        "minutes": round((time.time() - started) / 60, 1),
        "english_stage": history,
        "italian_dev_macro_f1_zero_shot": round(transfer.macro_f1, 4),
        "italian_dev_macro_f1_cross_validated": round(cv.macro_f1, 4),
        "italian_dev_f1_by_class_cross_validated": {c: round(cv.prf(c).f1, 4) for c in TONE_LABELS},
        "italian_dev_macro_f1_by_fold": [round(fold.macro_f1, 4) for fold in fold_scores],
        "italian_dev_macro_f1_95_interval": [
            round(bound, 4)
            for bound in macro_f1_interval(dev_gold[: len(news)], cross_validated[: len(news)], TONE_LABELS)
        ],
        "business_sentences": len(business),
        "business_macro_f1_cross_validated": round(business_cv.macro_f1, 4) if business_cv else None,
        "phrasebank_66_held_out_accuracy": round(evaluate_tone(classifier, config.phrasebank).scores.accuracy, 4),
        "sentfin_held_out_entity_accuracy": round(evaluate_tone(classifier, config.sentfin).scores.accuracy, 4),
    }
    (config.output / "training.json").write_text(json.dumps(report, indent=2))
    return report


def _shown(path: Path) -> str:
    """A path as the command line gives it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _folds(n: int, k: int, seed: int) -> list[list[int]]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]
