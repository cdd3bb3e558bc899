"""The wheel is the program: built from the checkout, installed into a fresh venv, run from another folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PROJECT

POST = {
    "id": "como-workshop",
    "title": "Trasformazione digitale, workshop a Como per le piccole imprese",
    "text": (
        "Si è svolto ieri a Como, presso la sede di Confartigianato Imprese Como, il workshop dedicato alla "
        "trasformazione digitale della Piccola e Media Impresa. La giornata è stata molto piacevole e l'ambiente "
        "molto stimolante: imprenditori, consulenti e rappresentanti della Camera di Commercio di Como-Lecco si "
        "sono confrontati su strumenti, incentivi e competenze. Un'iniziativa proiettata verso un sicuro successo, "
        "che gli organizzatori intendono ripetere in primavera a Lecco."
    ),
}


def not_source(folder: str, names: list[str]) -> set[str]:
    built = {
        "build",
        "outbox",
        "reports",
        "__pycache__",
        *(n for n in names if n.startswith(".") or n.endswith(".egg-info")),
    }
    return (built | ({"warehouse"} if Path(folder) == PROJECT / "data" else set())) & set(names)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a copy, so the build's egg-info never lands in the checkout (importlib.metadata would read it)."""
    source, out = tmp_path_factory.mktemp("source") / "rassegna", tmp_path_factory.mktemp("wheel")
    shutil.copytree(PROJECT, source, ignore=not_source)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--no-build-isolation", "-q", "-w", out], check=True
    )
    (built,) = out.glob("rassegna-*.whl")
    return built


def test_the_wheel_holds_every_module_and_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in ("nlp", "flows"):
        for file in (PROJECT / package).rglob("*"):
            if file.is_file() and "__pycache__" not in file.parts:
                assert file.relative_to(PROJECT).as_posix() in names
    tracked = subprocess.run(["git", "ls-files", "data"], cwd=PROJECT, capture_output=True, text=True, check=True)
    for path in tracked.stdout.split():
        assert "rassegna_data/" + path.removeprefix("data/") in names
    assert not [name for name in names if name.startswith("rassegna_data/warehouse")]


def test_installed_wheel_analyses_outside_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    # the dependencies come from this environment; a plain path line does not run its editable-install hooks
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel], check=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "posts.jsonl").write_text(json.dumps(POST, ensure_ascii=False) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "RASSEGNA_CONFIG", "VIRTUAL_ENV")}
    located = subprocess.run(
        [python, "-c", "import nlp, rassegna_data; print(nlp.__file__, rassegna_data.__file__)"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert str(PROJECT) not in located and str(venv) in located
    subprocess.run(
        [venv / "bin" / "rassegna", "analyse", "posts.jsonl", "--output", "out.jsonl"],
        cwd=work, env=env, check=True, timeout=600,
    )  # fmt: skip
    (result,) = [json.loads(line) for line in (work / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {"Como", "Lecco"} <= {e["text"] for e in result["entities"] if e["label"] == "LOC"}
    assert result["sentiment"]["label"] == "positive"
    assert result["themes"]
