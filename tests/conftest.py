"""Shared fixtures and ordering for the course tests.

Notebook items (nbval) run before the key-result checks, so that the checks read the results the
notebooks just recorded (``$COURSE_RESULTS_DIR``, set by ``make test``).

At the end of a run that re-executed notebooks, a table gives each notebook's wall time (all its nbval
items, kernel start included) and the peak memory of its kernel (VmHWM, Linux), the same figures
``make run`` reports, so that a CI log doubles as a benchmark.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tables import report  # tests/ is on sys.path (root conftest.py)

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
    if not config.pluginmanager.has_plugin("course-notebook-timer"):
        config.pluginmanager.register(_NotebookTimer(), "course-notebook-timer")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def hf_home() -> Path:
    home = os.environ.get("HF_HOME")
    if not home:
        pytest.fail("HF_HOME is not set: run the tests with `make test` (it seeds the offline model cache).")
    return Path(home)


# --- per-notebook wall time and kernel peak memory during nbval ------------------------------------
_NB_SECONDS: dict[str, float] = {}
_NB_PEAK_MB: dict[str, float] = {}


def _kernel_peak_mb() -> float:
    """Largest VmHWM (peak resident set) among this process's ipykernel children; NaN off Linux."""
    proc = Path("/proc")
    if not proc.is_dir():
        return float("nan")
    me, peak = os.getpid(), float("nan")
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid != me or b"ipykernel" not in (entry / "cmdline").read_bytes():
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    mb = int(line.split()[1]) / 1024
                    peak = mb if peak != peak else max(peak, mb)
        except (OSError, ValueError, IndexError):
            continue
    return peak


def _notebook_of(nodeid: str) -> str | None:
    path = nodeid.split("::")[0]
    return path if path.endswith(".ipynb") else None


class _NotebookTimer:
    """Registered as a global plugin: per-item hooks of this conftest would see only tests/ items."""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        notebook = _notebook_of(item.nodeid)
        start = time.perf_counter()
        yield
        if notebook:
            _NB_SECONDS[notebook] = _NB_SECONDS.get(notebook, 0.0) + time.perf_counter() - start

    def pytest_runtest_logreport(self, report):
        # Sample the kernel's peak after each cell (the kernel closes in the notebook's last teardown).
        notebook = _notebook_of(report.nodeid)
        if notebook and report.when == "call":
            mb = _kernel_peak_mb()
            if mb == mb:
                _NB_PEAK_MB[notebook] = max(_NB_PEAK_MB.get(notebook, 0.0), mb)


def pytest_terminal_summary(terminalreporter):
    report(terminalreporter, "notebook_timings",
           {nb: [seconds, _NB_PEAK_MB.get(nb)] for nb, seconds in _NB_SECONDS.items()})
