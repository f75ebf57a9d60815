"""SAPA Personality Inventory (SPI-135): item dictionary and responses, from the R package psychTools.

Source: Debian ``r-cran-psychtools`` (``apt-get download`` + ``dpkg-deb -x``), datasets ``spi``,
``spi.dictionary`` and ``spi.keys`` (the published scoring keys) read from the R lazy-load database
with the Python package ``rdata``.
"""

from __future__ import annotations

import bz2
import lzma
import struct
import warnings
import zlib
from pathlib import Path

import pandas as pd

from .common import deb_package, log, write_csv

DEB_PACKAGE = "r-cran-psychtools"
DEB_VERSION = "2.2.9-1"
PSYCHTOOLS = "usr/lib/R/site-library/psychTools"
OUTPUTS = ("spi_items.csv", "spi_responses.csv", "spi_keys.csv")


def read_lazyload(rdx: Path, rdb: Path, name: str) -> bytes:
    """Return the serialized R object ``name`` from an R lazy-load database (.rdx/.rdb)."""
    import rdata

    index = rdata.read_rds(str(rdx))
    offset, length = (int(x) for x in index["variables"][name])
    with open(rdb, "rb") as fh:
        fh.seek(offset)
        blob = fh.read(length)
    kind = blob[4:5]
    if kind == b"2":
        return bz2.decompress(blob[5:])
    if kind == b"Z":
        return lzma.decompress(blob[5:])
    expected = struct.unpack(">I", blob[:4])[0]
    raw = zlib.decompress(blob[4:])
    assert len(raw) == expected, f"{name}: length mismatch"
    return raw


def read_r_object(pkg: Path, name: str):
    import rdata

    raw = read_lazyload(pkg / "data" / "Rdata.rdx", pkg / "data" / "Rdata.rdb", name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = rdata.parser.parse_data(raw, extension="rds")
        return rdata.conversion.convert(parsed)


def published_keys(spi_keys: dict, item_ids: set[str]) -> pd.DataFrame:
    """``spi.keys`` (scale -> item ids, reverse-keyed ones with a leading minus) as rows scale, item_id, key."""
    rows = []
    for scale, entries in spi_keys.items():
        for entry in entries:
            entry = str(entry).strip()
            item = entry.lstrip("-")
            assert item in item_ids, f"spi.keys: {scale} names {item}, not an SPI-135 item"
            rows.append({"scale": str(scale), "item_id": item, "key": -1 if entry.startswith("-") else 1})
    keys = pd.DataFrame(rows)
    assert not keys.duplicated(["scale", "item_id"]).any(), "spi.keys: an item listed twice in one scale"
    keys["key"] = keys["key"].astype("Int64")
    return keys


def build(out: Path, scratch: Path) -> list[Path]:
    pkg = deb_package(scratch, DEB_PACKAGE, DEB_VERSION) / PSYCHTOOLS
    spi = read_r_object(pkg, "spi")
    dictionary = read_r_object(pkg, "spi.dictionary")
    items = [c for c in spi.columns if str(c).startswith("q_")]
    assert len(items) == 135, len(items)

    d = dictionary[dictionary["item_id"].isin(items)].reset_index(drop=True)
    d = d[["item_id", "item", "item_scale", "B5", "L27"]].copy()
    for col in d.columns:
        d[col] = d[col].astype("string").str.strip()
    assert len(d) == 135 and d["item_id"].is_unique
    write_csv(d, out / "spi_items.csv")

    cols: dict[str, object] = {"respondent_id": pd.array(range(1, len(spi) + 1), dtype="Int64")}
    for col in ["age", "sex", "education"]:
        values = spi[col].astype("Float64")
        assert ((values.dropna() % 1) == 0).all(), col
        cols[col] = values.astype("Int64").array
    for col in d["item_id"]:  # dictionary order
        cols[col] = spi[col].astype("Int64").array
    resp = pd.DataFrame(cols)
    write_csv(resp, out / "spi_responses.csv")
    keys = published_keys(read_r_object(pkg, "spi.keys"), set(d["item_id"]))
    write_csv(keys, out / "spi_keys.csv")
    log(f"spi: {len(d)} items, {len(resp)} respondents, {keys.scale.nunique()} keyed scales")
    return [out / name for name in OUTPUTS]
