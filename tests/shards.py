"""Run the whole test suite as parallel shards (``make test``): each shard is one pytest process that
re-executes its own notebooks (nbval) and checks their key results.

Why it pays: most notebook time is generation one token at a time, which a second CPU thread barely
speeds up, so two notebooks at once finish sooner than one after the other. With several shards each
runs PyTorch (and numpy) on one thread (``OMP_NUM_THREADS=1``), one shard per core: two shards of two
threads each share the two cores less well. Measured on AMD EPYC (2 cores), 3c and 4c at the same
time: 262 s and 254 s with one thread each, 291 s and 281 s with two threads each, and the same printed
outputs either way (the comparison table at the end of ``make test`` shows it for every notebook). Threads
also wait passively (``OMP_WAIT_POLICY=PASSIVE``): a thread without work sleeps instead of spinning on
a core the other shard needs (60 tokens generated one by one, two processes at once: 3.6 s each with
passive waiting, 11-13 s each spinning).

Notebooks are grouped by lesson (``3c_instruction_tuning`` and ``3c_solutions`` run in the same shard,
in path order), and a notebook that reads another's output joins its group (3d and 3e load the model
that 3c writes; each says "run day_3/3c_instruction_tuning.ipynb first" if it is missing). Groups are
spread over the shards by their reference wall time from the README table, longest first. Shard 1 also
runs everything under ``tests/``; ``--then CMD`` runs a shell command in the shard that finishes its
notebooks first. Each shard's output is printed line by line with its number in front; at the end the
per-notebook tables of all shards are merged into ``$COURSE_RESULTS_DIR``.

    python tests/shards.py [--shards N] [--then "make test-kernel-path"] [--tests PATHS] [day_2 ...]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A notebook that reads what another one writes says so in its error message for the missing file,
# "run day_3/3c_instruction_tuning.ipynb first": it then runs in the same shard, after that notebook.
NEEDS = re.compile(r"run (day_\d/[\w.-]+\.ipynb) first")
TESTS_SECONDS = 500         # everything under tests/ (unit tests, parameter variants, data rebuild) on AMD EPYC
UNKNOWN_SECONDS = 120       # a notebook not yet in the README table
TABLES = ["notebook_timings.txt", "notebook_comparison.txt"]


def reference_seconds() -> dict[str, float]:
    """Wall seconds per notebook from the README's reference table (``| `day_1/x.ipynb` | 73 | 2064 |``)."""
    rows = re.findall(r"^\s*\| `(day_\d/[^`]+\.ipynb)` \| (\d+(?:\.\d+)?) \|", (ROOT / "README.md").read_text(), re.M)
    return {path: float(sec) for path, sec in rows}


