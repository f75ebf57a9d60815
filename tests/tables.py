"""The two summary tables at the end of a test run, built from their numbers in one place.

Each pytest process that re-executes notebooks prints the tables and keeps them in
``$COURSE_RESULTS_DIR``: the text as printed (``<kind>.txt``) and the numbers behind it
(``<kind>.json``). ``tests/shards.py`` merges the jobs' JSON files and formats the merged numbers with
the same functions, so the merged table never has to be read back from text.

* ``notebook_timings``: per notebook ``[wall seconds, kernel peak MB or None]``;
* ``notebook_comparison``: per notebook ``[outputs exact, outputs within tolerance, largest relative
  difference, the cell where it was seen]``.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

KINDS = ["notebook_timings", "notebook_comparison"]
TITLES = {"notebook_timings": "notebooks re-executed by nbval: wall time and kernel peak memory",
          "notebook_comparison": "notebook outputs compared with the committed ones (numbers within float jitter)"}


def timings_table(rows: dict[str, list]) -> list[str]:
    if not rows:
        return []
    width = max(len(nb) for nb in rows)
    lines = [f"{'notebook':<{width}}  wall s  peak MB"]
    for nb in sorted(rows):
        seconds, peak = rows[nb]
        lines.append(f"{nb:<{width}}  {seconds:6.1f}  " + (f"{peak:7.0f}" if peak else "    n/a"))
    lines.append(f"{'total':<{width}}  {sum(r[0] for r in rows.values()):6.1f}")
    return lines


def comparison_table(rows: dict[str, list]) -> list[str]:
    if not rows:
        return []
    width = max(len(nb) for nb in rows)
    lines = [f"{'notebook':<{width}}  exact  within tolerance  largest relative difference"]
    for nb in sorted(rows):
        exact, tolerant, max_rel, cell = rows[nb]
        where = f"{max_rel:.1e} (cell {cell})" if tolerant else "-"
        lines.append(f"{nb:<{width}}  {exact:5d}  {tolerant:16d}  {where}")
    total_exact, total_tol = sum(r[0] for r in rows.values()), sum(r[1] for r in rows.values())
    lines.append(f"{'total':<{width}}  {total_exact:5d}  {total_tol:16d}")
    return lines


FORMAT = {"notebook_timings": timings_table, "notebook_comparison": comparison_table}


def save(kind: str, rows: dict[str, list], folder: Path) -> list[str]:
    """Write ``<kind>.json`` (the numbers) and ``<kind>.txt`` (the table) to ``folder``; return the lines."""
    if kind not in FORMAT:
        raise ValueError(f"unknown table {kind!r}; one of {KINDS}")
    lines = FORMAT[kind](rows)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{kind}.json").write_text(json.dumps(rows, indent=1, sort_keys=True) + "\n")
    (folder / f"{kind}.txt").write_text("\n".join(lines) + "\n")
    return lines


def report(terminalreporter, kind: str, rows: dict[str, list]) -> None:
    """Print the table at the end of a pytest run and keep it in ``$COURSE_RESULTS_DIR`` if set."""
    if not rows:
        return
    out = os.environ.get("COURSE_RESULTS_DIR")
    lines = save(kind, rows, Path(out)) if out else FORMAT[kind](rows)
    terminalreporter.write_sep("=", TITLES[kind])
    for line in lines:
        terminalreporter.write_line(line)


def merge(kind: str, folders: list[Path]) -> dict[str, list]:
    """The rows of ``kind`` from every folder that has them; a notebook in two folders is an error."""
    merged: dict[str, list] = {}
    for folder in folders:
        path = folder / f"{kind}.json"
        if not path.exists():
            continue
        for nb, row in json.loads(path.read_text()).items():
            if nb in merged:
                raise ValueError(f"{nb} is in two jobs' {kind} ({path}); each notebook runs in one job")
            merged[nb] = row
    return merged
