"""Hostile files in a folder source: each ends as a post or a rejection of its own, and the rest of the folder goes on.

Every case writes real files to tmp_path and states its expected outcome.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from flows.records import Post, Reason, Rejection
from flows.settings import FolderSettings, Source
from flows.sources import files
from flows.sources.files import collect_folder
from flows.staging import read_jsonl, write_jsonl
from tests.flows.italian_texts import PARAGRAPHS


def source(folder: Path) -> Source:
    return Source(name="archivio", kind="folder", location=str(folder))


def by_name(folder: Path, settings: FolderSettings | None = None) -> dict[str, Post | Rejection]:
    return {item.location.removeprefix(f"{folder}/"): item for item in collect_folder(source(folder), settings)}


def test_lone_surrogate_becomes_a_replacement_character(tmp_path: Path):
    """Expected: the post is kept with U+FFFD in place of each surrogate, and its staging line is valid UTF-8."""
    text = PARAGRAPHS[0].replace("Forlì", "Forl\\ud800")  # the JSON escape, as a broken exporter writes it
    line = '{"title": "Forl\\udfff oggi", "author": "\\ud800", "text": "' + text + '"}'
    (tmp_path / "posts.jsonl").write_text(line + "\n", encoding="utf-8")

    (post,) = collect_folder(source(tmp_path))
    staged = write_jsonl(tmp_path / "collected.jsonl", [post.to_dict()])

    assert post.text == PARAGRAPHS[0].replace("Forlì", "Forl\ufffd")
    assert (post.title, post.author) == ("Forl\ufffd oggi", "\ufffd")
    assert next(read_jsonl(staged))["text"] == post.text  # written and read back as strict UTF-8


def test_deeply_nested_json_is_one_rejection(tmp_path: Path):
    """Expected: the nested line and nested .json file are `unreadable` ("nested too deeply"), so is a .json with an
    integer of 5000 digits; the other lines are posts."""
    nested = "[" * 100_000 + "]" * 100_000
    lines = [json.dumps({"text": PARAGRAPHS[0]}), nested, json.dumps({"text": PARAGRAPHS[1]})]
    (tmp_path / "posts.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "nested.json").write_text('{"text": ' + nested + "}", encoding="utf-8")
    (tmp_path / "cifre.json").write_text('{"text": "x", "n": ' + "1" * 5000 + "}", encoding="utf-8")

    items = by_name(tmp_path)

    assert isinstance(items["posts.jsonl#1"], Post) and isinstance(items["posts.jsonl#3"], Post)
    for name in ("posts.jsonl#2", "nested.json"):
        assert isinstance(items[name], Rejection) and items[name].reason == Reason.UNREADABLE
        assert items[name].detail == "invalid JSON: nested too deeply"
    assert items["cifre.json"].reason == Reason.UNREADABLE  # an integer of more digits than Python converts
    assert items["cifre.json"].detail.startswith("invalid JSON: Exceeds the limit (4300 digits)")


def test_byte_order_mark_is_accepted(tmp_path: Path):
    """Expected: a UTF-8 BOM before the first line (or the only document) is no part of the JSON; both are posts."""
    (tmp_path / "posts.jsonl").write_bytes(b"\xef\xbb\xbf" + json.dumps({"text": PARAGRAPHS[0]}).encode() + b"\n")
    (tmp_path / "post.json").write_bytes(b"\xef\xbb\xbf" + json.dumps({"text": PARAGRAPHS[1]}).encode())

    items = by_name(tmp_path)

    assert items["posts.jsonl#1"].text == PARAGRAPHS[0]
    assert items["post.json"].text == PARAGRAPHS[1]


def test_line_separator_inside_a_json_string_keeps_the_record_whole(tmp_path: Path):
    """Expected: U+2028 and U+0085 (raw in JSON strings, as `ensure_ascii=False` writes them) do not end a JSON line:
    one post, all three paragraphs in it."""
    record = {"text": f"{PARAGRAPHS[0]}\u2028{PARAGRAPHS[1]}\x85{PARAGRAPHS[2]}"}
    (tmp_path / "posts.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")

    (post,) = collect_folder(source(tmp_path))

    assert isinstance(post, Post) and post.text.startswith(f"{PARAGRAPHS[0]}\u2028{PARAGRAPHS[1]}")
    assert post.text.endswith(PARAGRAPHS[2])


def test_file_over_the_byte_limit_is_rejected_without_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Expected: a 50 MB HTML page is `too_large`, naming folders.max_bytes, and is never parsed; a small page is."""
    with (tmp_path / "enorme.html").open("wb") as handle:
        paragraph = f"<p>{PARAGRAPHS[0]}</p>\n".encode()
        handle.write(b"<html><body>" + paragraph * (50_000_000 // len(paragraph)))
    (tmp_path / "piccola.html").write_text(f"<html><body><article><p>{PARAGRAPHS[1]}</p></article></body></html>")
    parsed: list[int] = []
    monkeypatch.setitem(files.DOCUMENT_READERS, ".html", ("html", lambda html: parsed.append(len(html))))

    items = by_name(tmp_path)

    assert items["enorme.html"].reason == Reason.TOO_LARGE
    assert items["enorme.html"].detail == "file over 5000000 bytes (folders.max_bytes)"
    assert len(parsed) == 1 and parsed[0] < 1_000  # only the small page reached the extractor


def test_byte_limit_is_a_setting_and_a_file_of_exactly_that_size_is_read(tmp_path: Path):
    """Expected: with max_bytes = the size of one file, that file is a post and a file one byte larger is too_large."""
    body = PARAGRAPHS[0].encode()
    (tmp_path / "giusto.txt").write_bytes(body)
    (tmp_path / "troppo.txt").write_bytes(body + b".")

    items = by_name(tmp_path, FolderSettings(max_bytes=len(body)))

    assert isinstance(items["giusto.txt"], Post)
    assert items["troppo.txt"].reason == Reason.TOO_LARGE and f"over {len(body)} bytes" in items["troppo.txt"].detail


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        ("Il Comune di Forlì ha approvato il bilancio, perché la città deve investire nelle scuole.", "latin-1"),
        ("Il biglietto costa 5 € a Forlì, più di prima: perché la città ha alzato le tariffe.", "cp1252"),
        ("Il biglietto costa 5 € a Forlì, più di prima: perché la città ha alzato le tariffe.", "utf-16"),
    ],
)
def test_italian_text_in_a_legacy_charset_is_read_right(tmp_path: Path, text: str, charset: str):
    """Expected: the exact Italian text ("Forlì", "perché", "città", "€"), not a Central European misreading."""
    (tmp_path / "nota.txt").write_bytes(text.encode(charset))

    (post,) = collect_folder(source(tmp_path))

    assert post.text == text


