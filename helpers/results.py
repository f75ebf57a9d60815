"""Record a notebook's key results so the regression tests can check them.

:func:`record_results` shows the results as a small table ("Key results of this notebook") and
keeps the same values, machine-readable, in the saved notebook under their own MIME type
(:data:`MIME`); no tagged line of JSON appears in what a reader sees. When ``$COURSE_RESULTS_DIR``
is set (``make test`` sets it before nbval re-executes the notebooks) the same JSON is also written
to ``$COURSE_RESULTS_DIR/<name>.json``. ``tests/test_key_results.py`` compares both with
``tests/expected_results/<name>.json`` within tolerances.

Types are stable: integers stay integers and every other real number is a float rounded to four
decimals (``0.0``, never ``0``), so a value that is exactly zero on one CPU and ``1e-9`` on another
is recorded the same way.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from numbers import Integral, Real
from pathlib import Path

#: MIME type under which the key results are stored in a notebook's outputs.
MIME = "application/vnd.llm-course.key-results+json"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_]*$")
DECIMALS = 4


def _clean(value, key: str):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"Result {key!r} is {value}; record finite numbers only.")
        return round(value, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    if isinstance(value, (list, tuple)):
        return [_clean(v, key) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean(v, f"{key}.{k}") for k, v in value.items()}
    # numpy scalars expose .item()
    if hasattr(value, "item") and not hasattr(value, "__len__"):
        return _clean(value.item(), key)
    raise ValueError(f"Result {key!r} has type {type(value).__name__}; use numbers, strings, lists or dicts.")


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:.{DECIMALS}f}"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return str(value)


def _bundle(payload: dict) -> dict:
    rows = [(k, _show(v)) for k, v in payload["results"].items()]
    width = max(len(k) for k, _ in rows)
    title = f"Key results of this notebook ({payload['name']})"
    text = "\n".join([title] + [f"  {k:<{width}}  {v}" for k, v in rows])
    cells = "".join(f"<tr><td style='text-align:left'>{html.escape(k)}</td>"
                    f"<td style='text-align:right'>{html.escape(v)}</td></tr>" for k, v in rows)
    table = (f"<details open><summary><b>{html.escape(title)}</b></summary>"
             f"<table><thead><tr><th>result</th><th>value</th></tr></thead><tbody>{cells}</tbody></table></details>")
    return {"text/plain": text, "text/html": table, MIME: payload}


def record_results(name: str, **results) -> dict:
    """Show and save a notebook's key results; returns the cleaned values.

    >>> record_results("day1_demo", accuracy=0.81254, n=16)   # doctest: +NORMALIZE_WHITESPACE
    Key results of this notebook (day1_demo)
      accuracy  0.8125
      n         16
    {'accuracy': 0.8125, 'n': 16}
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"name={name!r}: use lower-case letters, digits and underscores (e.g. 'day1_pipelines').")
    if not results:
        raise ValueError("record_results() got no results; pass them as keyword arguments, e.g. accuracy=acc.")
    clean = {k: _clean(v, k) for k, v in results.items()}
    payload = {"name": name, "results": clean}
    bundle = _bundle(payload)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python: print the readable table
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(bundle, raw=True)
    else:
        print(bundle["text/plain"])
    out_dir = os.environ.get("COURSE_RESULTS_DIR")
    if out_dir:
        path = Path(out_dir)
        path.mkdir(parents=True, exist_ok=True)
        (path / f"{name}.json").write_text(json.dumps(payload) + "\n")
    return clean


def parse_results(notebook) -> dict[str, dict]:
    """Key results stored in an executed notebook (an ``nbformat`` node or a path); ``{name: results}``.

    >>> parse_results("day_1/1_hf_ecosystem.ipynb")["day1_hf_ecosystem"]["embedding_dim"]   # doctest: +SKIP
    384
    """
    if isinstance(notebook, (str, os.PathLike)):
        import nbformat

        if not Path(notebook).is_file():
            raise FileNotFoundError(f"parse_results: notebook {str(notebook)!r} does not exist; pass the path of an "
                                    "executed .ipynb file (e.g. 'day_1/1_hf_ecosystem.ipynb').")
        notebook = nbformat.read(notebook, as_version=4)
    if not hasattr(notebook, "cells"):
        raise ValueError("parse_results needs a notebook (a path or nbformat.read(...)), "
                         f"got {type(notebook).__name__}.")
    found: dict[str, dict] = {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            shown = out.get("output_type") in ("display_data", "execute_result")
            payload = out.get("data", {}).get(MIME) if shown else None
            if payload is None:
                continue
            if not isinstance(payload, dict) or not {"name", "results"} <= set(payload):
                raise ValueError(f"A {MIME} output must hold {{'name': ..., 'results': {{...}}}}; got {payload!r:.80}.")
            if payload["name"] in found:
                raise ValueError(f"Key results {payload['name']!r} are recorded twice in one notebook; "
                                 "record them once.")
            found[payload["name"]] = payload["results"]
    return found
