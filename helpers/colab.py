"""Colab badges and the Colab set-up cell, all pointing at one GitHub repository.

The repository (``owner/name``) and branch live in one place: ``[tool.course]`` in
``pyproject.toml``. For a fork, retarget every badge, clone URL and the README in one go::

    python -m helpers.colab --repo OWNER/NAME [--branch BRANCH]
    python -m helpers.colab --check          # exit 1 if a notebook is out of step

Each notebook's first markdown cell carries the badge; the cell tagged ``colab-setup`` acts only
inside Colab: it clones the repository at the branch, installs ``requirements-colab.txt`` (torch is
left as Colab ships it) and changes into the notebook's day folder.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat
import tomllib

from helpers.env import repo_root

SETUP_TAG = "colab-setup"
CLONE_DIR = "/content/llm-course"
_REPO_RE = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_BRANCH_RE = re.compile(r"^[A-Za-z0-9_./-]+$")
BADGE_RE = re.compile(r"https://colab\.research\.google\.com/github/[^)\s]+")


def course_config(root: Path | None = None) -> tuple[str, str]:
    """``(repo, branch)`` from ``[tool.course]`` in pyproject.toml."""
    root = root or repo_root()
    cfg = tomllib.loads((root / "pyproject.toml").read_text())
    try:
        course = cfg["tool"]["course"]
        return course["repo"], course["branch"]
    except KeyError:
        raise ValueError("pyproject.toml has no [tool.course] repo/branch; restore it from git.") from None


def _validate(repo: str, branch: str) -> None:
    if not isinstance(repo, str) or not _REPO_RE.match(repo):
        raise ValueError(f"repo={repo!r} is not of the form OWNER/NAME (e.g. 'my-lab/llm-course').")
    if not isinstance(branch, str) or not _BRANCH_RE.match(branch):
        raise ValueError(f"branch={branch!r} is not a valid branch name.")


def badge_url(notebook_relpath: str, repo: str, branch: str) -> str:
    """The Colab URL that opens ``notebook_relpath`` (e.g. ``day_1/1_hf_ecosystem.ipynb``)."""
    _validate(repo, branch)
    return f"https://colab.research.google.com/github/{repo}/blob/{branch}/{notebook_relpath}"


def badge_markdown(notebook_relpath: str, repo: str, branch: str) -> str:
    return ("[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"({badge_url(notebook_relpath, repo, branch)})")


def setup_cell_source(day: str, repo: str, branch: str) -> str:
    """Source of the Colab set-up cell for a notebook in folder ``day``."""
    _validate(repo, branch)
    if not re.fullmatch(r"day_[1-9]", day):
        raise ValueError(f"day={day!r} should be a day folder such as 'day_1'.")
    return f'''# Colab set-up: does something only inside Google Colab; locally it is skipped.
import os
import subprocess
import sys

if "google.colab" in sys.modules:
    REPO_URL, BRANCH = "https://github.com/{repo}.git", "{branch}"
    if not os.path.isdir("{CLONE_DIR}"):
        subprocess.run(["git", "clone", "--depth", "1", "--branch", BRANCH, REPO_URL, "{CLONE_DIR}"], check=True)
    # Pinned Hugging Face libraries; Colab's own torch (with CUDA) is left alone.
    requirements = "{CLONE_DIR}/requirements-colab.txt"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-r", requirements], check=True)
    sys.path.insert(0, "{CLONE_DIR}")
    os.chdir("{CLONE_DIR}/{day}")'''


def sync_notebook(path: Path, repo: str, branch: str, root: Path) -> bool:
    """Rewrite the badge and set-up cell of one notebook; returns True if it changed."""
    nb = nbformat.read(path, as_version=4)
    rel = path.relative_to(root).as_posix()
    changed = False
    new_url = badge_url(rel, repo, branch)
    for cell in nb.cells[:3]:
        if cell.cell_type == "markdown" and BADGE_RE.search(cell.source):
            new = BADGE_RE.sub(new_url, cell.source)
            changed |= new != cell.source
            cell.source = new
    for cell in nb.cells:
        if SETUP_TAG in cell.metadata.get("tags", []):
            new = setup_cell_source(path.parent.name, repo, branch)
            changed |= new != cell.source
            cell.source = new
    if changed:
        nbformat.write(nb, path)
    return changed


def check_notebook(path: Path, repo: str, branch: str, root: Path) -> list[str]:
    """Problems with one notebook's badge / set-up cell (empty list when all is well)."""
    nb = nbformat.read(path, as_version=4)
    rel = path.relative_to(root).as_posix()
    problems = []
    urls = [u for c in nb.cells[:3] if c.cell_type == "markdown" for u in BADGE_RE.findall(c.source)]
    if urls != [badge_url(rel, repo, branch)]:
        problems.append(f"{rel}: badge should be exactly one link to {badge_url(rel, repo, branch)}, found {urls}")
    setup = [c for c in nb.cells if SETUP_TAG in c.metadata.get("tags", [])]
    if len(setup) != 1:
        problems.append(f"{rel}: needs exactly one cell tagged {SETUP_TAG!r}, found {len(setup)}")
    elif setup[0].source != setup_cell_source(path.parent.name, repo, branch):
        problems.append(f"{rel}: the Colab set-up cell is out of date; run `python -m helpers.colab --repo {repo}`")
    return problems


def _rewrite_pyproject(root: Path, repo: str, branch: str) -> None:
    p = root / "pyproject.toml"
    text = p.read_text()
    text = re.sub(r'(?m)^repo = ".*"$', f'repo = "{repo}"', text, count=1)
    text = re.sub(r'(?m)^branch = ".*"$', f'branch = "{branch}"', text, count=1)
    p.write_text(text)


def _rewrite_readme(root: Path, repo: str, branch: str) -> None:
    p = root / "README.md"
    if not p.exists():
        return
    text = p.read_text()
    text = re.sub(r"https://colab\.research\.google\.com/github/[^/]+/[^/]+/blob/[^/]+/",
                  f"https://colab.research.google.com/github/{repo}/blob/{branch}/", text)
    text = re.sub(r"https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?\.git",
                  f"https://github.com/{repo}.git", text)
    p.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.colab", description="Retarget Colab badges for a fork.")
    parser.add_argument("--repo", help="GitHub OWNER/NAME to point badges and clone URLs at")
    parser.add_argument("--branch", default=None, help="branch (default: keep the configured one)")
    parser.add_argument("--check", action="store_true", help="only check; exit 1 on problems")
    args = parser.parse_args(argv)
    root = repo_root()
    from helpers.runner import find_notebooks

    repo, branch = course_config(root)
    if args.check:
        problems = [p for nb in find_notebooks(root) for p in check_notebook(nb, repo, branch, root)]
        print("\n".join(problems) or "all notebooks point at " + repo + "@" + branch)
        return 1 if problems else 0
    if not args.repo:
        parser.error("give --repo OWNER/NAME (or --check)")
    branch = args.branch or branch
    try:
        _validate(args.repo, branch)
    except ValueError as exc:
        parser.error(str(exc))
    _rewrite_pyproject(root, args.repo, branch)
    _rewrite_readme(root, args.repo, branch)
    n = sum(sync_notebook(nb, args.repo, branch, root) for nb in find_notebooks(root))
    print(f"Pointed pyproject.toml, README.md and {n} notebook(s) at {args.repo}@{branch}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
