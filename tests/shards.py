"""Run the whole test suite on several workers at once (``make test``): the workers share one queue of
jobs, each job one pytest process, and a worker that finishes a job takes the next one.

Jobs: the notebooks of one lesson (``3c_instruction_tuning`` and ``3c_solutions``, in path order),
re-executed by nbval with their key results checked, and everything under ``tests/`` as one more job.
A notebook that reads another's output joins that notebook's job (3d and 3e load the model that 3c
writes; each says "run day_3/3c_instruction_tuning.ipynb first" if it is missing). The queue starts
with the longest job (reference wall times from the README table), so the short ones fill in at the
end. Because a free worker takes the next job, the split does not depend on the reference times being
right: a notebook's time varies by up to a third between runs. ``--command-job NAME SECONDS CMD`` puts
a shell command in the queue as one more job, placed by its SECONDS like the others (``make test``: the
second kernel path, Day 1 again on PyTorch's plain kernels). Each worker's output is printed line by
line with its number in front; at the end the per-notebook tables of all jobs are merged into
``$COURSE_RESULTS_DIR`` (``tests/tables.py``).
``--shards 1`` runs everything in one pytest process.

Why two at once pays: most notebook time is generation one token at a time, which a second CPU
thread barely speeds up, so two notebooks at once finish sooner than one after the other. With
several workers each runs PyTorch (and numpy) on one thread (``OMP_NUM_THREADS=1``), one worker per
core: two processes of two threads each share the two cores less well. Measured on AMD EPYC (2 cores),
3c and 4c at the same time: 262 s and 254 s with one thread each, 291 s and 281 s with two threads
each, and the same printed outputs either way (the comparison table at the end of ``make test``
shows it for every notebook). Threads also wait passively (``OMP_WAIT_POLICY=PASSIVE``): a thread
without work sleeps instead of spinning on a core the other process needs (60 tokens generated one
by one, two processes at once: 3.6 s each with passive waiting, 11-13 s each spinning).

    python tests/shards.py [--shards N] [--command-job NAME SECONDS CMD] [--tests PATHS] [--dry-run] [day_2 ...]
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

import tables  # tests/ is the folder of this script

ROOT = Path(__file__).resolve().parent.parent
# A notebook that reads what another one writes says so in its error message for the missing file,
# "run day_3/3c_instruction_tuning.ipynb first": it then runs in the same job, after that notebook.
NEEDS = re.compile(r"run (day_\d/[\w.-]+\.ipynb) first")
TESTS_SECONDS = 500         # everything under tests/ (unit tests, parameter variants, data rebuild) on AMD EPYC
UNKNOWN_SECONDS = 120       # a notebook not yet in the README table
# every notebook job also checks the key results its notebooks recorded in that pytest process
FRESH_CHECK = "tests/test_key_results.py::test_fresh_results_match_expected"


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


def jobs(notebooks: list[str], seconds: dict[str, float], tests: list[str],
         commands: dict[str, tuple[float, str]] | None = None) -> list[tuple[str, list[str], float]]:
    """The queue: ``(name, targets, reference seconds)`` per job, longest first. One job per lesson group
    (pytest targets: its notebooks and the fresh key-results check), one for ``tests`` if given, and one
    per entry of ``commands`` (name -> (seconds, shell command); the target is the command)."""
    queue = [("tests", list(tests), float(TESTS_SECONDS))] if tests else []
    queue += [(name, [cmd], float(sec)) for name, (sec, cmd) in (commands or {}).items()]
    for group in lesson_groups(notebooks):
        name = group[0].split("/")[0] + "/" + group[0].split("/")[1].split("_")[0]
        queue.append((name, [FRESH_CHECK, *group], sum(seconds.get(nb, UNKNOWN_SECONDS) for nb in group)))
    return sorted(queue, key=lambda job: (-job[2], job[0]))


def simulate(queue: list[tuple[str, list[str], float]], n_workers: int) -> list[tuple[list[str], float]]:
    """What each worker would run, and until when, if every job took its reference time: the jobs in
    queue order, each to the worker that is free first (what ``main`` does with the real times)."""
    free, taken = [0.0] * n_workers, [[] for _ in range(n_workers)]
    for name, _, sec in queue:
        i = min(range(n_workers), key=lambda k: (free[k], k))
        taken[i].append(name)
        free[i] += sec
    return list(zip(taken, free))


def thread_settings(environ, n_shards: int) -> dict[str, str]:
    """With several workers: one thread each (one worker per core), idle threads asleep; a value already
    set in the environment is kept. One worker keeps PyTorch's defaults."""
    if n_shards < 2:
        return {}
    wanted = {"OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE"}
    return {key: environ.get(key, value) for key, value in wanted.items()}


