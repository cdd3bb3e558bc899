"""`rassegna analyse`: the batch contract, JSONL in → JSONL out, no Prefect server needed.

Input lines: {"id": str, "text": str, "title"?: str, "date"?: str, "province"?: str} in UTF-8 (a BOM is
allowed); `province` is the source's home province (a sigla, name or ISTAT code), near which local place names are
resolved. Output: one line per
input line, same id, with language, entities, sentiment, themes and summary, or an `error` field. Any non-empty text
is analysed, a headline or a sentence as well as an article (`min_words` bounds only the articles `rassegna run`
ingests); a text too short for its language to be told apart is taken to be in the first of `languages`. A line that
is not valid JSON (nested too deeply for the parser, an integer too long to convert included), or whose text is
empty or over `max_chars`, gets an error and the rest of the file goes on. Lone surrogates (`"\\ud800"`) become
U+FFFD, so offsets still index the input text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from flows.prepare import length_limit
from flows.warehouse.atomic import atomic_path
from nlp import load
from nlp.doc_records import pipe_safely, summary_record
from nlp.settings import NLPSettings
from nlp.text.language import UNDETERMINED, detect
from nlp.text.normalise import well_formed, word_count

CHUNK = 64


@dataclass
class AnalyseStats:
    lines: int = 0
    analysed: int = 0
    skipped: int = 0
    errors: int = 0
    words: int = 0


@dataclass
class Item:
    line: int
    id: str | None
    text: str = ""
    title: str | None = None
    province: str | None = None
    error: str | None = None
    language: str | None = None


def parse(line_number: int, line: str) -> Item:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Item(line_number, None, error=f"invalid JSON: {exc.msg}")
    except ValueError as exc:  # an integer of more digits than Python converts
        return Item(line_number, None, error=f"invalid JSON: {exc}")
    except RecursionError:
        return Item(line_number, None, error="invalid JSON: nested too deeply")
    if not isinstance(record, dict):
        return Item(line_number, None, error="a line must be a JSON object")
    item_id = record.get("id")
    item_id = well_formed(str(item_id)) if item_id is not None else None
    text = record.get("text")
    if item_id is None:
        return Item(line_number, None, error="missing 'id'")
    if not isinstance(text, str):
        return Item(line_number, item_id, error="missing or non-string 'text'")
    title, province = record.get("title"), record.get("province")
    return Item(
        line_number,
        item_id,
        text=well_formed(text),
        title=well_formed(title) if isinstance(title, str) else None,
        province=well_formed(province) if isinstance(province, str) else None,
    )


def empty_record(language: str) -> dict:
    return {"language": language, "entities": [], "sentiment": None, "entity_tones": [], "themes": [], "summary": ""}


def read_items(path: Path) -> Iterator[Item]:
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield parse(number, line)


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def _analyse_chunk(nlp, items: list[Item]) -> list[dict]:
    return [
        {**empty_record(item.language), "error": f"analysis failed: {doc}"}
        if isinstance(doc, Exception)
        else summary_record(doc, item.language)
        for item, doc in zip(
            items,
            pipe_safely(nlp, [i.text for i in items], [i.title for i in items], [i.province for i in items]),
            strict=True,
        )
    ]


def analyse_file(
    source: Path,
    target: Path,
    settings: NLPSettings,
    language: str | None = None,
    advance: Callable[[int], None] = lambda n: None,
) -> AnalyseStats:
    nlp = load(settings)
    stats = AnalyseStats()
    with atomic_path(target) as temp, temp.open("w", encoding="utf-8") as out:
        chunk: list[Item] = []
        for item in read_items(source):
            chunk.append(item)
            if len(chunk) == CHUNK:
                _write_chunk(nlp, chunk, settings, language, out, stats)
                advance(len(chunk))
                chunk = []
        if chunk:
            _write_chunk(nlp, chunk, settings, language, out, stats)
            advance(len(chunk))
    return stats


def language_of(text: str, settings: NLPSettings) -> str:
    """The detected language; for a text shorter than an article (`min_words`) that detection cannot tell, the first
    accepted language."""
    detected = detect(text, settings).language
    if detected == UNDETERMINED and word_count(text) < settings.min_words:
        return settings.languages[0]
    return detected


def _write_chunk(nlp, chunk: list[Item], settings: NLPSettings, language: str | None, out, stats) -> None:
    runnable = []
    for item in chunk:
        if item.error is not None:
            continue
        item.language = language or language_of(item.text, settings)
        if item.language not in settings.languages:
            continue  # skipped
        limit = length_limit(item.text, settings, article=False)
        if limit is None:
            runnable.append(item)
        else:
            item.error = f"{limit[0]}: {limit[1]}"
    results = dict(zip((id(i) for i in runnable), _analyse_chunk(nlp, runnable), strict=True))
    for item in chunk:
        stats.lines += 1
        if item.error is not None:
            record = {**empty_record(item.language or "und"), "error": item.error}
        elif id(item) in results:
            record = results[id(item)]
            stats.words += record.pop("word_count")
        else:
            record = {**empty_record(item.language), "skipped": f"language '{item.language}' is not analysed"}
        if "error" in record:
            stats.errors += 1
        elif "skipped" in record:
            stats.skipped += 1
        else:
            stats.analysed += 1
        out.write(json.dumps({"id": item.id, **record}, ensure_ascii=False) + "\n")
