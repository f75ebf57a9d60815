"""Structure of every notebook: Colab badge and set-up cell, parameters cell, committed outputs,
no errors, none of the known mistakes of earlier courses; retargeting the badges for a fork."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers import colab
from helpers.runner import find_notebooks

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = find_notebooks(ROOT)
FORBIDDEN = [
    (r"trust_remote_code\s*=\s*True", "trust_remote_code=True"),
    (r"\btorch_dtype\b", "torch_dtype (use dtype=)"),
    (r"\buse_auth_token\b", "use_auth_token (removed)"),
    (r"\bmax_length\s*=", "max_length= on generation (use max_new_tokens=)"),
    (r"(hf_[A-Za-z0-9]{30,}|sk-[A-Za-z0-9_-]{20,})", "something that looks like an API key"),
    (r"\.bin\b['\"]", "a pickle .bin weights file (safetensors only)"),
]


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_badge_and_colab_setup_cell_point_at_the_configured_repo(path):
    repo, branch = colab.course_config(ROOT)
    assert colab.check_notebook(path, repo, branch, ROOT) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_anatomy(path):
    nb = nbformat.read(path, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, "exactly one cell tagged 'parameters' (papermill)"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "committed with outputs of a complete run (make execute)"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, f"committed error output: {errors[0].get('ename')}"
    stderr = [o.text[:200] for c in code for o in c.outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"stray stderr output (warnings?) in the reference run: {stderr}"
    assert "helpers.setup(" in "".join(c.source for c in code)
    assert any(c.cell_type == "markdown" and "TASK" in c.source for c in nb.cells), "at least one TASK"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_known_mistakes(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for pattern, why in FORBIDDEN:
            assert not re.search(pattern, cell.source), f"{path.name}: uses {why}"


def test_forbidden_patterns_do_catch_mistakes():
    bad = ['model(x, torch_dtype="auto")', "generate(max_length=50)", 'key = "sk-abcdefghijklmnopqrstuvwx"']
    for src in bad:
        assert any(re.search(p, src) for p, _ in FORBIDDEN), src


def test_retarget_badges_for_a_fork(tmp_path):
    """`python -m helpers.colab --repo OWNER/NAME` rewrites config, README and every notebook."""
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, clone / name)
    shutil.copytree(ROOT / "helpers", clone / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    (clone / "data").mkdir()
    for nb in NOTEBOOKS:
        (clone / nb.parent.name).mkdir(exist_ok=True)
        shutil.copy(nb, clone / nb.relative_to(ROOT))
    env = {"COURSE_ROOT": str(clone), "PATH": "/usr/bin:/bin"}

    def run(*a):
        return subprocess.run([sys.executable, "-m", "helpers.colab", *a], cwd=clone, env=env,
                              capture_output=True, text=True)

    out = run("--repo", "my-lab/fork-course", "--branch", "spring")
    assert out.returncode == 0, out.stderr
    assert colab.course_config(clone) == ("my-lab/fork-course", "spring")
    for nb in clone.glob("day_*/*.ipynb"):
        assert colab.check_notebook(nb, "my-lab/fork-course", "spring", clone) == []
        text = nb.read_text()
        assert "github.com/my-lab/fork-course.git" in text
        assert "llm-social-science" not in text
    assert "my-lab/fork-course/blob/spring/" in (clone / "README.md").read_text()
    assert run("--check").returncode == 0
    bad = run("--repo", "not a repo")
    assert bad.returncode != 0 and "OWNER/NAME" in bad.stderr


@pytest.mark.parametrize("repo, branch, day", [("noslash", "main", "day_1"), ("a/b", "bad branch", "day_1"),
                                               ("a/b", "main", "day1")])
def test_colab_bad_inputs(repo, branch, day):
    with pytest.raises(ValueError):
        colab.setup_cell_source(day, repo, branch)


_ABSOLUTE_PATH = re.compile(r"(?<![\w.])/(?:work|tmp|home|root|Users|content|private|var)/")
_BAR = re.compile(r"(\d+)%\|[^|]*\|\s*(\d+)/(\d+)")


def readable_output_problems(nb) -> list[str]:
    """What a student must not see in committed outputs: JSON lines for the tests, bars frozen at their
    first frame, absolute paths of the machine that made the outputs."""
    problems = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data", {})
            text = out.get("text", "") + "".join(str(v) for k, v in data.items() if k.startswith("text/"))
            if "KEY_RESULTS {" in text:
                problems.append(f"cell {i}: a KEY_RESULTS JSON line")
            for done, n, total in _BAR.findall(text):
                if n != total or done != "100":
                    problems.append(f"cell {i}: a progress bar saved unfinished ({done}% {n}/{total})")
            if _ABSOLUTE_PATH.search(text):
                problems.append(f"cell {i}: an absolute path of this machine")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_outputs_are_readable(path):
    assert readable_output_problems(nbformat.read(path, as_version=4)) == []


def test_readable_output_check_catches_problems():
    bad = [nbformat.v4.new_output("stream", name="stdout", text='KEY_RESULTS {"name": "x"}\n'),
           nbformat.v4.new_output("display_data", data={"text/plain": "generate:   0%|          | 0/13 [00:00<?]"}),
           nbformat.v4.new_output("stream", name="stdout", text="server log: /work/main/build/server_logs\n")]
    good = [nbformat.v4.new_output("display_data", data={"text/plain": "generate: 100%|##########| 13/13 [TIME]"}),
            nbformat.v4.new_output("stream", name="stdout", text="server log: build/server_logs/\n")]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=bad + good)])
    assert len(readable_output_problems(nb)) == 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_infers_every_parameter(path):
    """A comment containing '=' hides a parameter from `papermill --help-notebook`."""
    import ast

    import papermill

    nb = nbformat.read(path, as_version=4)
    source = next(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assigned = {t.id for node in ast.parse(source).body if isinstance(node, ast.Assign)
                for t in node.targets if isinstance(t, ast.Name)}
    inferred = set(papermill.inspect_notebook(str(path)))
    assert assigned <= inferred, f"papermill cannot infer {sorted(assigned - inferred)} (a comment with '='?)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_can_inject_parameters(path):
    """papermill reads `cell.metadata.tags` of every cell: a cell added by hand without it stops the injection."""
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.read(path, as_version=4)
    assert all("tags" in c.metadata for c in nb.cells), [i for i, c in enumerate(nb.cells) if "tags" not in c.metadata]
    parameterize_notebook(nb, {"SEED": 1})
