"""`rassegna analyse` on a hostile batch: every line gets its own output line, and one bad line stops nothing.

One CLI run over a real file (the models load once); each input line states its expected outcome.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app
from tests.flows.italian_texts import PARAGRAPHS

LONG = " ".join(PARAGRAPHS) * (200_000 // len(" ".join(PARAGRAPHS)) + 1)  # over the default max_chars, 200 000


def test_hostile_lines_each_end_as_an_analysis_or_an_error(tmp_path: Path):
    lines = [
        # a UTF-8 BOM before the first line: no part of the JSON -> analysed
        "\ufeff" + json.dumps({"id": "bom", "text": PARAGRAPHS[0]}),
        # lone surrogates (JSON escapes) in id, title and text -> U+FFFD, analysed, offsets still index the text
        '{"id": "s\\ud800", "title": "Forl\\udfff", "text": "' + PARAGRAPHS[1].replace("Cesena", "Ces\\ud800na") + '"}',
        # nested 100 000 deep -> error, no id
        "[" * 100_000 + "]" * 100_000,
        # an integer of 5000 digits (more than Python converts) -> error, no id
        '{"id": "cifre", "n": ' + "1" * 5000 + ', "text": "x"}',
        # a headline: under min_words, analysed all the same (min_words bounds ingested articles)
        json.dumps({"id": "breve", "text": "Borsa di Milano in rialzo."}),
        # over max_chars -> error naming the limit
        json.dumps({"id": "lungo", "text": LONG}),
        # a good line after all of them -> analysed
        json.dumps({"id": "ok", "text": PARAGRAPHS[2]}),
    ]
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = CliRunner().invoke(app, ["analyse", str(source), "-o", str(target)])

    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in target.read_bytes().decode("utf-8").splitlines()]  # strict UTF-8
    assert [r["id"] for r in out] == ["bom", "s\ufffd", None, None, "breve", "lungo", "ok"]
    for analysed in (out[0], out[1], out[4], out[6]):
        assert "error" not in analysed and analysed["language"] == "it" and analysed["sentiment"] is not None
    replaced = PARAGRAPHS[1].replace("Cesena", "Ces\ufffdna")
    assert all(replaced[e["start"] : e["end"]] == e["text"] for e in out[1]["entities"])
    assert out[2]["error"] == "invalid JSON: nested too deeply"
    assert out[3]["error"].startswith("invalid JSON: Exceeds the limit (4300 digits)")
    assert out[5]["error"] == f"too_long: {len(LONG)} characters (max_chars 200000)"
    assert "7 lines: 4 analysed, 0 skipped, 3 errors" in result.output