def run_after(notebooks: list[str]) -> dict[str, set[str]]:
    """For each notebook, the notebooks whose output it reads (named in its code as ``run ... first``)."""
    needs = {}
    for nb in notebooks:
        cells = json.loads((ROOT / nb).read_text())["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        needs[nb] = set(NEEDS.findall(code)) - {nb}
    return needs


def lesson_groups(notebooks: list[str]) -> list[list[str]]:
    """Notebooks grouped by lesson prefix (``day_3/3c``), groups joined along ``run_after``; path order
    within a group, so a notebook must come after the ones it reads (checked)."""
    group_of = {nb: nb.split("/")[0] + "/" + nb.split("/")[1].split("_")[0] for nb in notebooks}
    edges = [(later, earlier) for later, earlier_set in run_after(notebooks).items() for earlier in earlier_set]
    for later, earlier in edges:
        if not (ROOT / earlier).exists():
            raise ValueError(f"{later} says to run {earlier} first, but there is no such notebook")
        if not earlier < later:
            raise ValueError(f"{later} reads what {earlier} writes but comes first in path order: rename one")
        if earlier in group_of:         # not when only some notebooks were asked for
            old, new = group_of[later], group_of[earlier]
            group_of = {nb: new if g == old else g for nb, g in group_of.items()}
    groups: dict[str, list[str]] = {}
    for nb in sorted(notebooks):
        groups.setdefault(group_of[nb], []).append(nb)
    return list(groups.values())


def plan(notebooks: list[str], n_shards: int, seconds: dict[str, float]) -> list[list[str]]:
    """Longest group first, each to the shard with the least work so far; shard 1 starts with tests/."""
    load = [TESTS_SECONDS] + [0.0] * (n_shards - 1)
    shards: list[list[str]] = [[] for _ in range(n_shards)]
    weight = {tuple(g): sum(seconds.get(nb, UNKNOWN_SECONDS) for nb in g) for g in lesson_groups(notebooks)}
    for group in sorted(weight, key=lambda g: (-weight[g], g)):
        i = min(range(n_shards), key=lambda k: (load[k], k))
        shards[i].extend(group)
        load[i] += weight[group]
    return [sorted(s) for s in shards]


def thread_settings(environ, n_shards: int) -> dict[str, str]:
    """With several shards: one thread each (one shard per core), idle threads asleep; a value already
    set in the environment is kept. One shard keeps PyTorch's defaults."""
    if n_shards < 2:
        return {}
    wanted = {"OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE"}
    return {key: environ.get(key, value) for key, value in wanted.items()}


def _pump(stream, prefix: str, lock: threading.Lock) -> None:
    for line in iter(stream.readline, ""):
        with lock:
            sys.stdout.write(prefix + line)
            sys.stdout.flush()


def merge_tables(results: Path, shard_dirs: list[Path]) -> None:
    """One table per kind over all shards: the header once, notebook rows sorted, totals summed.

    Each shard's table is ``f"{notebook:<width}  {columns}"`` with a width of its own; the merged one
    pads every notebook to the widest and keeps the columns as they were printed."""
    for name in TABLES:
        parts = [d / name for d in shard_dirs if (d / name).exists()]
        if not parts:
            continue
        split = []          # (first column, the rest) of every line, by part
        for part in parts:
            lines = part.read_text().splitlines()
            width = len(lines[0]) - len(lines[0][len("notebook"):].lstrip()) - 2
            split.append([(ln[:width].rstrip(), ln[width + 2:]) for ln in lines])
        header = split[0][0]
        rows = sorted(r for table in split for r in table[1:] if r[0] != "total")
        totals = [r[1] for table in split for r in table[1:] if r[0] == "total"]
        if totals:      # the first part's total, each number replaced by the sum, right-aligned where it was
            rest = totals[0]
            sums = [sum(float(x) for x in col) for col in zip(*(t.split() for t in totals))]
            for m, value in reversed(list(zip(re.finditer(r"\S+", totals[0]), sums))):
                decimals = len(m.group().split(".")[1]) if "." in m.group() else 0
                text = f"{value:.{decimals}f}"
                begin = max(0, m.end() - len(text))
                rest = rest[:begin] + text + rest[m.end():]
            rows.append(("total", rest))
        width = max(len(first) for first, _ in [header, *rows])
        out = [f"{first:<{width}}  {rest}".rstrip() for first, rest in [header, *rows]]
        (results / name).write_text("\n".join(out) + "\n")
        print(f"\n== {name} (all shards) ==")
        print("\n".join(out))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shards", type=int, default=2, help="pytest processes at once (1 = one process)")
    ap.add_argument("--then", default="", help="shell command run, after its notebooks, by the shard that ends first")
    ap.add_argument("--tests", default="tests", help="what shard 1 runs besides its notebooks (default: tests)")
    ap.add_argument("--dry-run", action="store_true", help="print the plan and stop")
    ap.add_argument("only", nargs="*", help="notebooks or day folders to run (default: every day_*/*.ipynb)")
    args = ap.parse_args(argv)
    if args.shards < 1:
        ap.error(f"--shards must be a whole number >= 1, got {args.shards}")
    results = Path(os.environ.get("COURSE_RESULTS_DIR") or ROOT / "build" / "test-results")
    notebooks = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("day_*/*.ipynb"))
    if args.only:
        wanted = [str((ROOT / o).resolve().relative_to(ROOT)) for o in args.only]
        notebooks = [nb for nb in notebooks if any(nb == w or nb.startswith(w.rstrip("/") + "/") for w in wanted)]
        if not notebooks:
            ap.error(f"no notebook matches {args.only}; give notebook paths or day folders such as day_2")
    shards = plan(notebooks, args.shards, reference_seconds())
    for i, s in enumerate(shards, 1):
        print(f"shard {i}: {'tests/ + ' if i == 1 else ''}{len(s)} notebooks: {' '.join(s)}")
    if args.dry_run:
        return 0

    os.environ.update(thread_settings(os.environ, args.shards))     # inherited by every shard and its kernels
    lock, procs, threads, dirs, done_order = threading.Lock(), [], [], [], []
    start = time.perf_counter()
    then_taken = threading.Event()
    for i, nbs in enumerate(shards, 1):
        d = results / f"shard-{i}"
        dirs.append(d)
        env = dict(os.environ, COURSE_RESULTS_DIR=str(d))
        fresh_checks = ["tests/test_key_results.py::test_fresh_results_match_expected"]
        targets = (args.tests.split() if i == 1 else fresh_checks) + nbs
        cmd = [sys.executable, "-m", "pytest", "-m", "slow or not slow", "-p", "no:cacheprovider", *targets]
        procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True, bufsize=1))

    def run_shard(i: int, proc: subprocess.Popen) -> None:
        prefix = f"[{i}] " if args.shards > 1 else ""
        _pump(proc.stdout, prefix, lock)
        rc = [proc.wait()]
        with lock:
            print(f"{prefix}shard {i}: pytest exit status {rc[0]} after {time.perf_counter() - start:.0f} s",
                  flush=True)
        with lock:              # check and take in one step: only one shard runs --then
            take = bool(args.then) and not then_taken.is_set()
            then_taken.set()
        if take:
            extra = subprocess.Popen(args.then, shell=True, cwd=ROOT, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, bufsize=1,
                                     env=os.environ)
            _pump(extra.stdout, prefix, lock)
            rc.append(extra.wait())
            with lock:
                print(f"{prefix}shard {i}: `{args.then}` exit status {rc[-1]} after "
                      f"{time.perf_counter() - start:.0f} s", flush=True)
        done_order.append((i, rc))

    for i, proc in enumerate(procs, 1):
        t = threading.Thread(target=run_shard, args=(i, proc))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    merge_tables(results, dirs)
    failed = [(i, rc) for i, rc in sorted(done_order) if any(rc)]
    print(f"\n{len(shards)} shard(s) in {time.perf_counter() - start:.0f} s: "
          + ("all passed" if not failed else "FAILED in shard " + ", ".join(str(i) for i, _ in failed)
             + " (search this log for its [N] lines)"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
