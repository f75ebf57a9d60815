"""Unit tests of helpers.env, helpers.results and helpers.runner, bad inputs included."""
from __future__ import annotations

import json
import math
import os
import random
from pathlib import Path

import numpy as np
import pytest
import torch

import helpers
from helpers import env as henv
from helpers.results import parse_results, record_results
from helpers.runner import execute, find_notebooks

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("where", ["", "day_1", "day_5", "helpers", "data"])
def test_repo_root_and_data_dir_from_any_folder(where, monkeypatch):
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    monkeypatch.chdir(ROOT / where)
    assert henv.repo_root() == ROOT
    assert henv.data_dir() == ROOT / "data"


def test_repo_root_outside_the_clone_falls_back_to_the_package(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    assert henv.repo_root() == ROOT  # the installed helpers package knows where it lives


def test_course_root_env_wins(tmp_path, monkeypatch):
    for m in ("helpers", "data"):
        (tmp_path / m).mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.setenv("COURSE_ROOT", str(tmp_path))
    assert henv.repo_root() == tmp_path


def test_setup_returns_device_dtype_paths_and_prints_block(capsys):
    env = helpers.setup(seed=7)
    out = capsys.readouterr().out
    for word in ("environment", "device", "torch", "transformers", "sentence-transformers", "offline"):
        assert word in out
    assert env.device in {"cpu", "cuda", "mps"}
    assert env.dtype in {torch.float32, torch.bfloat16, torch.float16}
    assert env.repo_root == ROOT and env.data_dir == ROOT / "data"
    assert env.offline == (os.environ.get("HF_HUB_OFFLINE") == "1")


def test_setup_seeds_python_numpy_and_torch():
    helpers.setup(seed=123, quiet=True)
    a = (random.random(), np.random.rand(), torch.rand(1).item())
    helpers.setup(seed=123, quiet=True)
    b = (random.random(), np.random.rand(), torch.rand(1).item())
    assert a == b


def test_cpu_dtype_is_float32():
    assert henv.pick_dtype("cpu") == torch.float32


# ---- bad inputs: each must raise with a message that says what to do ----
@pytest.mark.parametrize("call, exc, words", [
    (lambda: helpers.setup(seed=-1), ValueError, "non-negative integer"),
    (lambda: helpers.setup(seed="42"), ValueError, "non-negative integer"),
    (lambda: helpers.setup(seed=True), ValueError, "non-negative integer"),
    (lambda: henv.pick_device("tpu"), ValueError, "one of"),
    (lambda: henv.pick_dtype("gpu"), ValueError, "one of"),
    (lambda: henv.seed_everything(3.5), ValueError, "non-negative integer"),
    (lambda: henv.repo_root("/definitely/not/here"), FileNotFoundError, "does not exist"),
    (lambda: record_results("Day 1!", acc=1), ValueError, "lower-case"),
    (lambda: record_results("day1"), ValueError, "keyword arguments"),
    (lambda: record_results("day1", acc=float("nan")), ValueError, "finite"),
    (lambda: record_results("day1", acc=object()), ValueError, "type"),
    (lambda: execute(ROOT / "day_1" / "missing.ipynb", ROOT / "build" / "x.ipynb"), FileNotFoundError,
     "does not exist"),
])
def test_bad_inputs_raise_clear_errors(call, exc, words):
    with pytest.raises(exc, match=words):
        call()


@pytest.mark.skipif(torch.cuda.is_available(), reason="a CUDA GPU is present")
def test_cuda_requested_without_a_gpu():
    with pytest.raises(ValueError, match="no CUDA GPU"):
        henv.pick_device("cuda")


def test_repo_root_not_found_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(henv, "__file__", str(tmp_path / "helpers" / "env.py"))
    monkeypatch.setattr(henv, "COLAB_CLONE_DIR", tmp_path / "nothing")
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="COURSE_ROOT"):
        henv.repo_root()


def test_record_results_prints_writes_and_parses(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    clean = record_results("demo_nb", acc=np.float32(0.81254), n=np.int64(12), label="x", per_item=[0.5, 1],
                           zero=0.0, tiny=-1e-9, whole=3.0)
    assert clean == {"acc": 0.8125, "n": 12, "label": "x", "per_item": [0.5, 1], "zero": 0.0, "tiny": 0.0,
                     "whole": 3.0}
    # Types are stable: a float that happens to be whole stays a float; ints stay ints; no -0.0.
    assert [type(clean[k]) for k in ("acc", "n", "zero", "tiny", "whole")] == [float, int, float, float, float]
    assert math.copysign(1, clean["tiny"]) == 1
    printed = capsys.readouterr().out
    assert "KEY_RESULTS" not in printed and "{" not in printed   # a readable table, not a JSON line
    assert "acc" in printed and "0.8125" in printed and "0.0000" in printed
    assert json.loads((tmp_path / "demo_nb.json").read_text())["results"] == clean


def test_key_results_live_in_their_own_mime_type():
    import nbformat

    from helpers.results import MIME, _bundle

    payload = {"name": "demo_nb", "results": {"acc": 0.5, "n": 3}}
    out = nbformat.v4.new_output("display_data", data=_bundle(payload))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[out])])
    assert parse_results(nb) == {"demo_nb": payload["results"]}
    assert "KEY_RESULTS" not in out.data["text/plain"] and "<table>" in out.data["text/html"]
    nb.cells.append(nbformat.v4.new_code_cell("y", outputs=[out]))
    with pytest.raises(ValueError, match="twice"):
        parse_results(nb)
    bad = nbformat.v4.new_output("display_data", data={MIME: {"results": {}}})
    with pytest.raises(ValueError, match="name"):
        parse_results(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("z", outputs=[bad])]))


def test_find_notebooks_lists_the_days_in_order():
    nbs = find_notebooks(ROOT)
    assert nbs and all(p.parent.name.startswith("day_") for p in nbs)
    assert nbs == sorted(nbs)
    assert find_notebooks(ROOT, "no-such-notebook") == []


def test_runner_reports_a_failing_cell(tmp_path):
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("raise ValueError('boom here')")]
    src = tmp_path / "bad.ipynb"
    nbformat.write(nb, src)
    res = execute(src, tmp_path / "out.ipynb")
    assert res["status"] == "FAILED"
    assert "boom here" in res["error"] and "cell 2" in res["error"]
    assert res["seconds"] > 0 and res["peak_mb"] > 10


def test_finished_bars_only_act_inside_a_kernel():
    """Outside Jupyter tqdm prints text bars itself: nothing to patch (the saved-notebook effect is
    checked on every committed notebook by test_notebooks.test_committed_outputs_are_readable)."""
    from tqdm import notebook

    from helpers.progress import keep_finished_bars

    close = notebook.tqdm_notebook.close
    assert keep_finished_bars() is False
    assert notebook.tqdm_notebook.close is close
