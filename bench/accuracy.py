"""Dev scores of the one pass in int8 against fp32 (whose outputs are the separate models'), on the ../shared sets.

    python bench/accuracy.py        # also a section of bench/bench.py

The same scorers as `rassegna eval ner --no-rules`, `rassegna eval tone` and `rassegna eval sentiment`, each run
with `[nlp.encoding] int8` true and false; the Italian news-tone figure is the shipped model's 5-fold
cross-validated one from its training run (training.json), since the one pass of the final model has seen those
sentences: its int8 / fp32 label agreement on them is printed instead. Last, the one pass alone over the 1,571
MEANTIME sentences in each precision: seconds, and how many sentence-tone labels and NER tags int8 changes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
NER = {name: SHARED / folder / f"{name}_dev.tsv" for name, folder in
       (("WN", "ner-kind-wikinews"), ("ADG", "ner-kind-other"), ("FIC", "ner-kind-other"))}  # fmt: skip
TONE = {
    "phrasebank_66_held_out_accuracy": SHARED / "sentiment" / "financial-phrasebank-en" / "Sentences_66Agree.txt",
    "sentfin_held_out_entity_accuracy": SHARED / "sentiment" / "sentfin-en" / "sentfin.csv",
}
SENTIPOLC = SHARED / "sentiment" / "sentipolc16" / "val_text.txt"
NEWS_TONE = SHARED / "sentiment" / "news-tone-it" / "dev.jsonl"
MEANTIME = SHARED / "articles-meantime-it" / "articles.jsonl"


def scores(int8: bool) -> tuple[dict, list[str]]:
    from nlp import load
    from nlp.corpora import read_bio, read_news_tone, read_sentipolc
    from nlp.evaluation import evaluate_ner, evaluate_tone, score_classes, top_label
    from nlp.onepass.runtime import OnePassTone, runtime_for
    from nlp.settings import EncodingSettings, NLPSettings

    settings = NLPSettings(encoding=EncodingSettings(int8=int8))
    nlp = load(settings)
    out = {}
    for name, path in NER.items():
        ner = evaluate_ner(nlp, read_bio(path), ("rassegna_entities",)).scores
        out[f"ner_{name}_f1"] = round(ner.micro.f1, 4)
        out[f"ner_{name}_ORG_f1"] = round(ner.by_type["ORG"].f1, 4)
    tone = OnePassTone(runtime_for(settings))
    for name, path in TONE.items():
        out[name] = round(evaluate_tone(tone, path).scores.accuracy, 4)
    tweets = read_sentipolc(SENTIPOLC.parent, "val")
    results = tone.predict([text for text, _ in tweets])
    predicted = [top_label(r.sentence, tone.labels) for r in results]
    out["sentipolc_val_macro_f1"] = round(score_classes([g for _, g in tweets], predicted, tone.labels).macro_f1, 4)
    italian = tone.predict([e.text for e in read_news_tone(NEWS_TONE)])
    return out, [top_label(r.sentence, tone.labels) for r in italian]


def meantime_changes() -> dict:
    import time

    import baselines  # bench/baselines.py, beside this script

    from nlp.onepass.runtime import runtime_for
    from nlp.settings import EncodingSettings, NLPSettings

    items = [json.loads(line) for line in MEANTIME.read_text().splitlines() if line.strip()]
    sentences = [s for article in baselines.sentences_by_article(items) for s in article]
    out, seconds = {}, {}
    for int8 in (False, True):
        runtime = runtime_for(NLPSettings(encoding=EncodingSettings(int8=int8)))
        runtime.encode(sentences[:32])
        started = time.perf_counter()
        out[int8] = runtime.encode(sentences)
        seconds[int8] = round(time.perf_counter() - started, 1)
    pairs = list(zip(out[False], out[True], strict=True))
    return {
        "sentences": len(sentences),
        "one_pass_seconds_fp32": seconds[False],
        "one_pass_seconds_int8": seconds[True],
        "sentence_tone_labels_changed": int(sum(a.tone.argmax() != b.tone.argmax() for a, b in pairs)),
        "ner_tags_changed": int(sum((a.ner.argmax(-1) != b.ner.argmax(-1)).sum() for a, b in pairs)),
        "ner_tags": int(sum(a.tokens for a, _ in pairs)),
    }


def report() -> dict:
    """Both precisions' dev scores, their differences, and the one pass over MEANTIME in each."""
    if not SHARED.exists():
        sys.exit(f"dev sets not found: {SHARED}")
    fp32, fp32_labels = scores(int8=False)
    int8, int8_labels = scores(int8=True)
    training = json.loads((ROOT / "data" / "models" / "tone-e5" / "training.json").read_text())
    differences = {k: round(int8[k] - fp32[k], 4) for k in fp32}
    return {
        "fp32": fp32,
        "int8": int8,
        "int8_minus_fp32": differences,
        "largest_int8_drop": max(0.0, -min(differences.values())),
        "news_tone_it_dev_macro_f1_cross_validated_fp32": training["italian_dev_macro_f1_cross_validated"],
        "news_tone_it_dev_int8_fp32_label_agreement": round(
            sum(a == b for a, b in zip(int8_labels, fp32_labels, strict=True)) / len(fp32_labels), 4
        ),
        "meantime_one_pass": meantime_changes(),
    }


if __name__ == "__main__":
    print(json.dumps(report(), indent=2))
