"""Execute the course notebooks headless with papermill (``make run`` / ``make execute``).

``python -m helpers.runner run --out build``   executes copies into ``build/`` and prints a table:
notebook, status, wall seconds, peak memory (MB). Exit status 1 if any notebook failed, after
showing the failing cell.
``python -m helpers.runner execute``           re-executes the notebooks in place (refreshes the
committed reference outputs).

Each notebook runs in its own child process so its peak memory (the kernel's maximum resident set
size) can be measured with ``getrusage(RUSAGE_CHILDREN)``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from helpers.env import repo_root

# Runs inside the child process: execute one notebook, then report the peak RSS of the kernel.
_CHILD = r"""
import json, resource, sys, papermill as pm
src, dst, cwd, params = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
status, error = "ok", ""
try:
    pm.execute_notebook(src, dst, cwd=cwd, parameters=params, kernel_name="python3",
                        progress_bar=False, log_output=False, request_save_on_cell_execute=False)
except pm.PapermillExecutionError as exc:
    status = "FAILED"
    error = f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}\n{''.join(exc.traceback[-6:])}"
except Exception as exc:  # kernel died, notebook unreadable, ...
    status, error = "FAILED", f"{type(exc).__name__}: {exc}"
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("RUNNER_RESULT " + json.dumps({"status": status, "error": error, "peak_mb": peak_kb / 1024}))
"""


def find_notebooks(root: Path | None = None, pattern: str | None = None) -> list[Path]:
    """All ``day_*/*.ipynb`` notebooks in order (optionally only names containing ``pattern``)."""
    root = root or repo_root()
    nbs = sorted(p for p in root.glob("day_*/*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    if pattern:
        nbs = [p for p in nbs if pattern in str(p.relative_to(root))]
    return nbs


def execute(notebook: Path, output: Path, parameters: dict | None = None) -> dict:
    """Execute ``notebook`` into ``output`` in a child process; returns status, seconds, peak MB."""
    notebook = Path(notebook)
    if not notebook.exists():
        raise FileNotFoundError(f"Notebook {notebook} does not exist.")
    output.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(notebook), str(output), str(notebook.parent),
         json.dumps(parameters or {})],
        capture_output=True, text=True)
    seconds = time.perf_counter() - start
    result = {"status": "FAILED", "error": proc.stderr[-3000:], "peak_mb": float("nan")}
    for line in proc.stdout.splitlines():
        if line.startswith("RUNNER_RESULT "):
            result = json.loads(line[len("RUNNER_RESULT "):])
    result["seconds"] = seconds
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.runner")
    parser.add_argument("mode", choices=["run", "execute"],
                        help="run: copies into --out; execute: in place (refresh committed outputs)")
    parser.add_argument("--out", default="build", help="output folder for `run` (default: build)")
    parser.add_argument("--only", default=None, help="only notebooks whose path contains this text")
    args = parser.parse_args(argv)

    root = repo_root()
    notebooks = find_notebooks(root, args.only)
    if not notebooks:
        print(f"No notebooks match {args.only!r}.", file=sys.stderr)
        return 1
    rows, failed = [], []
    for nb in notebooks:
        rel = nb.relative_to(root)
        out = nb if args.mode == "execute" else root / args.out / rel
        print(f"executing {rel} ...", flush=True)
        res = execute(nb, out)
        rows.append((str(rel), res["status"], res["seconds"], res["peak_mb"]))
        if res["status"] != "ok":
            failed.append((rel, res["error"]))
    width = max(len(r[0]) for r in rows)
    print(f"\n{'notebook':<{width}}  status  wall s  peak MB")
    for name, status, secs, mb in rows:
        print(f"{name:<{width}}  {status:<6}  {secs:6.1f}  {mb:7.0f}")
    print(f"{'total':<{width}}          {sum(r[2] for r in rows):6.1f}")
    for rel, err in failed:
        print(f"\n--- {rel} failed ---\n{err}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
