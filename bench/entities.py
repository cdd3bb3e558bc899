"""The organisations rassegna finds on real articles, and the NER issue's checks on them.

    python bench/entities.py              # the 120 MEANTIME articles (../shared) and the bundled sample posts
    python bench/entities.py --top 30

For each corpus: the top organisations by articles (canonical names, as the warehouse's `entities` table
counts them), and the checks: no lowercase common noun among the top 50 organisations, no country or city
among the organisations, "Piccola e Media Impresa" never split into organisations.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MEANTIME = ROOT.parent / "shared" / "data" / "articles-meantime-it" / "articles.jsonl"
SAMPLES = ROOT / "data" / "samples" / "posts"


def meantime() -> list[tuple[str, str | None]]:
    if not MEANTIME.exists():
        return []
    rows = [json.loads(line) for line in MEANTIME.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["text"], row.get("title")) for row in rows]


def samples() -> list[tuple[str, str | None]]:
    from flows.records import Post
    from flows.settings import Source
    from flows.sources.files import collect_folder

    found = collect_folder(Source(name="samples", kind="folder", location=str(SAMPLES)))
    return [(post.text, post.title) for post in found if isinstance(post, Post)]


def organisations(nlp, texts: list[tuple[str, str | None]]) -> Counter:
    """Canonical organisation name -> number of articles it is found in."""
    from nlp.doc_records import pipe_safely

    counts: Counter = Counter()
    for doc in pipe_safely(nlp, [text for text, _ in texts], [title for _, title in texts]):
        counts.update({span._.canonical or span.text for span in doc.ents if span.label_ == "ORG"})
    return counts


def checks(counts: Counter, places) -> dict:
    from nlp.conventions import is_common_noun, is_place

    top50 = [name for name, _ in counts.most_common(50)]
    return {
        "lowercase_in_top_50": [name for name in top50 if is_common_noun(name)],
        "places_among_organisations": sorted(name for name in counts if is_place(name, places)),
        "pmi_fragments": sorted(name for name in counts if name in ("Piccola", "Media Impresa", "Media")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    from nlp import load

    nlp = load()
    places = nlp.get_pipe("rassegna_conventions").places
    report = {}
    for name, texts in (("meantime", meantime()), ("samples", samples())):
        if not texts:
            continue
        counts = organisations(nlp, texts)
        report[name] = {"articles": len(texts), "top": counts.most_common(args.top), **checks(counts, places)}
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
