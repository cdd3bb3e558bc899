"""One-way layering: the language side never imports the orchestration side, nor Prefect."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import PROJECT

NLP_MODULES = sorted((PROJECT / "nlp").rglob("*.py"))


def imported(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", NLP_MODULES, ids=lambda p: str(p.relative_to(PROJECT)))
def test_nlp_imports_neither_flows_nor_prefect(path):
    assert not imported(path) & {"flows", "prefect"}
