"""Questionnaire scales scored with published keys (Day 2b).

A scale's published key lists its items and marks the reverse-keyed ones (agreeing with "Leave a mess
in my room." means *less* Order). :func:`score_scales` reverses those answers and averages;
:func:`keyed_correlations` turns item correlations into correlations of keyed answers, the direction
in which a scale's authors read each item.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._checks import is_real


def _check_keys(keys: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(keys, pd.DataFrame) or not {"scale", "item_id", "key"} <= set(keys.columns):
        raise ValueError("keys must be a DataFrame with columns scale, item_id and key (as load_spi_keys() returns).")
    bad = keys.loc[~keys["key"].isin([1, -1]), "key"]
    if len(bad):
        raise ValueError(f"keys: column 'key' must hold 1 (forward) or -1 (reverse-keyed), found {bad.iloc[0]!r}.")
    if keys.duplicated(["scale", "item_id"]).any():
        first = keys[keys.duplicated(["scale", "item_id"])].iloc[0]
        raise ValueError(f"keys: item {first.item_id!r} is listed twice in scale {first.scale!r}.")
    return keys


def score_scales(answers: pd.DataFrame, keys: pd.DataFrame, low: int, high: int) -> pd.DataFrame:
    """Scale scores: per respondent, the mean of a scale's answered items, reverse-keyed as ``low + high - answer``.

    ``answers``: one row per respondent, one column per item (named as ``keys.item_id``), NaN = not answered.
    ``low``/``high``: the ends of the answer scale (1 and 6 for the SPI). Returns one column per scale, in the
    order of ``keys``.

    >>> answers = pd.DataFrame({"tidy": [6, 1], "mess": [1, 6]})
    >>> keys = pd.DataFrame({"scale": ["Order", "Order"], "item_id": ["tidy", "mess"], "key": [1, -1]})
    >>> score_scales(answers, keys, low=1, high=6)
       Order
    0    6.0
    1    1.0
    """
    keys = _check_keys(keys)
    for name, v in [("low", low), ("high", high)]:
        if not is_real(v) or float(v) != int(v):
            raise ValueError(f"score_scales: {name} must be a whole number (an end of the answer scale), got {v!r}.")
    if low >= high:
        raise ValueError(f"score_scales: low={low!r} must be below high={high!r}.")
    missing = sorted(set(keys["item_id"]) - set(answers.columns))
    if missing:
        raise ValueError(f"score_scales: answers has no column for {len(missing)} keyed item(s), e.g. {missing[:3]}.")
    values = answers[keys["item_id"].unique()].astype(float)
    outside = values.notna() & ((values < low) | (values > high))
    if outside.to_numpy().any():
        col = outside.any().idxmax()
        raise ValueError(f"score_scales: answers to {col!r} lie outside {low}..{high} "
                         f"(e.g. {values.loc[outside[col], col].iloc[0]:g}); pass the scale's real ends.")
    scores = {}
    for scale, rows in keys.groupby("scale", sort=False):
        block = values[rows["item_id"]].to_numpy(dtype=float, copy=True)
        reverse = rows["key"].to_numpy() < 0
        block[:, reverse] = low + high - block[:, reverse]
        with np.errstate(invalid="ignore"):
            scores[scale] = np.nanmean(block, axis=1) if np.isnan(block).any() else block.mean(axis=1)
    return pd.DataFrame(scores, index=answers.index)


def keyed_correlations(correlations: pd.DataFrame, item_keys: pd.Series) -> pd.DataFrame:
    """Item correlations of keyed answers: ``r_ij * key_i * key_j``.

    ``correlations``: items x items, labelled by item id; ``item_keys``: one key (1 or -1) per item id, e.g.
    the key of each item in its facet. Reversing an item's answers flips the sign of its correlations.

    >>> r = pd.DataFrame([[1.0, -0.6], [-0.6, 1.0]], index=["tidy", "mess"], columns=["tidy", "mess"])
    >>> keyed_correlations(r, pd.Series({"tidy": 1, "mess": -1})).loc["tidy", "mess"]
    np.float64(0.6)
    """
    if not isinstance(correlations, pd.DataFrame) or list(correlations.index) != list(correlations.columns):
        raise ValueError("keyed_correlations: correlations must be a square DataFrame with the item ids as index "
                         "and columns (e.g. answers.corr()).")
    item_keys = pd.Series(item_keys)
    missing = [i for i in correlations.index if i not in item_keys.index]
    if missing:
        raise ValueError(f"keyed_correlations: no key for {len(missing)} item(s), e.g. {missing[:3]}.")
    if item_keys.index.duplicated().any():
        raise ValueError("keyed_correlations: item_keys gives one item two keys; pass one key per item "
                         "(e.g. its key in its facet).")
    k = item_keys.loc[correlations.index].to_numpy()
    if not np.isin(k, [1, -1]).all():
        raise ValueError(f"keyed_correlations: keys must be 1 or -1, found {k[~np.isin(k, [1, -1])][0]!r}.")
    return correlations * np.outer(k, k)
