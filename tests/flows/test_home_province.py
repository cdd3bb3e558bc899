"""A source's home province in `rassegna run`: set, or the province its articles name most, and what it decides."""

from __future__ import annotations

from pathlib import Path

from flows.query import run_query
from flows.settings import load
from flows.stages import ingest_here
from flows.warehouse import Warehouse

STORIES = {
    "MODENA": "La giunta ha approvato il bilancio e i nuovi investimenti per la zona industriale.",
    "CARPI": "Il distretto della maglieria chiude l'anno con ordini in crescita e trenta assunzioni.",
    "SASSUOLO": "Le ceramiche pagano il caro energia e chiedono alla Regione un tavolo sui costi del gas.",
    "MIRANDOLA": "Il polo biomedicale presenta tre nuovi brevetti e un laboratorio con l'università.",
    "VIGNOLA": "La cooperativa frutticola ha raccolto ciliegie per dodici milioni di euro quest'anno.",
    "FORMIGINE": "Un'azienda meccanica ha inaugurato il nuovo magazzino automatico con il sindaco.",
    "CASTELNUOVO": "Incendio in un capannone della zona artigianale: intervengono i vigili del fuoco.",
    "CONCORDIA": "Riapre dopo i lavori la scuola elementare, con aule nuove e un impianto fotovoltaico.",
    "NOVI": "Il consiglio comunale discute il piano del traffico e la nuova rotatoria sulla provinciale.",
}


def posts(folder: Path) -> Path:
    folder.mkdir()
    for n, (place, story) in enumerate(STORIES.items()):
        text = f"{place}. {story} Lo riferisce la nostra redazione locale, che seguirà gli sviluppi."
        (folder / f"{n}.txt").write_text(f"Notizia {n}\n\n{text}", encoding="utf-8")
    return folder


def run(tmp_path: Path, province: str = "") -> dict[str, str]:
    config = tmp_path / "rassegna.toml"
    config.write_text(
        f'[[sources]]\nname = "gazzetta"\nkind = "folder"\nlocation = "{posts(tmp_path / "posts")}"\n{province}'
        f'[warehouse]\nfolder = "{tmp_path / "warehouse"}"\n',
        encoding="utf-8",
    )
    assert ingest_here(load(config))["stored"] == len(STORIES)
    frame = run_query(Warehouse(tmp_path / "warehouse"), "SELECT text, dateline FROM articles")
    return {text.split(".")[0]: dateline for text, dateline in zip(frame["text"], frame["dateline"], strict=True)}


def test_a_local_paper_s_home_is_the_province_its_datelines_name(tmp_path):
    datelines = run(tmp_path)
    assert datelines["CASTELNUOVO"] == "Castelnuovo Rangone"  # not Castelnuovo (TN)
    assert datelines["CONCORDIA"] == "Concordia sulla Secchia" and datelines["NOVI"] == "Novi di Modena"


def test_a_home_province_set_for_the_source_wins(tmp_path):
    assert run(tmp_path, 'province = "TN"\n')["CASTELNUOVO"] == "Castelnuovo"
