"""`rassegna train ner|tone` run end to end on small files with a locally built encoder."""

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

    assert EntityTagger(output).meta.layers == 1


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


def test_train_tone_command_trains_the_tower_and_reports_held_out_scores(
    tiny_encoder: str, tiny_ner: Path, tmp_path: Path
):
    phrasebank = tmp_path / "Sentences_66Agree.txt"
    sentences = [
        "Profits rose sharply .@positive",
        "The company cut 300 jobs .@negative",
        "The meeting is on May 3 .@neutral",
    ]
    phrasebank.write_text("\n".join(sentences * 4) + "\n", encoding="utf-8")
    sentfin = tmp_path / "sentfin.csv"
    rows = ['1,Airbus beats Boeing for tanker deal,"{""Airbus"": ""positive"", ""Boeing"": ""negative""}",6']
    rows += [f'{i},Infosys Q2 net up 5%,"{{""Infosys"": ""positive""}}",4' for i in range(2, 7)]
    sentfin.write_text("S No.,Title,Decisions,Words\n" + "\n".join(rows) + "\n", encoding="utf-8")
    italian = tmp_path / "dev.jsonl"
    lines = [
        ("Gli utili crescono.", "positive"),
        ("La fabbrica chiude.", "negative"),
        ("La riunione è alle nove.", "neutral"),
    ]
    italian.write_text(
        "".join(json.dumps({"id": str(i), "text": t, "label": lab}) + "\n" for i, (t, lab) in enumerate(lines * 2))
    )
    output = tmp_path / "tone"
    args = ["train", "tone", "--phrasebank", str(phrasebank), "--sentfin", str(sentfin), "--italian-dev", str(italian)]
    result = CliRunner().invoke(
        app, [*args, "--output", str(output), "--trunk", str(tiny_ner), "--trunk-layers", "1", "--epochs", "1"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads((output / "training.json").read_text())
    assert report["config"]["trunk_layers"] == 1 and len(report["english_stage"]) >= 1
    for key in (
        "italian_dev_macro_f1_zero_shot",
        "italian_dev_macro_f1_cross_validated",
        "phrasebank_66_held_out_accuracy",
        "sentfin_held_out_entity_accuracy",
    ):
        assert 0.0 <= report[key] <= 1.0

    env = {
        "RASSEGNA_NLP__TONE__MODEL": str(output),
        "RASSEGNA_NLP__ENTITIES__MODEL": str(tiny_ner),
        "RASSEGNA_NLP__ENCODER": tiny_encoder,
    }
    for int8 in ("true", "false"):
        scored = CliRunner().invoke(
            app, ["eval", "tone", str(sentfin)], env={**env, "RASSEGNA_NLP__ENCODING__INT8": int8}
        )
        assert scored.exit_code == 0, scored.output
        assert "SEntFiN held-out 20% (entity level)" in scored.output and "macro-F1" in scored.output
