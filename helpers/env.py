"""Environment set-up for the notebooks: where we run, which device, seeds, paths.

Example
-------
>>> import helpers
>>> env = helpers.setup(seed=42)          # doctest: +SKIP
>>> env.device, env.dtype, env.data_dir   # doctest: +SKIP
"""

from __future__ import annotations

import importlib.metadata
import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path

#: Folder names that mark the repository root (all must be present).
_ROOT_MARKERS = ("helpers", "data", "pyproject.toml")
#: Where the Colab setup cell clones the repository.
COLAB_CLONE_DIR = Path("/content/llm-course")


def in_colab() -> bool:
    """True inside Google Colab (the ``google.colab`` module is importable/imported)."""
    if "google.colab" in sys.modules:
        return True
    try:
        import importlib.util

        return importlib.util.find_spec("google.colab") is not None
    except (ImportError, ValueError):
        return False


def repo_root(start: str | os.PathLike | None = None) -> Path:
    """Return the repository root, searching upwards from ``start`` (default: the current folder).

    Works from the repository root, from any ``day_*`` folder, and in Colab (where the setup cell
    clones the repository to ``/content/llm-course``). The ``COURSE_ROOT`` environment variable,
    when set, wins.

    >>> (repo_root() / "helpers").is_dir()   # doctest: +SKIP
    True
    """
    if start is not None and not isinstance(start, (str, os.PathLike)):
        raise ValueError(f"repo_root(start={start!r}): start must be a folder path (str or Path) or None.")
    env_root = os.environ.get("COURSE_ROOT")
    candidates: list[Path] = []
    if env_root:
        candidates.append(Path(env_root))
    here = Path(start) if start is not None else Path.cwd()
    if start is not None and not here.exists():
        raise FileNotFoundError(f"repo_root(start={str(start)!r}): that folder does not exist.")
    here = here.resolve()
    candidates.extend([here, *here.parents])
    # The package's own location is a good last resort (pip install -e . or a clone on sys.path).
    candidates.append(Path(__file__).resolve().parent.parent)
    candidates.append(COLAB_CLONE_DIR)
    for cand in candidates:
        if all((cand / m).exists() for m in _ROOT_MARKERS):
            return cand
    raise FileNotFoundError(
        f"Could not find the course repository above {here}. Run the notebook from inside the "
        "cloned repository (any day_* folder works), or set COURSE_ROOT=/path/to/the/clone."
    )


def data_dir(start: str | os.PathLike | None = None) -> Path:
    """Return the repository's ``data/`` folder (see :func:`repo_root`)."""
    return repo_root(start) / "data"


def check_device_available(device: str, name: str = "device") -> None:
    """Refuse a GPU device that this machine does not have, before a model is loaded (torch would fail
    later with a bare ``AssertionError`` or an obscure error). ``device`` is a torch device string."""
    import torch

    kind, _, index = str(device).partition(":")
    if kind == "cuda":
        n = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if n == 0:
            raise ValueError(f"{name}={device!r} was requested but no CUDA GPU is available on this machine. "
                             f"Pass {name}='cpu' (or env.device from helpers.setup(), which picks what there is); "
                             "in Colab: Runtime > Change runtime type > T4 GPU.")
        if index.isdigit() and int(index) >= n:
            raise ValueError(f"{name}={device!r}: this machine has {n} CUDA GPU(s), numbered 0 to {n - 1}; "
                             f"pass {name}='cuda:0' (or {name}='cpu').")
    if kind == "mps" and not torch.backends.mps.is_available():
        raise ValueError(f"{name}={device!r} was requested but Apple's MPS backend is not available on this "
                         f"machine; pass {name}='cpu' (or env.device from helpers.setup()).")


