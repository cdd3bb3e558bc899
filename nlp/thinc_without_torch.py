"""Import thinc, spaCy's machine-learning layer, without torch.

thinc imports torch whenever it is installed, only to wrap torch models, which no rassegna pipeline has; torch then
holds about 200 MB of every analysing process. Where torch is needed (training, building the one pass), it is
imported as usual afterwards.
"""

from __future__ import annotations

import sys


def import_thinc_without_torch() -> None:
    """Import thinc with torch hidden, unless either is imported already."""
    if "thinc" in sys.modules or "torch" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` raises ImportError meanwhile
    try:
        import thinc.compat  # noqa: F401
    finally:
        del sys.modules["torch"]