def _pump(stream, prefix: str, lock: threading.Lock) -> None:
    for line in iter(stream.readline, ""):
        with lock:
            sys.stdout.write(prefix + line)
            sys.stdout.flush()


def merge_tables(results: Path, job_dirs: list[Path]) -> None:
    """One table per kind over all jobs, from the numbers each job saved (``tests/tables.py``)."""
    for kind in tables.KINDS:
        rows = tables.merge(kind, job_dirs)
        if rows:
            lines = tables.save(kind, rows, results)
            print(f"\n== {kind}.txt (all jobs) ==")
            print("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shards", type=int, default=2, help="workers, i.e. pytest processes at once (1 = one process)")
    ap.add_argument("--command-job", nargs=3, action="append", default=[], metavar=("NAME", "SECONDS", "CMD"),
                    help="a shell command as one more job of the queue, placed as if it took SECONDS")
    ap.add_argument("--tests", default="tests", help="the job besides the notebooks (default: tests)")
    ap.add_argument("--dry-run", action="store_true", help="print the queue and stop")
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
    commands = {}
    for name, sec, cmd in args.command_job:
        if name in commands or name == "tests" or "/" in name:
            ap.error(f"--command-job name {name!r} is taken or looks like a lesson; choose another")
        try:
            commands[name] = (float(sec), cmd)
        except ValueError:
            ap.error(f"--command-job {name!r}: SECONDS must be a number, got {sec!r}")
    queue = jobs(notebooks, reference_seconds(), args.tests.split(), commands)
    if args.shards == 1:            # one process: everything in one pytest run, then the commands
        pytest_seconds = sum(job[2] for job in queue if job[0] not in commands)
        queue = [("everything", [*args.tests.split(), *notebooks], pytest_seconds),
                 *[job for job in queue if job[0] in commands]]
    print(f"{len(queue)} job(s), longest first (reference seconds), on {args.shards} worker(s):")
    for name, targets, sec in queue:
        print(f"  {name:10s} {sec:6.0f}  {' '.join(t for t in targets if t != FRESH_CHECK)}")
    if args.dry_run:
        for w, (names, until) in enumerate(simulate(queue, args.shards), 1):
            print(f"worker {w} with the reference times: {' '.join(names)} (until {until:.0f} s)")
        return 0

    os.environ.update(thread_settings(os.environ, args.shards))     # inherited by every job and its kernels
    lock, threads, dirs, outcomes = threading.Lock(), [], [], []
    pending = list(enumerate(queue, 1))
    start = time.perf_counter()

    def say(prefix: str, text: str) -> None:
        with lock:
            print(f"{prefix}{text} after {time.perf_counter() - start:.0f} s", flush=True)

    def worker(w: int) -> None:
        prefix = f"[{w}] " if args.shards > 1 else ""
        while True:
            with lock:
                if not pending:
                    break
                k, (name, targets, _) = pending.pop(0)
                d = results / f"job-{k:02d}"
                if name not in commands:      # a shell command chooses its own results folder
                    dirs.append(d)
            say(prefix, f"job {name}: starts")
            if name in commands:
                proc = subprocess.Popen(targets[0], shell=True, cwd=ROOT, env=dict(os.environ),
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
            else:
                cmd = [sys.executable, "-m", "pytest", "-m", "slow or not slow", "-p", "no:cacheprovider", *targets]
                proc = subprocess.Popen(cmd, cwd=ROOT, env=dict(os.environ, COURSE_RESULTS_DIR=str(d)),
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
            _pump(proc.stdout, prefix, lock)
            rc = proc.wait()
            outcomes.append((name, rc))
            say(prefix, f"job {name}: {'exit' if name in commands else 'pytest exit'} status {rc}")

    for w in range(1, args.shards + 1):
        t = threading.Thread(target=worker, args=(w,))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    merge_tables(results, sorted(dirs))
    failed = [name for name, rc in outcomes if rc]
    print(f"\n{len(outcomes)} job(s) on {args.shards} worker(s) in {time.perf_counter() - start:.0f} s: "
          + ("all passed" if not failed else "FAILED: " + ", ".join(failed)
             + " (search this log for 'job NAME: starts')"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
