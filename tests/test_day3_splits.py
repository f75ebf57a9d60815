"""Day 3 (3a-3e): the State of the Union train/test split must not leak.

The label (party) belongs to the president, so the split is by president: no president, no address
and no paragraph text on both sides. These tests check the shipped data and check that the overlap
check itself catches a leaky split.
"""
from __future__ import annotations

import pandas as pd
import pytest

from helpers.data import load_sotu


def split_overlap(df: pd.DataFrame) -> dict[str, list]:
    """Presidents, addresses and paragraph texts that occur in both the train and the test split."""
    missing = {"president", "address_id", "text", "split"} - set(df.columns)
    if missing:
        raise ValueError(f"split_overlap needs columns {sorted(missing)}")
    train, test = df[df["split"] == "train"], df[df["split"] == "test"]
    return {"presidents": sorted(set(train["president"]) & set(test["president"])),
            "addresses": sorted(set(train["address_id"]) & set(test["address_id"])),
            "texts": sorted(set(train["text"]) & set(test["text"]))}


@pytest.fixture(scope="module")
def sotu() -> pd.DataFrame:
    return load_sotu()


def test_only_train_and_test(sotu):
    assert set(sotu["split"]) == {"train", "test"}


def test_no_president_in_both_splits(sotu):
    overlap = split_overlap(sotu)["presidents"]
    assert overlap == [], f"presidents in both splits: {overlap}"


def test_no_address_in_both_splits(sotu):
    overlap = split_overlap(sotu)["addresses"]
    assert overlap == [], f"addresses in both splits: {overlap}"


def test_every_president_lies_in_one_split(sotu):
    per_president = sotu.groupby("president")["split"].nunique()
    assert (per_president == 1).all(), per_president[per_president > 1].index.tolist()


def test_both_parties_have_several_presidents_on_each_side(sotu):
    per_side = sotu.drop_duplicates("president").groupby(["split", "party"]).size()
    assert (per_side >= 2).all(), per_side        # a bootstrap within party needs two presidents per party


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
    leaky = pd.DataFrame({"president": ["A", "A", "B", "C"],
                          "address_id": ["2001-A", "2002-A", "2002-B", "2003-C"],
                          "text": ["same words", "other words", "same words", "unique"],
                          "split": ["train", "test", "test", "train"]})
    overlap = split_overlap(leaky)
    assert overlap == {"presidents": ["A"], "addresses": [], "texts": ["same words"]}


def test_overlap_check_needs_the_columns():
    with pytest.raises(ValueError, match="president"):
        split_overlap(pd.DataFrame({"address_id": ["a"], "text": ["a"], "split": ["train"]}))
