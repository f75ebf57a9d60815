"""helpers.scales: scoring with published keys, against hand-computed values and bad inputs."""

import numpy as np
import pandas as pd
import pytest

from helpers.scales import keyed_correlations, score_scales

KEYS = pd.DataFrame({"scale": ["Order", "Order", "Order", "Calm"], "item_id": ["tidy", "mess", "order", "calm"],
                     "key": [1, -1, 1, 1]})


def test_reverse_keyed_items_are_flipped_and_averaged():
    answers = pd.DataFrame({"tidy": [6, 2, 4], "mess": [1, 5, np.nan], "order": [5, 2, 3], "calm": [3, 3, 3]})
    scores = score_scales(answers, KEYS, low=1, high=6)
    assert list(scores.columns) == ["Order", "Calm"]
    # respondent 0: 6, 7-1=6, 5 -> 17/3; respondent 1: 2, 2, 2; respondent 2: answered items only (4, 3)
    assert scores["Order"].tolist() == pytest.approx([17 / 3, 2.0, 3.5])
    assert scores["Calm"].tolist() == [3.0, 3.0, 3.0]


def test_other_scale_ends():
    answers = pd.DataFrame({"tidy": [0], "mess": [4], "order": [2], "calm": [0]})
    assert score_scales(answers, KEYS, low=0, high=4)["Order"].iloc[0] == pytest.approx((0 + 0 + 2) / 3)


def test_keyed_correlations_flip_the_reverse_keyed_rows_and_columns():
    rng = np.random.default_rng(0)
    latent = rng.normal(size=2000)
    answers = pd.DataFrame({"tidy": latent + rng.normal(size=2000), "mess": -latent + rng.normal(size=2000),
                            "order": latent + rng.normal(size=2000)})
    r = answers.corr()
    keyed = keyed_correlations(r, pd.Series({"tidy": 1, "mess": -1, "order": 1}))
    assert (keyed.to_numpy() > 0.3).all()                     # all keyed items now go together
    assert keyed.loc["tidy", "order"] == r.loc["tidy", "order"]
    assert keyed.loc["mess", "tidy"] == -r.loc["mess", "tidy"]
    # the keyed correlations are the correlations of the keyed answers
    flipped = answers.assign(mess=7 - answers["mess"]).corr()
    np.testing.assert_allclose(keyed.to_numpy(), flipped.to_numpy(), atol=1e-12)


@pytest.mark.parametrize("change, message", [
    (lambda k: k.assign(key=[1, 0, 1, 1]), "1 .forward. or -1"),
    (lambda k: pd.concat([k, k.iloc[:1]]), "listed twice"),
    (lambda k: k.drop(columns="key"), "columns scale, item_id and key"),
    (lambda k: k.assign(item_id=["tidy", "mess", "order", "relaxed"]), "no column for 1 keyed item"),
])
def test_bad_keys_are_refused(change, message):
    answers = pd.DataFrame({"tidy": [6], "mess": [1], "order": [5], "calm": [3]})
    with pytest.raises(ValueError, match=message):
        score_scales(answers, change(KEYS), low=1, high=6)


def test_answers_outside_the_scale_are_refused():
    answers = pd.DataFrame({"tidy": [6], "mess": [7], "order": [5], "calm": [3]})
    with pytest.raises(ValueError, match="'mess' lie outside 1..6"):
        score_scales(answers, KEYS, low=1, high=6)
    with pytest.raises(ValueError, match="low=6 must be below high=1"):
        score_scales(answers, KEYS, low=6, high=1)
    with pytest.raises(ValueError, match="high must be a whole number"):
        score_scales(answers, KEYS, low=1, high="6")


def test_keyed_correlations_refuse_missing_or_bad_keys():
    r = pd.DataFrame(np.eye(2), index=["a", "b"], columns=["a", "b"])
    with pytest.raises(ValueError, match="no key for 1 item"):
        keyed_correlations(r, pd.Series({"a": 1}))
    with pytest.raises(ValueError, match="must be 1 or -1"):
        keyed_correlations(r, pd.Series({"a": 1, "b": 2}))
    with pytest.raises(ValueError, match="square DataFrame"):
        keyed_correlations(r.to_numpy(), pd.Series({"a": 1, "b": 1}))
