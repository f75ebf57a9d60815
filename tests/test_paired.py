"""Unit tests of the paired comparisons in helpers.evaluation: paired_difference (accuracy and AUC, clusters
and strata), paired_share_difference, mcnemar_exact, and the vectorised machinery behind them
(_cluster_layout, _resample_weights, _weighted_auc), which must reproduce cluster_bootstrap's resamples.
Their coverage and false-positive rates in simulation are in test_recovery.py."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import evaluation as ev


def _clustered(seed: int = 0, n_clusters: int = 12, per_cluster: int = 5):
    """Party labels of ``n_clusters`` presidents (alternating parties) with ``per_cluster`` paragraphs each,
    two score columns (B better than A) and the predicted labels they give."""
    rng = np.random.default_rng(seed)
    clusters = np.repeat(np.arange(n_clusters), per_cluster)
    positive = clusters % 2 == 1
    y = np.where(positive, "R", "D").tolist()
    effect = rng.normal(0, 0.5, n_clusters)[clusters]
    a = 0.6 * positive + effect + rng.normal(0, 1, clusters.size)
    b = 1.5 * positive + effect + rng.normal(0, 1, clusters.size)
    pred_a, pred_b = np.where(a > 0.3, "R", "D").tolist(), np.where(b > 0.75, "R", "D").tolist()
    return y, a, b, pred_a, pred_b, clusters


# --- values against direct computation -----------------------------------------------------------------------
def test_accuracy_values_are_the_shares_of_right_answers():
    y, _, _, pred_a, pred_b, clusters = _clustered()
    r = ev.paired_difference(y, pred_a, pred_b, clusters=clusters, names=("embedding", "chat"), unit="presidents",
                             n_boot=200)
    acc_a = np.mean([t == p for t, p in zip(y, pred_a)])
    acc_b = np.mean([t == p for t, p in zip(y, pred_b)])
    assert r["value_a"] == pytest.approx(acc_a, abs=1e-15) and r["value_b"] == pytest.approx(acc_b, abs=1e-15)
    assert r["difference"] == pytest.approx(acc_b - acc_a, abs=1e-15)
    assert r["ci_low"] <= r["difference"] <= r["ci_high"]
    assert (r["n_clusters"], r["n_boot"], r["n_undefined"]) == (12, 200, 0)
    assert {"value_a", "value_b", "difference", "ci_low", "ci_high", "n_clusters", "n_boot", "n_undefined",
            "verdict"} <= set(r)
    # None (unparsed) is an error of that method, never dropped
    with_none = ev.paired_difference(["x", "y", "x", "y"], ["x", "y", "x", "y"], [None, "y", None, "y"], n_boot=100)
    assert (with_none["value_a"], with_none["value_b"], with_none["difference"]) == (1.0, 0.5, -0.5)


def test_auc_values_are_roc_auc():
    y, a, b, _, _, clusters = _clustered(1)
    r = ev.paired_difference(y, a, b, measure="auc", positive="R", clusters=clusters, n_boot=200)
    assert r["value_a"] == pytest.approx(ev.roc_auc(y, a, "R"), abs=1e-15)
    assert r["value_b"] == pytest.approx(ev.roc_auc(y, b, "R"), abs=1e-15)
    assert r["difference"] == pytest.approx(r["value_b"] - r["value_a"], abs=1e-15)
    # the positive label decides the direction: the AUC of the other label is 1 - AUC
    flipped = ev.paired_difference(y, a, b, measure="auc", positive="D", clusters=clusters, n_boot=200)
    assert flipped["value_a"] == pytest.approx(1 - r["value_a"]) and flipped["difference"] == pytest.approx(
        -r["difference"])
    # pandas input with the same labelled rows in another order is aligned by label
    idx = [f"p{k}" for k in range(len(y))]
    ys, as_, bs = pd.Series(y, index=idx), pd.Series(a, index=idx), pd.Series(b, index=idx)
    shuffled = ev.paired_difference(ys, as_.iloc[::-1], bs.sample(frac=1, random_state=0), measure="auc",
                                    positive="R", clusters=pd.Series(clusters, index=idx)[::-1], n_boot=200)
    assert shuffled["value_a"] == pytest.approx(r["value_a"]) and shuffled["value_b"] == pytest.approx(r["value_b"])


# --- the same resamples as cluster_bootstrap --------------------------------------------------------------
@pytest.mark.parametrize("use_strata", [False, True])
def test_resample_weights_reproduce_cluster_bootstraps_draws(use_strata):
    """``_resample_weights`` (same seed) counts exactly the rows that ``cluster_bootstrap`` draws, resample by
    resample: a statistic that records which rows it was given shows them."""
    y, _, _, _, _, clusters = _clustered(2, n_clusters=10, per_cluster=3)
    strata = y if use_strata else None
    seen = []

    def record(rows):
        seen.append(np.bincount(rows.astype(int), minlength=len(y)))
        return 0.0

    ev.cluster_bootstrap(record, np.arange(len(y)), clusters=clusters, strata=strata, n_boot=150, seed=7)
    codes, ids, groups = ev._cluster_layout(clusters, strata)
    weights = ev._resample_weights(codes, len(ids), groups, 150, 7)
    assert weights.shape == (150, len(y))
    np.testing.assert_array_equal(np.array(seen[1:]), weights)     # seen[0]: the estimate on the data
    # whole clusters: the rows of one cluster are always drawn together
    for k in range(10):
        rows = weights[:, clusters == k]
        assert (rows == rows[:, :1]).all()
    # another seed, other resamples
    assert not np.array_equal(weights, ev._resample_weights(codes, len(ids), groups, 150, 8))


@pytest.mark.parametrize("use_strata", [False, True])
def test_auc_interval_equals_cluster_bootstrap_of_the_same_statistic(use_strata):
    y, a, b, _, _, clusters = _clustered(3)
    strata = y if use_strata else None
    r = ev.paired_difference(y, a, b, measure="auc", positive="R", clusters=clusters, strata=strata, n_boot=300,
                             seed=5)
    boot = ev.cluster_bootstrap(lambda t, sa, sb: ev.roc_auc(t, sb, "R") - ev.roc_auc(t, sa, "R"),
                                np.asarray(y, dtype=object), a, b, clusters=clusters, strata=strata, n_boot=300,
                                seed=5)
    assert boot["estimate"] == pytest.approx(r["difference"], abs=1e-12)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((boot["ci_low"], boot["ci_high"]), abs=1e-12)
    assert r["n_undefined"] == boot["n_undefined"]
    # another seed: other resamples, the same interval within Monte-Carlo error
    other = ev.cluster_bootstrap(lambda t, sa, sb: ev.roc_auc(t, sb, "R") - ev.roc_auc(t, sa, "R"),
                                 np.asarray(y, dtype=object), a, b, clusters=clusters, strata=strata, n_boot=300,
                                 seed=6)
    width = r["ci_high"] - r["ci_low"]
    assert abs(other["ci_low"] - r["ci_low"]) < 0.25 * width and abs(other["ci_high"] - r["ci_high"]) < 0.25 * width


def test_accuracy_interval_equals_cluster_bootstrap_of_the_mean_difference():
    y, _, _, pred_a, pred_b, clusters = _clustered(4)
    hits_a = np.array([t == p for t, p in zip(y, pred_a)], dtype=float)
    hits_b = np.array([t == p for t, p in zip(y, pred_b)], dtype=float)
    for strata in [None, y]:
        r = ev.paired_difference(y, pred_a, pred_b, clusters=clusters, strata=strata, n_boot=300, seed=9)
        boot = ev.cluster_bootstrap(lambda ha, hb: np.mean(hb) - np.mean(ha), hits_a, hits_b, clusters=clusters,
                                    strata=strata, n_boot=300, seed=9)
        assert (r["ci_low"], r["ci_high"]) == pytest.approx((boot["ci_low"], boot["ci_high"]), abs=1e-12)


def test_weighted_auc_equals_roc_auc_on_the_expanded_resample():
    rng = np.random.default_rng(5)
    positive = rng.random(40) < 0.5
    scores = np.round(rng.normal(size=40) + positive, 1)            # rounded: many ties
    weights = rng.integers(0, 3, (25, 40)).astype(float)
    weights[0] = 1.0
    weights[1, positive] = 0.0                                       # a resample without positives
    got = ev._weighted_auc(positive, scores, weights)
    assert got[0] == pytest.approx(ev.roc_auc(positive, scores, True), abs=1e-12)
    assert np.isnan(got[1])
    for w, value in zip(weights[2:], got[2:]):
        rows = np.repeat(np.arange(40), w.astype(int))
        assert value == pytest.approx(ev.roc_auc(positive[rows], scores[rows], True), abs=1e-12)


def test_cluster_layout():
    codes, ids, groups = ev._cluster_layout(["b", "b", "a", "c", "a"])
    assert codes.tolist() == [0, 0, 1, 2, 1] and list(ids) == ["b", "a", "c"]
    assert [g.tolist() for g in groups] == [[0, 1, 2]]
    codes, ids, groups = ev._cluster_layout(["b", "b", "a", "c", "a", "d"], strata=["R", "R", "D", "R", "D", "D"])
    assert sorted(np.concatenate(groups).tolist()) == [0, 1, 2, 3]           # every cluster in one stratum
    assert {tuple(ids[g]) for g in groups} == {("b", "c"), ("a", "d")}


# --- strata -----------------------------------------------------------------------------------------------
def test_strata_keep_both_classes_in_every_resample():
    """Two presidents per party: an unstratified resample holds one party only 1 time in 8, so the AUC is too
    often undefined and the helper refuses, pointing to strata=; resampled within party, every resample holds
    two presidents of each party."""
    y, a, b, _, _, clusters = _clustered(6, n_clusters=4, per_cluster=6)
    with pytest.raises(ValueError, match=r"undefined on \d+ of 400 resamples.*strata="):
        ev.paired_difference(y, a, b, measure="auc", positive="R", clusters=clusters, n_boot=400)
    r = ev.paired_difference(y, a, b, measure="auc", positive="R", clusters=clusters, strata=y, n_boot=400)
    assert r["n_undefined"] == 0 and r["n_clusters"] == 4
    codes, ids, groups = ev._cluster_layout(clusters, y)
    weights = ev._resample_weights(codes, len(ids), groups, 400, 0)
    positive = np.asarray(y) == "R"
    # 2 presidents x 6 paragraphs of each party in every resample
    assert (weights[:, positive].sum(axis=1) == 12).all() and (weights[:, ~positive].sum(axis=1) == 12).all()


# --- verdicts ---------------------------------------------------------------------------------------------
def test_verdict_in_all_three_directions():
    y = ["D", "R"] * 30
    right, wrong = list(y), ["R" if t == "D" else "D" for t in y]
    half = right[:30] + wrong[30:]
    films = [k // 3 for k in range(60)]
    higher = ev.paired_difference(y, half, right, clusters=films, names=("prompt", "fine-tuned"), unit="films",
                                  n_boot=200)
    assert higher["verdict"].startswith("fine-tuned has the higher accuracy (+0.500, 95% interval +")
    assert higher["verdict"].endswith(", 20 films resampled; the interval excludes 0).")
    lower = ev.paired_difference(y, half, wrong, names=("prompt", "fine-tuned"), n_boot=200)
    assert lower["verdict"].startswith("fine-tuned has the lower accuracy (-0.500, 95% interval -")
    assert "60 items resampled; the interval excludes 0)." in lower["verdict"]
    same = ev.paired_difference(y, half, half[::-1], n_boot=200)
    assert same["verdict"].startswith("B and A do not differ clearly in accuracy (+0.000, 95% interval ")
    assert same["verdict"].endswith("; the interval includes 0).")
    rng = np.random.default_rng(0)
    s = rng.normal(size=60) + (np.array(y) == "R")
    auc = ev.paired_difference(y, rng.normal(size=60), s, measure="auc", positive="R", names=("random", "model"),
                               n_boot=200, confidence=0.9)
    assert auc["verdict"].startswith("model has the higher AUC (") and "90% interval" in auc["verdict"]


def test_p_mcnemar_only_for_independent_items_and_equal_to_statsmodels():
    from statsmodels.stats.contingency_tables import mcnemar

    y, a, b, pred_a, pred_b, clusters = _clustered(7)
    r = ev.paired_difference(y, pred_a, pred_b, n_boot=200)
    ha = np.array([t == p for t, p in zip(y, pred_a)])
    hb = np.array([t == p for t, p in zip(y, pred_b)])
    table = [[int(np.sum(ha & hb)), int(np.sum(ha & ~hb))], [int(np.sum(~ha & hb)), int(np.sum(~ha & ~hb))]]
    assert r["p_mcnemar"] == pytest.approx(mcnemar(table, exact=True).pvalue, abs=1e-15)
    assert "p_mcnemar" not in ev.paired_difference(y, pred_a, pred_b, clusters=clusters, n_boot=200)
    assert "p_mcnemar" not in ev.paired_difference(y, a, b, measure="auc", positive="R", n_boot=200)
    assert ev.accuracy_difference(y, pred_a, pred_b, n_boot=200)["p_mcnemar"] == r["p_mcnemar"]


# --- mcnemar_exact ------------------------------------------------------------------------------------------
def test_mcnemar_exact_on_hand_worked_tables():
    # 3 both right, 8 only B right, 2 only A right, 1 both wrong: p = 2 P(X <= 2), X ~ Bin(10, 1/2) = 112 / 1024
    a = [1] * 3 + [0] * 8 + [1] * 2 + [0]
    b = [1] * 3 + [1] * 8 + [0] * 2 + [0]
    r = ev.mcnemar_exact(a, b)
    assert (r["b_only"], r["a_only"], r["n"]) == (8, 2, 14)
    assert r["p_value"] == pytest.approx(112 / 1024, abs=1e-12)
    swapped = ev.mcnemar_exact(b, a)
    assert (swapped["b_only"], swapped["a_only"], swapped["p_value"]) == (2, 8, r["p_value"])
    # all discordant pairs one way: 8 of 8 -> p = 2 / 2**8
    assert ev.mcnemar_exact([0] * 8 + [1], [1] * 8 + [1])["p_value"] == pytest.approx(2 / 256, abs=1e-12)
    # no discordant pair: nothing speaks for either method
    assert ev.mcnemar_exact([1, 0, 1], [1, 0, 1])["p_value"] == 1.0
    # True/False and NumPy input count the same
    assert ev.mcnemar_exact(np.array(a, dtype=bool), [bool(v) for v in b]) == r


@pytest.mark.parametrize("hits_a, hits_b, words", [
    ("101", [1, 0, 1], "hits_a must be"),
    ([1, 0, 1], "101", "hits_b must be"),
    ([1, 0], [1, 0, 1], "hits_a has 2 items but hits_b has 3"),
    ([1, 2], [1, 0], "hits_a must hold 1/0 or True/False"),
    ([1, 0], [1, float("nan")], "hits_b must hold 1/0 or True/False"),
    ([1, 0], ["1", "0"], "hits_b must hold 1/0 or True/False"),
    ([], [], "hits_a is empty"),
])
def test_mcnemar_exact_bad_inputs(hits_a, hits_b, words):
    with pytest.raises(ValueError, match=words):
        ev.mcnemar_exact(hits_a, hits_b)


# --- paired_share_difference --------------------------------------------------------------------------------
def test_paired_share_difference_is_the_accuracy_case_on_hits():
    y, _, _, pred_a, pred_b, clusters = _clustered(8)
    ha = [t == p for t, p in zip(y, pred_a)]
    hb = [t == p for t, p in zip(y, pred_b)]
    for kwargs in [{}, {"clusters": clusters}, {"clusters": clusters, "strata": y}]:
        shares = ev.paired_share_difference(ha, hb, n_boot=200, seed=3, **kwargs)
        acc = ev.paired_difference(y, pred_a, pred_b, n_boot=200, seed=3, **kwargs)
        for key in ["value_a", "value_b", "difference", "ci_low", "ci_high", "n_clusters"]:
            assert shares[key] == pytest.approx(acc[key], abs=1e-12), key
        assert ("p_mcnemar" in shares) == ("clusters" not in kwargs)
    r = ev.paired_share_difference([0, 0, 1, 0, 1, 0] * 5, [1, 1, 1, 0, 1, 1] * 5, what="share solved", n_boot=200)
    assert r["verdict"].startswith("after has the higher share solved (+0.500")


@pytest.mark.parametrize("kwargs, words", [
    ({"successes_b": [1, 0]}, "successes_a has 4 problems but successes_b has 2"),
    ({"successes_a": [1, 0, 2, 1]}, "successes_a must hold 1/0"),
    ({"what": " "}, "what must name the share"),
    ({"names": ("x", "x")}, "names must differ"),
    ({"n_boot": 50}, "n_boot must be an integer of at least 100"),
    ({"strata": [0, 0, 1, 1]}, "strata need clusters"),
])
def test_paired_share_difference_bad_inputs(kwargs, words):
    args = {"successes_a": [1, 0, 1, 0], "successes_b": [1, 1, 1, 0], "n_boot": 100}
    args.update(kwargs)
    with pytest.raises(ValueError, match=words):
        ev.paired_share_difference(**args)


# --- bad inputs to paired_difference ------------------------------------------------------------------------
Y = ["D", "R"] * 6
PRED_A, PRED_B = ["D"] * 12, list(Y)
SCORES = np.linspace(0, 1, 12)
CLUSTERS = np.repeat(np.arange(6), 2)                    # each cluster holds one D and one R item


@pytest.mark.parametrize("call, words", [
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, names=("x", "x")), "names must differ"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, names="AB"), "names must be two non-empty strings"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, names=("a", "b", "c")), "names must be two non-empty strings"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, measure="f1"), "measure must be 'accuracy' or 'auc'"),
    (lambda: ev.paired_difference(Y, SCORES, SCORES, measure="auc"), "measure='auc' needs positive="),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, positive="R"), "positive is for measure='auc'"),
    (lambda: ev.paired_difference(Y, SCORES, SCORES, measure="auc", positive="X"),
     "positive='X' is not one of the labels"),
    (lambda: ev.paired_difference(["R"] * 12, SCORES, SCORES[::-1], measure="auc", positive="R"), "one class only"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, strata=Y), "strata need clusters"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, clusters=CLUSTERS, strata=Y),
     "cluster 0 lies in more than one stratum"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, clusters=np.arange(12), strata=["x"] + ["y"] * 11),
     r"strata \['x'\] hold only one cluster"),
    (lambda: ev.paired_difference("DRDRDRDRDRDR", PRED_A, PRED_B), "y_true must be one label per item"),
    # the accuracy case checks a and b as predictions: the message calls them y_pred
    (lambda: ev.paired_difference(Y, "D", PRED_B), r"(a|y_pred) must be one prediction per item"),
    (lambda: ev.paired_difference(Y, PRED_A, "D"), r"(b|y_pred) must be one prediction per item"),
    (lambda: ev.paired_difference(Y, "0.5", SCORES, measure="auc", positive="R"), "a must be one score per item"),
    (lambda: ev.paired_difference(Y, SCORES, "0.5", measure="auc", positive="R"), "b must be one score per item"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, clusters="abc"), "clusters must be one cluster id per item"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, clusters=CLUSTERS, strata="R"),
     "strata must be one stratum id per row"),
    (lambda: ev.paired_difference(Y, PRED_A[:5], PRED_B), r"y_true has 12 entries but (a|y_pred) has 5"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B[:5]), r"y_true has 12 entries but (b|y_pred) has 5"),
    (lambda: ev.paired_difference(Y, SCORES[:5], SCORES, measure="auc", positive="R"), "a has 5 scores"),
    (lambda: ev.paired_difference(Y, SCORES, SCORES[:5], measure="auc", positive="R"), "b has 5 scores"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, clusters=CLUSTERS[:5]), "clusters has 5 ids"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, clusters=np.arange(12), strata=Y[:5]), "strata has 5 rows"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, n_boot=99), "n_boot must be an integer of at least 100"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, n_boot=200.0), "n_boot must be an integer of at least 100"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, n_boot=True), "n_boot must be an integer of at least 100"),
    (lambda: ev.paired_difference(Y, np.r_[np.nan, SCORES[1:]], SCORES, measure="auc", positive="R"),
     r"(scores|a) contains? nan"),
    (lambda: ev.paired_difference(Y, SCORES, np.r_[SCORES[:-1], np.inf], measure="auc", positive="R"),
     r"(scores|b) contains? nan or inf"),
    (lambda: ev.paired_difference(Y, ["x"] * 12, SCORES, measure="auc", positive="R"), "must be numbers"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, confidence=95), "confidence must be a number between 0 and 1"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, seed=-1), "seed must be a non-negative integer"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, clusters=CLUSTERS, unit=""), "unit must name what a cluster is"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, clusters=[None] + list(CLUSTERS[1:])),
     "clusters contains missing ids"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, clusters=np.arange(12), strata=[None] + Y[1:]),
     "strata contains missing ids"),
    (lambda: ev.paired_difference([None] + Y[1:], PRED_A, PRED_B), "y_true contains missing labels"),
    (lambda: ev.paired_difference(["D"], ["D"], ["D"]), "at least two items"),
    (lambda: ev.paired_difference(Y, PRED_A, PRED_B, clusters=[1] * 12), "only one cluster"),
])
def test_paired_difference_bad_inputs(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_no_verdict_of_a_difference_from_fewer_than_min_clusters():
    """B is right on every item and A on none, in 6 clusters: the bootstrap interval excludes 0, but six
    clusters are too few to decide; the same data in 20 clusters give the verdict."""
    y = ["D", "R"] * 30
    clusters = [i % 6 for i in range(60)]
    r = ev.paired_difference(y, ["D" if t == "R" else "R" for t in y], y, clusters=clusters, names=("A", "B"),
                          unit="presidents", n_boot=200)
    assert r["ci_low"] > 0 and not r["clear"]
    assert r["verdict"].startswith("B and A cannot be told apart with 6 presidents")
    r = ev.paired_difference(y, ["D" if t == "R" else "R" for t in y], y, clusters=[i % 20 for i in range(60)],
                          names=("A", "B"), unit="presidents", n_boot=200)
    assert r["clear"] and r["verdict"].startswith("B has the higher accuracy")


def test_accuracy_difference_gives_no_verdict_where_paired_difference_gives_none():
    y = ["D", "R"] * 30
    wrong = ["D" if t == "R" else "R" for t in y]
    few = ev.accuracy_difference(y, wrong, y, clusters=[i % 6 for i in range(60)], names=("A", "B"), n_boot=200)
    assert not few["clear"] and "cannot be told apart with 6" in few["verdict"]
    # 10 independent items, B right on 4 more: the bootstrap interval excludes 0, the exact McNemar test does not reject
    exact = ev.accuracy_difference(["x"] * 10, ["y"] * 10, ["x"] * 4 + ["y"] * 6, names=("A", "B"), n_boot=500)
    assert exact["ci_low"] > 0 and not exact["clear"] and "McNemar" in exact["verdict"]
    many = ev.accuracy_difference(y, wrong, y, clusters=[i % 20 for i in range(60)], names=("A", "B"), n_boot=200)
    assert many["clear"] and many["verdict"].startswith("B is more accurate than A")


def test_difference_verdict_reads_a_cluster_bootstrap_difference():
    y = np.array([1.0, 0.0] * 30)
    clusters = [i % 20 for i in range(60)]
    boot = ev.cluster_bootstrap(lambda a: a.mean(), y, clusters=clusters, n_boot=200)
    assert ev.difference_verdict(boot, ("A", "B"), "share", "presidents").startswith("B has the higher share")
    assert "includes 0" in ev.difference_verdict({**boot, "ci_low": -0.1}, ("A", "B"), "share", "presidents")
    assert "cannot be told apart with 6" in ev.difference_verdict({**boot, "n_clusters": 6}, ("A", "B"), "share",
                                                                   "presidents")
    with pytest.raises(ValueError, match="result must be the dict"):
        ev.difference_verdict(0.3, ("A", "B"), "share", "presidents")
    with pytest.raises(ValueError, match="names must differ"):
        ev.difference_verdict(boot, ("A", "A"), "share", "presidents")
