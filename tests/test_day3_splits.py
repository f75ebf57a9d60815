"""Day 3 (3b, 3c, 3d): the State of the Union train/test split must not leak.

The split is by address. These tests check the shipped data (no address and no paragraph text on
both sides) and check that the overlap check itself catches a leaky split.
"""
from __future__ import annotations

import pandas as pd
import pytest

from helpers.data import load_sotu


def split_overlap(df: pd.DataFrame) -> dict[str, list]:
    """Addresses and paragraph texts that occur in both the train and the test split."""
    missing = {"address_id", "text", "split"} - set(df.columns)
    if missing:
        raise ValueError(f"split_overlap needs columns {sorted(missing)}")
    train, test = df[df["split"] == "train"], df[df["split"] == "test"]
    return {"addresses": sorted(set(train["address_id"]) & set(test["address_id"])),
            "texts": sorted(set(train["text"]) & set(test["text"]))}


@pytest.fixture(scope="module")
def sotu() -> pd.DataFrame:
    return load_sotu()


def test_only_train_and_test(sotu):
    assert set(sotu["split"]) == {"train", "test"}


def test_no_address_in_both_splits(sotu):
    overlap = split_overlap(sotu)["addresses"]
    assert overlap == [], f"addresses in both splits: {overlap}"


def test_every_address_lies_in_one_split(sotu):
    per_address = sotu.groupby("address_id")["split"].nunique()
    assert (per_address == 1).all(), per_address[per_address > 1].index.tolist()


def test_no_paragraph_text_in_both_splits(sotu):
    overlap = split_overlap(sotu)["texts"]
    assert overlap == [], f"{len(overlap)} paragraph texts occur in both splits, e.g. {overlap[:3]}"


def test_no_paragraph_text_in_both_splits_after_normalising(sotu):
    norm = sotu.assign(text=sotu["text"].str.lower().str.replace(r"\W+", " ", regex=True).str.strip())
    overlap = split_overlap(norm)["texts"]
    assert overlap == [], f"{len(overlap)} near-identical paragraphs in both splits, e.g. {overlap[:3]}"


def test_splits_are_balanced_by_party(sotu):
    counts = sotu.groupby(["split", "party"]).size().unstack()
    assert (counts["Democratic"] == counts["Republican"]).all(), counts


def test_overlap_check_catches_a_leaky_split():
    leaky = pd.DataFrame({"address_id": ["2001-A", "2001-A", "2002-B", "2003-C"],
                          "text": ["same words", "other words", "same words", "unique"],
                          "split": ["train", "test", "test", "train"]})
    overlap = split_overlap(leaky)
    assert overlap == {"addresses": ["2001-A"], "texts": ["same words"]}


def test_overlap_check_needs_the_columns():
    with pytest.raises(ValueError, match="address_id"):
        split_overlap(pd.DataFrame({"text": ["a"], "split": ["train"]}))
