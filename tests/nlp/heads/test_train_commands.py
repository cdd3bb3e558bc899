"""`rassegna train ner|sentiment` run end to end on small files with a locally built encoder."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app

BIO = """Intesa\tB-ORG
Sanpaolo\tI-ORG
finanzia\tO
le\tO
imprese\tO
di\tO
Como\tB-LOC
.\tO

Mario\tB-PER
Rossi\tI-PER
visita\tO
Bergamo\tB-LOC
.\tO
"""


def test_train_ner_command_writes_a_model_that_loads(tiny_encoder: str, tmp_path: Path):
    corpus = tmp_path / "tiny.tsv"
    corpus.write_text(BIO, encoding="utf-8")
    output = tmp_path / "ner"
    args = ["train", "ner", "--train", str(corpus), "--dev", str(corpus), "--output", str(output)]
    gold_only = ["--silver-epochs", "0", "--epochs", "1"]
    result = CliRunner().invoke(app, [*args, *gold_only, "--encoder", tiny_encoder, "--layers", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads((output / "training.json").read_text())
    assert report["train_sentences"] == 2 and report["silver_sentences"] == 0
    assert len(report["history"]) == 1
    assert report["config"]["encoder"] == tiny_encoder and report["config"]["layers"] == 1
    assert set(report["dev"]) == {"PER", "LOC", "ORG", "micro"}

    from nlp.heads.entity_tagger import EntityTagger

    assert EntityTagger(output, quantized=False).meta.layers == 1


SILVER = """0\tLa\tO
1\tMostra\tB-MISC
2\tdi\tI-MISC
3\tVenezia\tI-MISC
4\tpremia\tO
5\tTrenitalia\tB-ORG
6\t.\tO
"""


def test_silver_epochs_are_added_and_keep_only_the_tagger_types(tiny_encoder: str, tmp_path: Path):
    from nlp.corpora import read_bio
    from nlp.encoder.load import load_tokenizer
    from nlp.heads.entity_tagger import LABELS
    from nlp.training.ner import encode

    silver = tmp_path / "silver.conllu"
    silver.write_text(SILVER, encoding="utf-8")
    ((_, labels),) = encode(read_bio(silver), load_tokenizer(tiny_encoder), max_tokens=64)
    assert {LABELS[i].partition("-")[2] for i in labels if i >= 0} == {"", "ORG"}  # MISC is O

    corpus = tmp_path / "tiny.tsv"
    corpus.write_text(BIO, encoding="utf-8")
    output = tmp_path / "ner"
    args = ["train", "ner", "--train", str(corpus), "--dev", str(corpus), "--silver", str(silver)]
    result = CliRunner().invoke(app, [*args, "--output", str(output), "--encoder", tiny_encoder, "--layers", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads((output / "training.json").read_text())
    assert report["silver_sentences"] == 1
    assert len(report["history"]) == report["config"]["silver_epochs"] + report["config"]["epochs"]


def test_train_sentiment_command_keeps_the_best_seed(tiny_encoder: str, tmp_path: Path):
    sentipolc = tmp_path / "sentipolc"
    sentipolc.mkdir()
    texts = ["Che bella giornata, grazie!", "Servizio pessimo, mai più.", "Il treno parte alle nove."]
    for split in ("train", "val"):
        (sentipolc / f"{split}_text.txt").write_text("\n".join(texts) + "\n", encoding="utf-8")
        (sentipolc / f"{split}_labels.txt").write_text("2\n0\n1\n", encoding="utf-8")
    newssd = tmp_path / "newssd"
    newssd.mkdir()
    for split in ("train", "val"):
        (newssd / f"{split}.csv").write_text("Sentence,Label\nIl treno parte alle nove.,OBJ\n", encoding="utf-8")
    output = tmp_path / "sentiment"
    args = ["train", "sentiment", "--sentipolc", str(sentipolc), "--newssd", str(newssd), "--output", str(output)]
    result = CliRunner().invoke(app, [*args, "--encoder", tiny_encoder, "--layers", "1", "--seeds", "1,2"])
    assert result.exit_code == 0, result.output
    report = json.loads((output / "training.json").read_text())
    assert set(report["val_macro_f1_by_seed"]) == {"1", "2"}
    assert report["shipped_val_macro_f1_fp32"] == max(report["val_macro_f1_by_seed"].values())
    assert 0.0 <= report["newssd_val_obj_neutral_share"] <= 1.0
    assert not list(tmp_path.glob(".sentiment-seed*"))
