"""An analysing process holds no torch: spaCy's thinc is imported with torch hidden, and torch still loads later."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import nlp
import spacy
doc = spacy.blank("it")("Intesa Sanpaolo finanzia le imprese di Como.")
assert [t.text for t in doc][-2:] == ["Como", "."]
assert "torch" not in sys.modules
import torch
assert torch.ones(2).sum().item() == 2.0
"""


def test_spacy_comes_without_torch_and_torch_still_imports():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
