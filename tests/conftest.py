"""Shared fixtures and ordering for the course tests.

Notebook items (nbval) run before the key-result checks, so that the checks read the results the
notebooks just recorded (``$COURSE_RESULTS_DIR``, set by ``make test``).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(session, config, items):
    # Order: unit tests, notebooks (nbval), then checks that read what the notebooks recorded.
    def rank(item):
        if item.get_closest_marker("after_notebooks"):
            return 2
        if str(item.fspath).endswith(".ipynb"):
            return 1
        return 0
    items.sort(key=rank)  # stable: keeps the order within each group
    config._course_executed_notebooks = {
        Path(str(i.fspath)).resolve() for i in items if str(i.fspath).endswith(".ipynb")}


def pytest_configure(config):
    config.addinivalue_line("markers", "after_notebooks: runs after the nbval notebook items")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def hf_home() -> Path:
    home = os.environ.get("HF_HOME")
    if not home:
        pytest.fail("HF_HOME is not set: run the tests with `make test` (it seeds the offline model cache).")
    return Path(home)
