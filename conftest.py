"""Root conftest: loads the course's nbval extension (tests/nbval_tolerant.py) for every pytest run,
whichever files or folders pytest is pointed at (a notebook alone included)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))
pytest_plugins = ["nbval_tolerant"]
