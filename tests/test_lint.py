"""Lint: ruff and codespell over the course code and text (run by `make lint`, `make test-fast`, `make test`).

* ruff: the rules and files are set in pyproject.toml ``[tool.ruff]`` (helpers/, tests/, data/ and the
  notebooks' code cells; ruff reads .ipynb natively).
* codespell: the ignore list is pyproject.toml ``[tool.codespell]``. Python files and Markdown are checked
  as they are; notebooks are checked on their **cell sources only** (code and Markdown), never their
  outputs, whose base64 images and model generations give meaningless hits. A hit names the notebook
  and the cell (numbered from 1 over all cells, as ruff does).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(ROOT.glob("day_*/*.ipynb"))
# Files codespell reads as they are (notebooks: see check_notebook_cells).
SPELL_PATHS = ["helpers", "tests", *sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("data/**/*.py")),
               "conftest.py", "Makefile", "README.md", "data/README.md",
               *sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("day_*/README.md"))]
HIT = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>.+)$")


def _tool(module: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run a pinned lint tool from this environment (``python -m ruff``, ``python -m codespell_lib``)."""
    res = subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, capture_output=True, text=True,
                         timeout=120)
    if "No module named" in res.stderr:
        pytest.fail(f"{module} is not installed in {sys.executable}: pip install -r requirements.txt")
    return res


def codespell(paths: list[str], cwd: Path = ROOT) -> list[str]:
    """codespell's hits (``path:line: word ==> suggestion``) with the project's configuration."""
    res = _tool("codespell_lib", "--toml", str(ROOT / "pyproject.toml"), *paths, cwd=cwd)
    if res.returncode not in (0, 65) or res.stderr.strip():
        pytest.fail(f"codespell failed (exit {res.returncode}):\n{res.stderr}{res.stdout}")
    return [line for line in res.stdout.splitlines() if HIT.match(line)]


def check_notebook_cells(notebooks: list[Path], workdir: Path) -> list[str]:
    """Spell-check the sources of every cell (code and Markdown), not the outputs.

    Each cell goes to its own file, so a hit maps back to notebook, cell and line."""
    where: dict[str, tuple[str, int, str]] = {}
    for i, path in enumerate(notebooks):
        nb = nbformat.read(path, as_version=4)
        for j, cell in enumerate(nb.cells, start=1):
            if cell.cell_type not in ("code", "markdown") or not cell.source.strip():
                continue
            name = f"nb{i:03d}_cell{j:04d}.txt"
            (workdir / name).write_text(cell.source + "\n", encoding="utf-8")
            try:
                label = str(path.relative_to(ROOT))
            except ValueError:
                label = str(path)
            where[name] = (label, j, cell.cell_type)
    hits = []
    for line in codespell(sorted(where), cwd=workdir):
        m = HIT.match(line)
        label, cell, kind = where[Path(m["path"]).name]
        hits.append(f"{label} cell {cell} ({kind}) line {m['line']}: {m['message']}")
    return hits


def test_ruff():
    res = _tool("ruff", "check", "--no-fix", "--output-format", "concise")
    assert res.returncode == 0, f"ruff check found problems (fix them or `ruff check --fix`):\n{res.stdout}{res.stderr}"


def test_codespell_code_and_docs():
    hits = codespell(SPELL_PATHS)
    assert not hits, ("codespell: fix the spelling, or add a legitimate word to [tool.codespell] in "
                      "pyproject.toml:\n" + "\n".join(hits))


def test_codespell_notebook_cells(tmp_path):
    assert NOTEBOOKS, "no notebooks found"
    hits = check_notebook_cells(NOTEBOOKS, tmp_path)
    assert not hits, "codespell in notebook cell sources (cells numbered from 1):\n" + "\n".join(hits)


def test_notebook_check_reads_sources_not_outputs(tmp_path):
    """The notebook pass must catch a misspelling in a cell and ignore the same junk in an output."""
    first, receive = "frist", "recieve"  # codespell:ignore (deliberate misspellings)
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell(f"x = 1  # the {first} value\n")
    junk = "iVBORw0KGgo bU"  # codespell:ignore (base64 junk, as in a real image output)
    code.outputs = [nbformat.v4.new_output("display_data", data={"image/png": f"{junk} {first}"}),
                    nbformat.v4.new_output("stream", name="stdout", text=f"the model said {receive}")]
    nb.cells = [nbformat.v4.new_markdown_cell("# A clean title"), code,
                nbformat.v4.new_markdown_cell(f"Some text.\n\nWe {receive} answers.")]
    path = tmp_path / "demo.ipynb"
    nbformat.write(nb, path)
    work = tmp_path / "cells"
    work.mkdir()
    hits = check_notebook_cells([path], work)
    assert [h.split(": ", 1)[0] for h in hits] == [f"{path} cell 2 (code) line 1", f"{path} cell 3 (markdown) line 3"]
    assert f"{first} ==> first" in hits[0] and f"{receive} ==> receive" in hits[1]