def pick_device(prefer: str | None = None) -> str:
    """Pick ``"cuda"``, then ``"mps"``, then ``"cpu"``; ``prefer`` forces one (validated)."""
    import torch

    if prefer is not None:
        if prefer not in {"cuda", "mps", "cpu"}:
            raise ValueError(f"device={prefer!r} is not one of 'cuda', 'mps', 'cpu'.")
        check_device_available(prefer)
        return prefer
    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def pick_dtype(device: str):
    """A sensible dtype: bfloat16 on GPUs that support it, float16 on older GPUs, float32 on CPU/MPS.

    float32 on the CPU keeps results identical from run to run, which the course's regression
    tests rely on.
    """
    import torch

    if device not in {"cuda", "mps", "cpu"}:
        raise ValueError(f"device={device!r} is not one of 'cuda', 'mps', 'cpu'.")
    check_device_available(device)
    if device == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.float32


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy and torch (CPU and CUDA). A NumPy integer counts as an integer."""
    from helpers._checks import is_int

    if not is_int(seed) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")
    seed = int(seed)
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds CUDA


def _version(pkg: str) -> str:
    try:
        return importlib.metadata.version(pkg)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _quiet_libraries() -> None:
    """Silence progress bars and chatty warnings that change from run to run (not our own bars)."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import warnings

    warnings.filterwarnings("ignore", message=".*pkg_resources.*")
    # transformers 5 renames arguments that TRL still sets (gradient_checkpointing -> activation_checkpointing)
    warnings.filterwarnings("ignore", message=r".*is deprecated and will be removed in v6.*", category=FutureWarning)
    try:
        import transformers

        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
    except ImportError:  # pragma: no cover - transformers is a hard requirement
        pass
    import logging

    # "Could not reach the Hub ... using cached commit hash" is expected offline; keep it quiet.
    for name in ("sentence_transformers", "huggingface_hub"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _display_defaults() -> None:
    import matplotlib
    import pandas as pd

    pd.set_option("display.precision", 3)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.width", 120)
    matplotlib.rcParams.update({"figure.dpi": 80, "figure.figsize": (6.4, 4.0),
                                "axes.spines.top": False, "axes.spines.right": False})


@dataclass(frozen=True)
class Setup:
    """What :func:`setup` found: use ``env.device`` / ``env.dtype`` when loading models."""

    environment: str
    device: str
    dtype: object
    seed: int
    offline: bool
    repo_root: Path
    data_dir: Path
    hf_home: str

    def summary(self) -> str:
        dtype = str(self.dtype).replace("torch.", "")
        return "\n".join([
            f"environment : {self.environment}",
            f"device      : {self.device} ({dtype})",
            "versions    : torch {} | transformers {} | sentence-transformers {}".format(
                _version("torch"), _version("transformers"), _version("sentence-transformers")),
            "offline     : " + ("yes (HF_HUB_OFFLINE=1, models from the local cache)" if self.offline
                                else "no (models download from the Hub)"),
            f"seed        : {self.seed}",
        ])


def setup(seed: int = 42, device: str | None = None, quiet: bool = False) -> Setup:
    """Prepare a notebook: detect Colab/local, pick device and dtype, seed, set display defaults.

    Prints one compact block (environment, device, library versions, offline mode) unless
    ``quiet=True`` and returns a :class:`Setup` with ``device``, ``dtype``, ``data_dir`` and
    ``repo_root``.

    >>> env = setup(seed=0, quiet=True)   # doctest: +SKIP
    >>> env.device in {"cpu", "cuda", "mps"}   # doctest: +SKIP
    True
    """
    from helpers._checks import is_int

    if not is_int(seed) or seed < 0:
        raise ValueError(f"setup(seed=...) needs a non-negative integer, got {seed!r}.")
    seed = int(seed)
    _quiet_libraries()
    dev = pick_device(device)
    dtype = pick_dtype(dev)
    seed_everything(seed)
    _display_defaults()
    from helpers.progress import keep_finished_bars

    keep_finished_bars()
    root = repo_root()
    offline = os.environ.get("HF_HUB_OFFLINE", "0").lower() in {"1", "true", "yes"}
    env = Setup(
        environment="Google Colab" if in_colab() else "local",
        device=dev,
        dtype=dtype,
        seed=seed,
        offline=offline,
        repo_root=root,
        data_dir=root / "data",
        hf_home=os.environ.get("HF_HOME", "~/.cache/huggingface (default)"),
    )
    if not quiet:
        print(env.summary())
    return env
