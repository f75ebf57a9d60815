"""The expected key results (tests/expected_results/<name>.json) and the rule that compares a notebook's
recorded results with them: used by tests/test_key_results.py and by the nbval extension
(tests/nbval_tolerant.py), which compares a fresh run's key results with the committed ones by the same
per-key tolerances."""
from __future__ import annotations

import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# One file per recorded name: {key: {"value": v, "tol": t}} (absolute tolerance; no tol = exact).
# Update from a reference run (make execute) only after checking why a value moved.
EXPECTED = {p.stem: json.loads(p.read_text()) for p in sorted((ROOT / "tests" / "expected_results").glob("*.json"))}


def compare(name: str, got: dict, expected: dict) -> list[str]:
    problems = []
    for key, spec in expected.items():
        if key not in got:
            problems.append(f"{name}.{key}: not recorded")
            continue
        want, tol, value = spec["value"], spec.get("tol", 0), got[key]
        if isinstance(want, str) or isinstance(value, str):
            ok = value == want
        elif isinstance(want, list) or isinstance(value, list):     # e.g. a learning curve: element by element
            ok = (isinstance(want, list) and isinstance(value, list) and len(want) == len(value)
                  and all(v == w if isinstance(v, str) or isinstance(w, str)        # names: exactly
                          else v is not None and math.isfinite(v) and abs(v - w) <= tol + 1e-12
                          for v, w in zip(value, want)))
        else:
            ok = value is not None and math.isfinite(value) and abs(value - want) <= tol + 1e-12
        if not ok:
            problems.append(f"{name}.{key}: got {value!r}, expected {want!r} ± {tol}")
    return problems