def test_a_document_that_breaks_extraction_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Expected: a Markdown file whose extraction raises (as a list nested thousands deep does, slowly) is `unreadable`
    with the error named; the next file is still a post."""
    (tmp_path / "a.md").write_text("- x\n" * 3, encoding="utf-8")
    (tmp_path / "b.txt").write_text(PARAGRAPHS[0], encoding="utf-8")

    def explode(text: str):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setitem(files.DOCUMENT_READERS, ".md", ("md", explode))

    items = by_name(tmp_path)

    assert items["a.md"].reason == Reason.UNREADABLE
    assert items["a.md"].detail == "text extraction failed: RecursionError: maximum recursion depth exceeded"
    assert isinstance(items["b.txt"], Post)


def test_a_file_name_that_is_not_utf8_is_a_readable_location(tmp_path: Path):
    """Expected: a Latin-1 file name ("forlì.txt" written by an old system) gives a post whose location shows the odd
    byte as an escape, so it can be hashed, staged and stored like any other."""
    (tmp_path / os.fsdecode(b"forl\xec.txt")).write_text(PARAGRAPHS[0], encoding="utf-8")

    (post,) = collect_folder(source(tmp_path))
    staged = write_jsonl(tmp_path / "collected.jsonl", [post.to_dict()])

    assert isinstance(post, Post) and post.location == f"{tmp_path}/forl\\xec.txt"
    assert next(read_jsonl(staged))["location"] == post.location
