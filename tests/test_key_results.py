"""Key results recorded by each notebook, checked against tests/expected_results/<name>.json.

Two sources are checked: the committed reference outputs (always), and the results the notebooks
recorded when nbval re-executed them in this pytest session (``$COURSE_RESULTS_DIR``, set by
``make test``). A real regression in a number therefore fails even if its printed text was sanitized.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from helpers.results import parse_results
from keyresults import EXPECTED, compare  # tests/ is on sys.path (root conftest.py)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in ROOT.glob("day_*/*.ipynb"))


def committed_results(nb_path: Path) -> dict[str, dict]:
    return parse_results(nbformat.read(nb_path, as_version=4))


def test_every_notebook_records_checked_results():
    assert NOTEBOOKS, "no notebooks found"
    recorded = {}
    for nb in NOTEBOOKS:
        res = committed_results(nb)
        assert res, f"{nb.relative_to(ROOT)} records no key results (call helpers.record_results)"
        recorded.update(res)
    assert set(recorded) == set(EXPECTED), (
        f"recorded {sorted(recorded)} but tests/expected_results/ covers {sorted(EXPECTED)}")


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_results_match_expected(nb_path):
    problems = [p for name, res in committed_results(nb_path).items()
                for p in compare(name, res, EXPECTED.get(name, {}))]
    assert not problems, "\n".join(problems)


@pytest.mark.after_notebooks
@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_fresh_results_match_expected(nb_path, request):
    executed = getattr(request.config, "_course_executed_notebooks", set())
    if nb_path.resolve() not in executed:
        pytest.skip("notebook not re-executed in this session (run `make test`)")
    out_dir = os.environ.get("COURSE_RESULTS_DIR")
    assert out_dir, "COURSE_RESULTS_DIR is not set; run through `make test`"
    for name in committed_results(nb_path):
        path = Path(out_dir) / f"{name}.json"
        assert path.exists(), f"{nb_path.name} did not record {name} during this run ({path} missing)"
        got = json.loads(path.read_text())["results"]
        problems = compare(name, got, EXPECTED[name])
        assert not problems, "\n".join(problems)


def test_compare_catches_a_regression():
    spec = {"acc": {"value": 0.5, "tol": 0.05}, "label": {"value": "x"}}
    assert compare("n", {"acc": 0.52, "label": "x"}, spec) == []
    assert compare("n", {"acc": 0.6, "label": "x"}, spec)          # out of tolerance
    assert compare("n", {"acc": 0.5, "label": "y"}, spec)          # wrong string
    assert compare("n", {"label": "x"}, spec)                      # missing value
    assert compare("n", {"acc": float("nan"), "label": "x"}, spec)  # NaN never passes
    curve = {"curve": {"value": [0.5, 0.6], "tol": 0.01}}
    assert not compare("n", {"curve": [0.505, 0.595]}, curve)
    assert compare("n", {"curve": [0.5, 0.7]}, curve)                 # one point out of tolerance
    assert compare("n", {"curve": [0.5]}, curve)                      # a point missing
    assert compare("n", {"curve": 0.5}, curve)                        # not a list
    names = {"items": {"value": ["natenvir", "natarms"]}}
    assert not compare("n", {"items": ["natenvir", "natarms"]}, names)
    assert compare("n", {"items": ["natarms", "natenvir"]}, names)      # another order is another result
    assert compare("n", {"items": ["natenvir", 0.0]}, names)            # a number is not a name
    exact = {"gap": {"value": 0.0}, "n": {"value": 12}}
    assert compare("n", {"gap": 0, "n": 12.0}, exact) == []           # 0 and 0.0 are the same number
    assert compare("n", {"gap": 1e-4, "n": 12}, exact)                # no tolerance given: exact
    assert compare("n", {"gap": "0.0", "n": 12}, exact)               # a string is not a number
