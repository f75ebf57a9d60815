"""Record a notebook's key results so the regression tests can check them.

:func:`record_results` prints one tagged line (``KEY_RESULTS {json}``) — a human sees the numbers,
the committed notebook keeps them — and writes the same JSON to ``$COURSE_RESULTS_DIR/<name>.json``
when that variable is set (``make test`` sets it before nbval re-executes the notebooks).
``tests/test_key_results.py`` compares both with ``tests/expected_results/<name>.json`` within tolerances.
"""

from __future__ import annotations

import json
import math
import os
import re
from numbers import Real
from pathlib import Path

TAG = "KEY_RESULTS"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_]*$")


def _clean(value, key: str):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"Result {key!r} is {value}; record finite numbers only.")
        return int(value) if value.is_integer() and abs(value) < 2**53 else round(value, 4)
    if isinstance(value, (list, tuple)):
        return [_clean(v, key) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean(v, f"{key}.{k}") for k, v in value.items()}
    # numpy scalars expose .item()
    if hasattr(value, "item"):
        return _clean(value.item(), key)
    raise ValueError(f"Result {key!r} has type {type(value).__name__}; use numbers, strings, lists or dicts.")


def record_results(name: str, **results) -> dict:
    """Print and save a notebook's key results.

    >>> record_results("day1_demo", accuracy=0.8125, n=16)
    KEY_RESULTS {"name": "day1_demo", "results": {"accuracy": 0.8125, "n": 16}}
    {'accuracy': 0.8125, 'n': 16}
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"name={name!r}: use lower-case letters, digits and underscores (e.g. 'day1_pipelines').")
    if not results:
        raise ValueError("record_results() got no results; pass them as keyword arguments, e.g. accuracy=acc.")
    clean = {k: _clean(v, k) for k, v in results.items()}
    payload = {"name": name, "results": clean}
    line = json.dumps(payload, sort_keys=False)
    print(f"{TAG} {line}")
    out_dir = os.environ.get("COURSE_RESULTS_DIR")
    if out_dir:
        path = Path(out_dir)
        path.mkdir(parents=True, exist_ok=True)
        (path / f"{name}.json").write_text(line + "\n")
    return clean


def parse_results(text: str) -> dict[str, dict]:
    """Find every ``KEY_RESULTS`` line in ``text``; returns ``{name: results}``."""
    found = {}
    for line in text.splitlines():
        if line.startswith(TAG + " "):
            payload = json.loads(line[len(TAG) + 1:])
            found[payload["name"]] = payload["results"]
    return found
