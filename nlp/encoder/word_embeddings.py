"""One word-embedding table per encoder and process, shared by every model built on that encoder.

The table (250k rows × 384 for e5-small) is frozen everywhere: heads are saved without it and
training never updates it, so the tagger and the tone model (training, the separate models) can read the
same tensor. The first model built on an encoder gives its table; each later model drops its own
(memory-mapped by `transformers` and never read, so it never becomes resident).
"""

from __future__ import annotations

_TABLES: dict = {}  # encoder name -> the shared torch.nn.Embedding


def share_word_embeddings(model, encoder: str):
    """Give `model` (a `transformers` model built on `encoder`) the process's frozen word embeddings; return it.

    The first model shared for an encoder keeps its own table, now frozen, and every later one gets
    that same module; modules and state-dict keys keep their names.
    """
    table = _TABLES.setdefault(encoder, model.get_input_embeddings())
    table.weight.requires_grad_(False)
    model.set_input_embeddings(table)
    return model
