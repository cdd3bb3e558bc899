"""One encoder pass feeding both heads, or two fine-tuned models? Accuracy and speed, measured.

    python bench/shared_encoder.py

Shared pass: the NER-tuned encoder is frozen and a sentiment head is trained on its mean-pooled
states (same training data as `rassegna train sentiment`, scored on SENTIPOLC val). Separate: the
shipped sentiment model (its own fine-tuned encoder). Speed: MEANTIME sentences through both heads
on one pass vs through the two models.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import torch

from nlp.corpora import read_sentipolc
from nlp.evaluation import score_classes
from nlp.heads.entity_tagger import EntityTagger
from nlp.heads.sentence_classifier import PREFIX, SENTIMENT_LABELS, SentenceClassifier
from nlp.settings import NLPSettings
from nlp.training.sentiment import SentimentTrainingConfig, training_examples

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def pooled(tagger: EntityTagger, texts: list[str]) -> torch.Tensor:
    out = []
    with torch.inference_mode():
        for first in range(0, len(texts), 64):
            batch = tagger.tokenizer(
                texts[first : first + 64], padding=True, truncation=True, max_length=96, return_tensors="pt"
            )
            states = tagger.model.bert(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1)
            out.append((states * mask).sum(1) / mask.sum(1))
    return torch.cat(out)


def train_head(features: torch.Tensor, labels: torch.Tensor, seed: int) -> torch.nn.Linear:
    torch.manual_seed(seed)
    head = torch.nn.Linear(features.shape[1], len(SENTIMENT_LABELS))
    optimizer = torch.optim.AdamW(head.parameters(), lr=1e-2, weight_decay=1e-3)
    for _ in range(300):
        loss = torch.nn.functional.cross_entropy(head(features), labels)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    return head


def main() -> None:
    settings = NLPSettings()
    tagger = EntityTagger(settings.entities.model, quantized=False)
    config = SentimentTrainingConfig(
        sentipolc=SHARED / "sentiment" / "sentipolc16",
        newssd=SHARED / "sentiment" / "newssd-ita",
        output=Path("unused"),
    )
    train = training_examples(config, random.Random(13))
    val = read_sentipolc(config.sentipolc, "val")
    x_train = pooled(tagger, [PREFIX + t for t, _ in train])
    x_val = pooled(tagger, [PREFIX + t for t, _ in val])
    y_train = torch.tensor([SENTIMENT_LABELS.index(label) for _, label in train])
    shared_f1 = []
    heads = [train_head(x_train, y_train, seed) for seed in (13, 14, 15)]
    for head in heads:
        predicted = head(x_val).argmax(1).tolist()
        scores = score_classes([label for _, label in val], [SENTIMENT_LABELS[i] for i in predicted], SENTIMENT_LABELS)
        shared_f1.append(round(scores.macro_f1, 4))
    card = json.loads((settings.sentiment.model / "training.json").read_text())

    meantime = SHARED / "articles-meantime-it" / "articles.jsonl"
    sentences = sorted(  # by length, as the heads' own predict() batches them: equal padding on both paths
        (
            s.strip() + "."
            for line in meantime.read_text().splitlines()
            for s in json.loads(line)["text"].split(". ")
            if s.strip()
        ),
        key=len,
    )
    ner = EntityTagger(settings.entities.model, quantized=settings.entities.quantized)
    sentiment = SentenceClassifier(settings.sentiment.model, quantized=settings.sentiment.quantized)
    started = time.perf_counter()
    ner.predict(sentences)
    sentiment.predict_proba(sentences)
    separate_s = time.perf_counter() - started
    started = time.perf_counter()
    with torch.inference_mode():
        head = heads[0]
        for first in range(0, len(sentences), 32):
            batch = ner.tokenizer(
                sentences[first : first + 32], padding=True, truncation=True, max_length=128, return_tensors="pt"
            )
            states = ner.model.bert(**batch).last_hidden_state
            ner.model.classifier(states)
            mask = batch["attention_mask"].unsqueeze(-1)
            head((states * mask).sum(1) / mask.sum(1))
    shared_s = time.perf_counter() - started
    print(
        json.dumps(
            {
                "sentipolc_val_macro_f1": {
                    "shared_pass_frozen_ner_encoder_by_seed": shared_f1,
                    "separate_fine_tuned_model_by_seed": card["val_macro_f1_by_seed"],
                },
                "meantime_sentences": len(sentences),
                "seconds_as_configured": {"shared_pass": round(shared_s, 1), "separate_models": round(separate_s, 1)},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
