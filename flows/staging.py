"""Hand-offs between ingest tasks: JSON-lines files in the run's staging folder, written atomically."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from flows.warehouse.atomic import atomic_path


def write_jsonl(path: Path, records: Iterable[dict]) -> Path:
    with atomic_path(path) as temp, temp.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def read_jsonl(path: Path) -> Iterator[dict]:
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
