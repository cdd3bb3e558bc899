"""`rassegna analyse`: the batch contract the project is measured with, on real Italian text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app

ARTICLE = (
    "La Know Net S.r.l. di Como ha firmato un accordo con Intesa Sanpaolo per finanziare l'apertura di una nuova "
    "sede a Londra. L'amministratrice delegata Giulia Ferrario ha spiegato che l'azienda assumerà venticinque "
    "consulenti entro la fine dell'anno. «È un passo importante per la nostra crescita internazionale», ha "
    "detto Ferrario durante la presentazione alla Camera di Commercio di Como-Lecco."
)
ENGLISH = (
    "The Milan start-up raised twenty million euros from American investors to expand its software business across "
    "Europe and to hire fifty engineers next year."
)
NEGATIVE = (
    "La Tessitura Insubrica di Gallarate ha annunciato 140 licenziamenti. I sindacati hanno proclamato uno sciopero "
    "e denunciano la crisi del settore tessile, colpito da perdite pesanti e dal crollo degli ordini."
)


def run(tmp_path: Path, lines: list[str], *options: str) -> list[dict]:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyse", str(source), "-o", str(target), *options])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]


def test_contract_on_good_and_bad_lines(tmp_path: Path):
    lines = [
        json.dumps({"id": "a1", "text": ARTICLE, "title": "Know Net a Londra", "date": "2026-11-10"}),
        json.dumps({"id": "en", "text": ENGLISH}),
        "{not json",
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "neg", "text": NEGATIVE}),
    ]
    out = run(tmp_path, lines)
    assert [r["id"] for r in out] == ["a1", "en", None, "no-text", "neg"]
    article = out[0]
    assert article["language"] == "it" and "error" not in article
    for entity in article["entities"]:
        assert ARTICLE[entity["start"] : entity["end"]] == entity["text"]
        assert entity["label"] in {"PER", "LOC", "ORG", "MISC"}
        assert entity["canonical"]
    found = {(e["text"], e["label"]) for e in article["entities"]}
    assert ("Intesa Sanpaolo", "ORG") in found
    assert ("Londra", "LOC") in found
    assert any(label == "PER" and "Ferrario" in text for text, label in found)
    assert article["sentiment"]["label"] in {"negative", "neutral", "positive"}
    assert 0 <= article["sentiment"]["score"] <= 1 and -1 <= article["sentiment"]["tone"] <= 1
    assert 0 <= article["sentiment"]["share_positive"] + article["sentiment"]["share_negative"] <= 1
    tones = {t["canonical"]: t for t in article["entity_tones"]}
    for entity in article["entities"]:
        for tone in (entity["tone"], entity["mention_tone"]):
            assert tone["label"] in {"negative", "neutral", "positive"} and -1 <= tone["tone"] <= 1
        assert entity["tone"]["label"] == tones[entity["canonical"]]["label"]  # the article's tone towards it
    assert {"canonical", "type", "label", "tone", "mentions"} <= set(tones["Intesa Sanpaolo"])
    assert sum(t["mentions"] for t in tones.values()) == len(article["entities"]) + 2  # the title's two included
    assert tones["Know Net"]["mentions"] == 2 and tones["Londra"]["mentions"] == 2
    assert article["themes"] and {"id", "label", "score"} <= set(article["themes"][0])
    summary_sentences = re.split(r"(?<=[.!?»])\s+", article["summary"])
    assert summary_sentences and all(sentence in ARTICLE for sentence in summary_sentences)
    assert out[1]["language"] == "en" and "skipped" in out[1] and out[1]["entities"] == []
    assert "invalid JSON" in out[2]["error"]
    assert "text" in out[3]["error"]
    assert out[4]["sentiment"]["label"] == "negative" and out[4]["sentiment"]["tone"] < 0


def test_language_option_analyses_every_line(tmp_path: Path):
    out = run(tmp_path, [json.dumps({"id": "en", "text": ENGLISH})], "--language", "it")
    assert out[0]["language"] == "it" and "skipped" not in out[0] and out[0]["sentiment"] is not None


def test_missing_input_is_a_one_line_error(tmp_path: Path):
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_any_non_empty_text_is_analysed(tmp_path: Path):
    """A headline, a sentence or one word: analysed, where `min_words` bounds only ingested articles."""
    texts = {
        "headline": "Crollo Stellantis",
        "sentence": "Fincantieri vince una commessa da 1,2 miliardi.",
        "word": "Boeing",
        "titled": "",
        "blank": "   ",
    }
    lines = [json.dumps({"id": k, "text": v, **({"title": "Borsa: Milano chiude in rialzo"} if k == "titled" else {})})
             for k, v in texts.items()]  # fmt: skip
    out = {r["id"]: r for r in run(tmp_path, lines)}
    for key in ("headline", "sentence", "word"):
        assert "error" not in out[key] and "skipped" not in out[key], out[key]
        assert out[key]["language"] == "it" and out[key]["sentiment"]["label"] in {"negative", "neutral", "positive"}
    assert out["sentence"]["sentiment"]["label"] == "positive"
    assert {e["canonical"] for e in out["sentence"]["entity_tones"]} == {"Fincantieri"}
    assert out["blank"]["error"].startswith("empty") and out["titled"]["error"].startswith("empty")


def test_places_come_with_their_istat_code_and_the_home_province_decides_homonyms(tmp_path: Path):
    text = "CASTELNUOVO. La ditta Rossi apre un nuovo capannone e assume venti persone nella zona industriale."
    out = run(
        tmp_path, [json.dumps({"id": "mo", "text": text, "province": "MO"}), json.dumps({"id": "?", "text": text})]
    )
    place = out[0]["entities"][0]["place"]
    assert out[0]["dateline"] == "Castelnuovo Rangone" and out[1]["dateline"] == "Castelnuovo"
    assert place["istat_code"] == "036007" and place["kind"] == "comune" and place["region"] == "Emilia-Romagna"
    assert place["latitude"] and place["longitude"] and place["country_code"] == "IT"
