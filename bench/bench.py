"""Speed and memory of rassegna on the 120 MEANTIME articles in ../shared (targets live here, not in tests).

    python bench/bench.py            # all measurements
    python bench/bench.py --only analyse
    python bench/bench.py --only dataset
    python bench/bench.py --only baselines
    python bench/bench.py --only analyse_1000
    python bench/bench.py --only accuracy

Measures, on this machine:
- `rassegna analyse` end to end (a subprocess, as a user runs it): articles/s, peak RSS, articles by tone; on the
  120 articles, and on them replicated to 1,000 with distinct ids;
- the NER stage (the one encoder pass over titles and sentences, and the entities decoded from it): words/s;
  target >= 1,500;
- tone + themes + summary on its output (the tone reads the pass; the themes' lead pass is timed here):
  articles/s; target >= 4;
- `rassegna run` on a folder holding the 1,000 replicated articles (the 120 originals are stored, the copies
  rejected as duplicates), then again unchanged (no Prefect server): seconds of each, and the warehouse's bytes
  per stored article, per table (what docs/scaling.md grows from);
- the baselines of bench/baselines.py on the same sentences (the base encoder's forward pass alone, and
  plain `transformers` pipelines per article; both with their models loaded beforehand), and `rassegna analyse`
  end to end, model load included, as a multiple of each; and the warm pipeline's as a multiple of the naive one;
- the dev scores of bench/accuracy.py: the one pass in int8 (the default) against fp32 (the separate models'
  scores); target: no dev score more than 0.01 below fp32's;
- `targets`: each measured figure against its target (`TARGETS`), met or not.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEANTIME = ROOT.parent / "shared" / "data" / "articles-meantime-it" / "articles.jsonl"
# (section, measurement): (target, "min" or "max")
TARGETS = {
    ("stages", "ner_words_per_s"): (1500, "min"),
    ("stages", "tone_themes_summary_articles_per_s"): (4.0, "min"),
    ("analyse", "articles_per_s_including_model_load"): (5.0, "min"),
    ("analyse", "peak_rss_mb"): (1200, "max"),
    ("analyse_1000", "articles_per_s_including_model_load"): (8.0, "min"),
    ("ratios", "analyse_vs_encoder_alone"): (0.75, "min"),
    ("ratios", "analyse_vs_naive_transformers_pipelines"): (3.0, "min"),
    ("dataset", "unchanged_rerun_s"): (5.0, "max"),
    ("accuracy", "largest_int8_drop"): (0.01, "max"),
}


def articles() -> list[dict]:
    if not MEANTIME.exists():
        sys.exit(f"benchmark data not found: {MEANTIME}")
    return [json.loads(line) for line in MEANTIME.read_text().splitlines() if line.strip()]


def replicated(items: list[dict], total: int) -> list[dict]:
    """`items` repeated up to `total`, each copy with its own id."""
    return [{**items[n % len(items)], "id": f"{items[n % len(items)]['id']}-{n // len(items)}"} for n in range(total)]


def bench_analyse(items: list[dict]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        source.write_text("".join(json.dumps({k: a[k] for k in ("id", "text", "title", "date")}) + "\n" for a in items))
        started = time.perf_counter()
        command = [str(Path(sys.executable).parent / "rassegna"), "analyse", str(source), "-o", str(target)]
        subprocess.run(command, check=True, env={**os.environ, "RASSEGNA_PROGRESS": "0"}, cwd=ROOT)
        seconds = time.perf_counter() - started
        out = [json.loads(line) for line in target.read_text().splitlines()]
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "articles": len(out),
        "errors": sum("error" in r for r in out),
        "seconds_including_model_load": round(seconds, 1),
        "articles_per_s_including_model_load": round(len(out) / seconds, 2),
        "peak_rss_mb": round(peak_mb),
        "articles_by_tone": dict(Counter(r["sentiment"]["label"] for r in out if r.get("sentiment"))),
    }


def _timed_pipe(nlp, items: list[dict], enable: list[str], docs=None) -> tuple[float, list]:
    """Seconds to run the `enable` components over the articles (or over `docs` already part-analysed)."""
    from nlp.doc_records import titled_doc

    with nlp.select_pipes(enable=enable):
        warm_up = docs[:4] if docs is not None else [titled_doc(nlp, a["text"], a["title"]) for a in items[:4]]
        list(nlp.pipe(warm_up))
        started = time.perf_counter()
        inputs = docs if docs is not None else (titled_doc(nlp, a["text"], a["title"]) for a in items)
        out = list(nlp.pipe(inputs, batch_size=32))
        return time.perf_counter() - started, out


def bench_stages(items: list[dict]) -> dict:
    from nlp import load

    nlp = load()
    words = sum(len(a["text"].split()) for a in items)
    base = [name for name in ("sentencizer", "parser", "senter", "lemmatizer") if name in nlp.pipe_names]
    ner, _ = _timed_pipe(nlp, items, base + ["rassegna_encoder", "rassegna_entities"])
    rest = ["rassegna_tone", "rassegna_themes", "rassegna_summary"]
    _, entities = _timed_pipe(nlp, items, [name for name in nlp.pipe_names if name not in rest])
    tone, _ = _timed_pipe(nlp, items, rest, docs=entities)
    whole, _ = _timed_pipe(nlp, items, nlp.pipe_names)
    return {
        "words": words,
        "ner_words_per_s": round(words / ner),
        "tone_themes_summary_articles_per_s": round(len(items) / tone, 2),
        "full_pipeline_articles_per_s": round(len(items) / whole, 2),
        "full_pipeline_words_per_s": round(words / whole),
    }


def _timed_run(config: Path) -> float:
    started = time.perf_counter()
    command = [str(Path(sys.executable).parent / "rassegna"), "run", "--config", str(config)]
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    subprocess.run(command, check=True, env={**env, "RASSEGNA_PROGRESS": "0"}, cwd=config.parent)
    return time.perf_counter() - started


def bench_dataset(items: list[dict]) -> dict:
    from flows.warehouse import Warehouse

    with tempfile.TemporaryDirectory() as tmp:
        posts = Path(tmp) / "posts"
        posts.mkdir()
        (posts / "meantime.jsonl").write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in items))
        config = Path(tmp) / "rassegna.toml"
        config.write_text('[[sources]]\nname = "meantime"\nkind = "folder"\nlocation = "posts"\n')
        first, unchanged = _timed_run(config), _timed_run(config)
        folder = Path(tmp) / "data" / "warehouse"
        with Warehouse(folder).connect() as db:
            stored = db.execute("SELECT count(*) FROM articles").fetchone()[0]
            rejected = db.execute("SELECT count(*) FROM rejected").fetchone()[0]
        sizes = {
            table.name: sum(f.stat().st_size for f in table.rglob("*.parquet"))
            for table in sorted(folder.iterdir())
            if table.is_dir() and any(table.rglob("*.parquet"))
        }
    return {
        "items": len(items),
        "articles_stored": stored,
        "items_rejected": rejected,
        "first_run_s": round(first, 1),
        "unchanged_rerun_s": round(unchanged, 1),
        "bytes_per_article": {name: round(size / stored) for name, size in sizes.items()},
        "mb_per_10000_articles": round(sum(sizes.values()) / stored * 10_000 / 1e6, 1),
    }


def bench_baselines(items: list[dict]) -> dict:
    import baselines  # bench/baselines.py, beside this script

    from nlp.settings import NLPSettings

    settings = NLPSettings()
    return {
        "encoder_alone": baselines.encoder_alone(items),
        "naive_transformers_pipelines": baselines.naive(items, settings.entities.model, settings.tone.model),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--only",
        choices=["analyse", "analyse_1000", "stages", "dataset", "baselines", "accuracy"],
        help="run one measurement",
    )
    args = parser.parse_args()
    items = articles()
    results = {}
    if args.only in (None, "analyse"):
        results["analyse"] = bench_analyse(items)
    if args.only in (None, "analyse_1000"):
        results["analyse_1000"] = bench_analyse(replicated(items, 1000))
    if args.only in (None, "stages"):
        results["stages"] = bench_stages(items)
    if args.only in (None, "dataset"):
        results["dataset"] = bench_dataset(replicated(items, 1000))
    if args.only in (None, "baselines"):
        results["baselines"] = bench_baselines(items)
    if args.only in (None, "accuracy"):
        import accuracy  # bench/accuracy.py, beside this script

        results["accuracy"] = accuracy.report()
    if "analyse" in results and "baselines" in results:
        end_to_end = results["analyse"]["articles_per_s_including_model_load"]
        results["ratios"] = {
            f"analyse_vs_{name}": round(end_to_end / measured["articles_per_s"], 2)
            for name, measured in results["baselines"].items()
        }
        if "stages" in results:  # like with like: the baselines' figures leave their model load out too
            warm = results["stages"]["full_pipeline_articles_per_s"]
            naive = results["baselines"]["naive_transformers_pipelines"]["articles_per_s"]
            results["ratios"]["warm_pipeline_vs_naive_transformers_pipelines"] = round(warm / naive, 2)
    results["targets"] = {
        f"{section}.{name}": {
            "target": target,
            "measured": (measured := results[section][name]),
            "met": measured >= target if bound == "min" else measured <= target,
        }
        for (section, name), (target, bound) in TARGETS.items()
        if section in results
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
