"""Kill a real `rassegna run` with SIGKILL, again and again, and count what the dataset lost or doubled.

    python bench/faults.py                      # every kill point once, then 10 kills at random moments
    python bench/faults.py --random 30 --seed 5

Each kill lands at a named point of the run (`flows/failpoints.py`: after collection, after analysis, before
the store and after each table it writes) or at a random moment from outside, each on a warehouse of its own.
A clean run then finishes the job; its dataset is compared row by row with that of a run that never crashed.
Target: 0 rows lost and 0 duplicated in every table.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.failpoints import KILL_AT  # noqa: E402
from flows.warehouse import Warehouse  # noqa: E402

POINTS = [
    "collect",
    "analyse",
    "store",
    "store:articles",
    "store:mentions",
    "store:themes",
    "store:rejected",
    "store:runs",
    "store:entities",
]
# all but what a re-run may change: run ids and collection times
DATASET = {
    "articles": "SELECT * EXCLUDE (run_id, collected_at) FROM articles",
    "mentions": "SELECT * EXCLUDE (run_id) FROM mentions",
    "themes": "SELECT * EXCLUDE (run_id) FROM themes",
    "rejected": "SELECT * EXCLUDE (run_id, collected_at) FROM rejected",
    "entities": "SELECT * EXCLUDE (first_seen, last_seen) FROM entities",
}


def make_config(folder: Path, posts: Path) -> Path:
    """A configuration with one folder source, `posts`, and its warehouse in `folder`."""
    config = folder.with_suffix(".toml")
    config.write_text(
        f'[[sources]]\nname = "posts"\nkind = "folder"\nlocation = "{posts}"\n'
        f'[warehouse]\nfolder = "{folder}"\n[http]\ncache_file = "{folder}/http_cache.json"\n'
    )
    return config


def start(config: Path, *args: str, kill_at: str | None = None) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if key not in ("PREFECT_API_URL", KILL_AT)}
    env["RASSEGNA_PROGRESS"] = "0"
    if kill_at:
        env[KILL_AT] = kill_at
    command = [sys.executable, "-c", "from flows.cli import app; app()", *args, "--config", str(config)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(process: subprocess.Popen) -> tuple[int, str]:
    output, _ = process.communicate(timeout=900)
    return process.returncode, output


def killed_at(config: Path, point: str) -> int:
    return finish(start(config, "run", kill_at=point))[0]


def killed_after(config: Path, seconds: float) -> int:
    process = start(config, "run")
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    return finish(process)[0]


def dataset(folder: Path) -> dict[str, Counter]:
    with Warehouse(folder).connect() as con:
        return {table: Counter(map(repr, con.execute(sql).fetchall())) for table, sql in DATASET.items()}


def differences(expected: dict[str, Counter], got: dict[str, Counter]) -> dict[str, tuple[int, int]]:
    """Per table: (rows lost, rows duplicated or extra) of `got` against `expected`."""
    return {
        table: (sum((expected[table] - got[table]).values()), sum((got[table] - expected[table]).values()))
        for table in expected
    }


def baseline(workdir: Path, posts: Path) -> dict[str, Counter]:
    """The dataset of one run that never crashed."""
    config = make_config(workdir / "baseline", posts)
    code, output = finish(start(config, "run"))
    if code != 0:
        raise RuntimeError(f"the uninterrupted run failed: {output}")
    return dataset(workdir / "baseline")


def inject(
    workdir: Path, posts: Path, points: list[str], moments: list[float], expected: dict[str, Counter] | None = None
) -> dict:
    """Kill runs at `points`, then after each of `moments` seconds, finish with a clean run; compare with
    `expected` (else with a baseline run made here)."""
    workdir.mkdir(parents=True, exist_ok=True)
    expected = expected or baseline(workdir, posts)
    config = make_config(workdir / "crashed", posts)
    kills = [(point, killed_at(config, point)) for point in points]
    kills += [(f"after {moment:.1f}s", killed_after(config, moment)) for moment in moments]
    code, output = finish(start(config, "run"))
    if code != 0:
        raise RuntimeError(f"the clean run after the kills failed: {output}")
    return {
        "kills": kills,
        "differences": differences(expected, dataset(workdir / "crashed")),
        "rows": {table: sum(rows.values()) for table, rows in expected.items()},
        "staging_left": sorted(p.name for p in (workdir / "crashed").glob("staging/*")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=Path, default=ROOT / "data" / "samples" / "posts")
    parser.add_argument("--random", type=int, default=10, help="kills at random moments, after the named points")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--longest", type=float, default=15.0, help="latest random kill, seconds after the start")
    args = parser.parse_args()
    chance = random.Random(args.seed)
    points = chance.sample(POINTS, len(POINTS))
    moments = [chance.uniform(0.5, args.longest) for _ in range(args.random)]
    with tempfile.TemporaryDirectory() as tmp:
        posts = Path(tmp) / "posts"
        shutil.copytree(args.posts, posts)
        started = time.perf_counter()
        expected = baseline(Path(tmp), posts)
        # each kill on a warehouse of its own, so every one lands while the run still has work to do
        plans = [([point], []) for point in points] + [([], [moment]) for moment in moments]
        reports = [inject(Path(tmp) / str(n), posts, *plan, expected=expected) for n, plan in enumerate(plans)]
    kills = [kill for report in reports for kill in report["kills"]]
    killed = sum(code == -signal.SIGKILL for _, code in kills)
    print(f"{len(kills)} runs on as many warehouses, {killed} killed by SIGKILL, each followed by a clean run:")
    for what, code in kills:
        print(f"  {what:<16} {'killed' if code == -signal.SIGKILL else f'exit {code} (finished first)'}")
    print(f"{'table':<10} {'rows':>6} {'lost':>6} {'doubled':>8}   (summed over the {len(reports)} warehouses)")
    for table in expected:
        lost = sum(report["differences"][table][0] for report in reports)
        doubled = sum(report["differences"][table][1] for report in reports)
        print(f"{table:<10} {sum(expected[table].values()):>6} {lost:>6} {doubled:>8}")
    left = sum(len(report["staging_left"]) for report in reports)
    print(f"staging folders left: {left}; {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
