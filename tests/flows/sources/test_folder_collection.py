from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flows.records import Post, Reason, Rejection, item_id
from flows.settings import HttpSettings, Source
from flows.sources import collect

LATIN1_TEXT = (
    "Il fatturato del gruppo è cresciuto del 12% nel primo trimestre, grazie alla domanda più forte in Germania e "
    "negli Stati Uniti. L'amministratore delegato ha detto che la società può investire ancora, perché la liquidità "
    "è solida."
)


@pytest.fixture
def folder(tmp_path: Path, fixtures: Path) -> Path:
    root = tmp_path / "posts"
    (root / "web").mkdir(parents=True)
    shutil.copy(fixtures / "articoli" / "acciaierie.html", root / "web" / "terni.html")
    (root / "nota.txt").write_text(
        "Luxottica, ricavi in crescita\n\nIl gruppo di Agordo chiude l'anno con ricavi record.\n", encoding="utf-8"
    )
    (root / "latino.txt").write_bytes(LATIN1_TEXT.encode("cp1252"))
    (root / "analisi.md").write_text(
        "# Fincantieri, nuove commesse\n\nIl gruppo ha firmato un accordo per **quattro navi** da crociera.\n",
        encoding="utf-8",
    )
    (root / "singolo.json").write_text(
        json.dumps(
            {"title": "Poste Italiane", "content": "Poste Italiane aumenta il dividendo.", "date": "2024-03-20"}
        ),
        encoding="utf-8",
    )
    (root / "lista.json").write_text(
        json.dumps(
            [{"body": "Enel vende asset in Perù."}, {"text": "Eni scopre gas in Egitto.", "url": "https://e.it/1"}]
        ),
        encoding="utf-8",
    )
    lines = [
        json.dumps({"id": "a1", "text": "Stellantis taglia la produzione a Mirafiori.", "author": "Anna Verdi"}),
        "",
        "{non è json",
        json.dumps({"title": "Senza testo"}),
        json.dumps({"text": "Leonardo firma con Rheinmetall.", "published_at": "2024-07-03T09:00:00+02:00"}),
    ]
    (root / "notizie.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "rotto.txt").write_bytes(bytes(range(256)) * 4)
    (root / "vuoto.md").write_bytes(b"")
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return root


def test_folder_yields_posts_and_rejections_in_sorted_order(folder: Path):
    source = Source(name="archivio", kind="folder", location=str(folder))

    items = list(collect(source, HttpSettings()))

    locations = [item.location for item in items]
    assert locations == [
        f"{folder}/analisi.md",
        f"{folder}/latino.txt",
        f"{folder}/lista.json#1",
        f"{folder}/lista.json#2",
        f"{folder}/nota.txt",
        f"{folder}/notizie.jsonl#1",
        f"{folder}/notizie.jsonl#3",
        f"{folder}/notizie.jsonl#4",
        f"{folder}/notizie.jsonl#5",
        f"{folder}/rotto.txt",
        f"{folder}/singolo.json",
        f"{folder}/vuoto.md",
        f"{folder}/web/terni.html",
    ]
    assert all(item.item_id == item_id("archivio", item.location) and item.source == "archivio" for item in items)
    by_location = {Path(item.location).name: item for item in items}

    markdown = by_location["analisi.md"]
    assert isinstance(markdown, Post) and markdown.format == "md"
    assert markdown.title == "Fincantieri, nuove commesse"
    assert markdown.text == "Il gruppo ha firmato un accordo per quattro navi da crociera."

    assert by_location["latino.txt"].text == LATIN1_TEXT

    note = by_location["nota.txt"]
    assert note.format == "txt" and note.title == "Luxottica, ricavi in crescita"

    first, second = by_location["lista.json#1"], by_location["lista.json#2"]
    assert first.text == "Enel vende asset in Perù." and first.format == "json"
    assert second.url == "https://e.it/1"

    single = by_location["singolo.json"]
    assert (single.title, single.text, single.published_at) == (
        "Poste Italiane",
        "Poste Italiane aumenta il dividendo.",
        "2024-03-20",
    )

    assert by_location["notizie.jsonl#1"].author == "Anna Verdi"
    bad_line = by_location["notizie.jsonl#3"]
    assert isinstance(bad_line, Rejection) and bad_line.reason == Reason.UNREADABLE
    no_text = by_location["notizie.jsonl#4"]
    assert isinstance(no_text, Rejection) and no_text.reason == Reason.EMPTY
    assert by_location["notizie.jsonl#5"].published_at == "2024-07-03T09:00:00+02:00"

    undecodable = by_location["rotto.txt"]
    assert isinstance(undecodable, Rejection) and undecodable.reason == Reason.UNREADABLE
    empty = by_location["vuoto.md"]
    assert isinstance(empty, Rejection) and empty.reason == Reason.EMPTY

    page = by_location["terni.html"]
    assert isinstance(page, Post) and page.format == "html"
    assert page.title == "Acciaierie di Terni, firmato l'accordo sugli investimenti"
    assert page.published_at == "2024-03-14"

    for rejection in (item for item in items if isinstance(item, Rejection)):
        assert rejection.detail and "\n" not in rejection.detail


def test_missing_folder_is_one_rejection(tmp_path: Path):
    (rejection,) = collect(Source(name="archivio", kind="folder", location=str(tmp_path / "manca")), HttpSettings())
    assert isinstance(rejection, Rejection) and rejection.reason == Reason.UNREADABLE


FRONT_MATTER = """---
title: "Brembo, utile in crescita nel semestre: ordini dall'Asia"
date: "2026-07-30T08:15:00+02:00"
author: "Sara Pesenti"
url: "https://www.bergamoeconomia.example/brembo-semestre"
---

"""
BODY = (
    "Il gruppo di Curno chiude il primo semestre con ricavi per 2 miliardi di euro e un utile netto in crescita del 6 "
    "per cento.\n\n"
    "Gli ordini arrivano soprattutto dalla Cina e dall'India, mentre il mercato tedesco resta debole.\n"
)
BODY_LINES = [
    "Il gruppo di Curno chiude il primo semestre con ricavi per 2 miliardi di euro e un utile netto in crescita del 6 "
    "per cento.",
    "Gli ordini arrivano soprattutto dalla Cina e dall'India, mentre il mercato tedesco resta debole.",
]


@pytest.mark.parametrize(("name", "fmt"), [("brembo.md", "md"), ("brembo.txt", "txt")])
def test_front_matter_fills_the_post_and_stays_out_of_the_text(tmp_path: Path, name: str, fmt: str):
    (tmp_path / name).write_text(FRONT_MATTER + BODY, encoding="utf-8")

    (post,) = collect(Source(name="archivio", kind="folder", location=str(tmp_path)), HttpSettings())

    assert isinstance(post, Post) and post.format == fmt
    assert post.title == "Brembo, utile in crescita nel semestre: ordini dall'Asia"
    assert post.published_at == "2026-07-30T08:15:00+02:00"
    assert post.author == "Sara Pesenti"
    assert post.url == "https://www.bergamoeconomia.example/brembo-semestre"
    assert post.text.splitlines() == BODY_LINES


def test_mojibake_is_repaired_in_metadata_and_text(tmp_path: Path):
    original = FRONT_MATTER.replace("crescita", "crescita più forte") + "È già record per la città di Curno.\n"
    (tmp_path / "rotta.txt").write_text(original.encode("utf-8").decode("cp1252"), encoding="utf-8")

    (post,) = collect(Source(name="archivio", kind="folder", location=str(tmp_path)), HttpSettings())

    assert post.title == "Brembo, utile in crescita più forte nel semestre: ordini dall'Asia"
    assert post.text == "È già record per la città di Curno."
