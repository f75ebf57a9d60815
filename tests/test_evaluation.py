"""Unit tests of helpers.evaluation: exact and cluster-bootstrap intervals, ROC AUC, verdicts, and the
clusters= / scores= options of evaluate() and results_table(), bad inputs included."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import evaluation as ev

OLD_KEYS = {"n", "accuracy", "ci_low", "ci_high", "macro_f1", "unparsed", "accuracy_parsed",
            "majority_baseline", "chance"}


def _mean(a):
    return float(np.mean(a))


# --- clopper_pearson --------------------------------------------------------------------------------
@pytest.mark.parametrize("k, n", [(0, 1), (1, 1), (0, 10), (10, 10), (3, 10), (12, 16), (1, 50), (49, 50),
                                  (250, 500)])
@pytest.mark.parametrize("confidence", [0.95, 0.9])
def test_clopper_pearson_matches_scipy_exact(k, n, confidence):
    from scipy.stats import binomtest

    ref = binomtest(k, n).proportion_ci(confidence_level=confidence, method="exact")
    lo, hi = ev.clopper_pearson(k, n, confidence)
    assert lo == pytest.approx(ref.low, abs=1e-9)
    assert hi == pytest.approx(ref.high, abs=1e-9)
    assert 0.0 <= lo <= k / n <= hi <= 1.0
    assert isinstance(lo, float) and isinstance(hi, float)


def test_clopper_pearson_edges_and_width():
    assert ev.clopper_pearson(0, 20)[0] == 0.0
    assert ev.clopper_pearson(20, 20)[1] == 1.0
    # exact interval is at least as wide as Wilson's and narrows with n
    lo, hi = ev.clopper_pearson(12, 16)
    wlo, whi = ev.wilson_interval(12, 16)
    assert hi - lo >= whi - wlo
    lo2, hi2 = ev.clopper_pearson(120, 160)
    assert hi2 - lo2 < hi - lo
    # higher confidence gives a wider interval
    lo99, hi99 = ev.clopper_pearson(12, 16, 0.99)
    assert lo99 < lo and hi99 > hi


@pytest.mark.parametrize("k, n, conf, words", [
    (0, 0, 0.95, "positive integer"),
    (1, -3, 0.95, "positive integer"),
    (5, 2.5, 0.95, "positive integer"),
    (11, 10, 0.95, "between 0 and n"),
    (-1, 10, 0.95, "between 0 and n"),
    (5, 10, 1.5, "confidence"),
    (5, 10, 0.0, "confidence"),
    (5, 10, 1.0, "confidence"),
])
def test_clopper_pearson_bad_inputs(k, n, conf, words):
    with pytest.raises(ValueError, match=words):
        ev.clopper_pearson(k, n, conf)


# --- cluster_bootstrap ------------------------------------------------------------------------------
def test_cluster_bootstrap_estimate_interval_and_keys():
    rng = np.random.default_rng(1)
    x = rng.normal(size=120)
    clusters = np.repeat(np.arange(12), 10)
    r = ev.cluster_bootstrap(_mean, x, clusters=clusters, n_boot=300, seed=3)
    assert set(r) == {"estimate", "ci_low", "ci_high", "n_clusters", "n_boot", "n_undefined"}
    assert r["estimate"] == pytest.approx(x.mean())
    assert r["ci_low"] <= r["estimate"] <= r["ci_high"]
    assert r["ci_low"] < r["ci_high"]
    assert r["n_clusters"] == 12 and r["n_boot"] == 300 and r["n_undefined"] == 0


def test_cluster_bootstrap_two_arrays_docstring_case():
    y = [1, 1, 0, 0, 1, 0]
    pred = [1, 0, 0, 0, 1, 1]
    address = ["a", "a", "b", "b", "c", "c"]
    r = ev.cluster_bootstrap(lambda t, p: np.mean(t == p), y, pred, clusters=address, n_boot=200)
    assert r["estimate"] == pytest.approx(4 / 6)
    assert r["n_clusters"] == 3
    assert 0 <= r["ci_low"] <= r["estimate"] <= r["ci_high"] <= 1


def test_cluster_bootstrap_accepts_series_and_mixed_id_types():
    x = pd.Series([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    r = ev.cluster_bootstrap(_mean, x, clusters=pd.Series(["a", "a", "b", "b", "c", "c"]), n_boot=100)
    assert r["n_clusters"] == 3 and r["estimate"] == pytest.approx(2.5)
    r = ev.cluster_bootstrap(_mean, x, clusters=[10, 10, 20, 20, 30, 30], n_boot=100)
    assert r["n_clusters"] == 3


def _interval_width(r):
    return r["ci_high"] - r["ci_low"]


def test_cluster_bootstrap_wider_than_row_bootstrap_when_rows_are_correlated():
    # 10 clusters of 50 identical rows: effectively n = 10, not 500.
    values = np.repeat([0, 1, 0, 1, 1, 0, 0, 1, 1, 0], 50).astype(float)
    clusters = np.repeat([f"doc{i}" for i in range(10)], 50)
    clustered = ev.cluster_bootstrap(_mean, values, clusters=clusters, n_boot=400, seed=0)
    per_row = ev.cluster_bootstrap(_mean, values, clusters=np.arange(500), n_boot=400, seed=0)
    # a hand-written row bootstrap, independent of the function under test
    rng = np.random.default_rng(0)
    naive = [values[rng.integers(0, 500, 500)].mean() for _ in range(400)]
    naive_width = float(np.subtract(*np.quantile(naive, [0.975, 0.025])))
    assert clustered["n_clusters"] == 10 and per_row["n_clusters"] == 500
    assert clustered["estimate"] == per_row["estimate"] == pytest.approx(0.5)
    assert _interval_width(per_row) == pytest.approx(naive_width, rel=0.35)
    assert _interval_width(clustered) > 3 * naive_width
    assert _interval_width(clustered) > 3 * _interval_width(per_row)
    # with 10 clusters the 95% interval of a 0/1 mean is roughly 0.5 +- 0.3
    assert clustered["ci_low"] < 0.35 and clustered["ci_high"] > 0.65


def test_cluster_bootstrap_is_reproducible_with_a_seed():
    rng = np.random.default_rng(5)
    x = rng.normal(size=60)
    clusters = np.repeat(np.arange(20), 3)
    a = ev.cluster_bootstrap(_mean, x, clusters=clusters, n_boot=200, seed=11)
    b = ev.cluster_bootstrap(_mean, x, clusters=clusters, n_boot=200, seed=11)
    c = ev.cluster_bootstrap(_mean, x, clusters=clusters, n_boot=200, seed=12)
    assert a == b
    assert (a["ci_low"], a["ci_high"]) != (c["ci_low"], c["ci_high"])
    assert a["estimate"] == c["estimate"]


def test_cluster_bootstrap_keeps_all_rows_of_a_drawn_cluster():
    # cluster "a" has 1 row, cluster "b" has 3: each replicate draws 2 clusters, so its size is
    # 1+1, 1+3 or 3+3; any other size means rows were resampled, not clusters.
    sizes = []

    def n_rows(a):
        sizes.append(len(a))
        return float(len(a))

    r = ev.cluster_bootstrap(n_rows, np.arange(4), clusters=["a", "b", "b", "b"], n_boot=200, seed=0)
    assert r["estimate"] == 4.0                       # the first call is on the full data
    assert sizes[0] == 4 and len(sizes) == 201
    assert set(sizes[1:]) == {2, 4, 6}
    assert r["ci_low"] == 2.0 and r["ci_high"] == 6.0


def test_cluster_bootstrap_replicate_rows_stay_aligned_across_arrays():
    # each row's second array holds the same value as the first: any misalignment breaks equality
    x = np.arange(30, dtype=float)
    clusters = np.repeat(np.arange(6), 5)
    r = ev.cluster_bootstrap(lambda a, b: float(np.all(a == b)), x, x.copy(), clusters=clusters, n_boot=100)
    assert r["estimate"] == r["ci_low"] == r["ci_high"] == 1.0


def _nan_every(k):
    """A statistic that is nan on every k-th call (the first call, on the full data, is call 1)."""
    calls = {"n": 0}

    def stat(a):
        calls["n"] += 1
        return float("nan") if calls["n"] % k == 0 else float(np.mean(a))
    return stat


def test_cluster_bootstrap_counts_undefined_replicates():
    x = np.arange(40, dtype=float)
    clusters = np.repeat(np.arange(10), 4)
    r = ev.cluster_bootstrap(_nan_every(50), x, clusters=clusters, n_boot=200, seed=0)
    assert r["n_undefined"] == 4                      # calls 50, 100, 150, 200 (4 of 200 = 2%)
    assert math.isfinite(r["ci_low"]) and math.isfinite(r["ci_high"])
    assert r["n_boot"] == 200


def test_cluster_bootstrap_too_many_undefined_replicates_raise():
    x = np.arange(40, dtype=float)
    clusters = np.repeat(np.arange(10), 4)
    with pytest.raises(ValueError, match="undefined on 20 of 200"):   # 10% > 5%
        ev.cluster_bootstrap(_nan_every(10), x, clusters=clusters, n_boot=200, seed=0)


def test_cluster_bootstrap_undefined_auc_with_few_clusters_raises():
    # two clusters, one per class: half the resamples hold one class only
    y = ["a", "a", "b", "b"]
    s = [0.1, 0.2, 0.8, 0.9]
    with pytest.raises(ValueError, match="undefined"):
        ev.cluster_bootstrap(lambda t, v: ev.roc_auc(t, v, "b"), y, s, clusters=["c1", "c1", "c2", "c2"],
                             n_boot=200)


X4 = [1.0, 2.0, 3.0, 4.0]


@pytest.mark.parametrize("kwargs, words", [
    (dict(statistic=_mean, arrays=([1.0, 2.0, 3.0],), clusters=["a", "b"]), "one cluster id per row"),
    (dict(statistic=lambda a, b: 0.0, arrays=(X4, X4[:3]), clusters=["a", "a", "b", "b"]),
     "array 1 has 3 rows"),
    (dict(statistic=_mean, arrays=(X4,), clusters="aabb"), "not a single string"),
    (dict(statistic=_mean, arrays=(X4,), clusters=["a", None, "b", "b"]), "missing ids"),
    (dict(statistic=_mean, arrays=(X4,), clusters=[1.0, float("nan"), 2.0, 2.0]), "missing ids"),
    (dict(statistic=_mean, arrays=(X4,), clusters=pd.Series([1.0, np.nan, 2.0, 2.0])), "missing ids"),
    (dict(statistic=_mean, arrays=(X4,), clusters=["a"] * 4), "only one cluster"),
    (dict(statistic=_mean, arrays=(X4,), clusters=["a", "b", "a", "b"], n_boot=99), "n_boot"),
    (dict(statistic=_mean, arrays=(X4,), clusters=["a", "b", "a", "b"], n_boot=True), "n_boot"),
    (dict(statistic=_mean, arrays=(X4,), clusters=["a", "b", "a", "b"], n_boot=500.0), "n_boot"),
    (dict(statistic=_mean, arrays=(X4,), clusters=["a", "b", "a", "b"], confidence=0), "confidence"),
    (dict(statistic=_mean, arrays=(X4,), clusters=["a", "b", "a", "b"], confidence=1), "confidence"),
    (dict(statistic=_mean, arrays=(X4,), clusters=["a", "b", "a", "b"], confidence=1.5), "confidence"),
    (dict(statistic=_mean, arrays=(X4,), clusters=["a", "b", "a", "b"], confidence=95), "confidence"),
    (dict(statistic="mean", arrays=(X4,), clusters=["a", "b", "a", "b"]), "statistic must be a function"),
    (dict(statistic=_mean, arrays=(), clusters=["a", "b", "a", "b"]), "at least one array"),
    (dict(statistic=_mean, arrays=([],), clusters=[]), "no rows"),
])
def test_cluster_bootstrap_bad_inputs(kwargs, words):
    kwargs = dict(kwargs)
    statistic, arrays = kwargs.pop("statistic"), kwargs.pop("arrays")
    kwargs.setdefault("n_boot", 100)
    with pytest.raises(ValueError, match=words):
        ev.cluster_bootstrap(statistic, *arrays, **kwargs)


def test_cluster_bootstrap_pandas_missing_id_is_rejected():
    # a pandas string column with a missing address holds pd.NA, not None or nan
    clusters = pd.Series(["a", "b", pd.NA, "a"], dtype="string")
    with pytest.raises(ValueError, match="missing ids"):
        ev.cluster_bootstrap(_mean, X4, clusters=clusters, n_boot=100)


# --- roc_auc ----------------------------------------------------------------------------------------
def test_roc_auc_perfect_reversed_and_ties():
    y = ["neg", "neg", "pos", "pos"]
    assert ev.roc_auc(y, [0.1, 0.2, 0.8, 0.9], "pos") == 1.0
    assert ev.roc_auc(y, [0.9, 0.8, 0.2, 0.1], "pos") == 0.0
    assert ev.roc_auc(y, [0.5, 0.5, 0.5, 0.5], "pos") == 0.5
    # swapping the positive label mirrors the AUC
    assert ev.roc_auc(y, [0.1, 0.2, 0.8, 0.9], "neg") == 0.0
    assert isinstance(ev.roc_auc(y, [0.1, 0.2, 0.8, 0.9], "pos"), float)


def test_roc_auc_matches_sklearn():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    s = y * 0.7 + rng.normal(size=200)
    s[:20] = np.round(s[:20], 1)                      # a few ties
    labels = np.where(y == 1, "label 2", "label 1")
    assert ev.roc_auc(labels, s, "label 2") == pytest.approx(roc_auc_score(y, s))
    assert ev.roc_auc(list(labels), list(s), "label 1") == pytest.approx(roc_auc_score(1 - y, s))
    assert ev.roc_auc(pd.Series(y), pd.Series(s), 1) == pytest.approx(roc_auc_score(y, s))


@pytest.mark.parametrize("levels", [2, 3, 10, None])      # scores with many ties, and continuous ones
def test_roc_auc_equals_sklearn_on_small_and_tied_samples(levels):
    """roc_auc computes the AUC from ranks (fast enough for bootstraps); it must equal sklearn's to rounding."""
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(levels or 0)
    for n in [2, 3, 5, 8, 13, 40, 150]:
        for _ in range(20):
            y = rng.integers(0, 2, n)
            if y.min() == y.max():
                continue
            s = rng.integers(0, levels, n).astype(float) if levels else rng.normal(size=n)
            assert ev.roc_auc(y, s, 1) == pytest.approx(roc_auc_score(y, s), abs=1e-12)
            assert ev.roc_auc(y, s, 0) == pytest.approx(roc_auc_score(1 - y, s), abs=1e-12)


def test_roc_auc_one_class_is_nan():
    assert math.isnan(ev.roc_auc(["a", "a", "a"], [0.1, 0.5, 0.9], "a"))
    assert math.isnan(ev.roc_auc(["a", "a", "a"], [0.1, 0.5, 0.9], "b"))


@pytest.mark.parametrize("y, s, words", [
    (["a", "b"], [0.1, float("nan")], "nan or inf"),
    (["a", "b"], [0.1, float("inf")], "nan or inf"),
    (["a", "b"], [0.1, -np.inf], "nan or inf"),
    (["a", "b", "a"], [0.1, 0.2], "3 entries but scores has 2"),
    (["a", "b"], [0.1, 0.2, 0.3], "scores has 3"),
    ([], [], "empty"),
])
def test_roc_auc_bad_inputs(y, s, words):
    with pytest.raises(ValueError, match=words):
        ev.roc_auc(y, s, "b")


# --- verdict ----------------------------------------------------------------------------------------
def test_verdict_three_cases():
    above = ev.verdict("method A", 0.55, 0.70, 0.5, "AUC")
    below = ev.verdict("method B", 0.30, 0.45, 0.5, "AUC")
    at = ev.verdict("method C", 0.45, 0.58, 0.5, "AUC")
    assert above.startswith("method A: ") and "above chance" in above and "0.550-0.700" in above
    assert below.startswith("method B: ") and "below chance" in below and "reversed" in below
    assert at.startswith("method C: ") and "at chance" in at and "includes 0.5" in at
    for text in (above, below, at):
        assert "of the AUC" in text
    assert at == "method C: at chance: the 95% interval of the AUC (0.450-0.580) includes 0.5."


def test_verdict_boundaries_and_no_what():
    # an interval that touches chance does not exclude it
    assert "at chance" in ev.verdict("x", 0.5, 0.6, 0.5)
    assert "at chance" in ev.verdict("x", 0.4, 0.5, 0.5)
    assert "above chance" in ev.verdict("x", 0.26, 0.4, 0.25, "accuracy")
    assert "of the" not in ev.verdict("x", 0.6, 0.7, 0.5)


# --- evaluate with clusters= / scores= ---------------------------------------------------------------
def _clustered_data(n_docs=12, per_doc=8, seed=0):
    rng = np.random.default_rng(seed)
    doc_label = np.array(["label 1", "label 2"] * (n_docs // 2))
    y_true = np.repeat(doc_label, per_doc)
    clusters = np.repeat([f"doc{i}" for i in range(n_docs)], per_doc)
    doc_effect = np.repeat(rng.normal(scale=0.5, size=n_docs), per_doc)   # texts of one document agree
    score = (y_true == "label 2") * 0.6 + doc_effect + rng.normal(scale=0.3, size=len(y_true))
    y_pred = np.where(score > 0.3, "label 2", "label 1")
    return list(y_true), list(y_pred), list(clusters), list(score)


def test_evaluate_without_clusters_keeps_old_keys_and_wilson():
    y = ["a", "b", "a", "b", "a", "a"]
    p = ["a", None, "a", "a", "b", "a"]
    r = ev.evaluate(y, p, labels=["a", "b"])
    assert set(r) == OLD_KEYS | {"ci_method"}
    assert r["ci_method"] == "Wilson"
    assert (r["ci_low"], r["ci_high"]) == ev.wilson_interval(3, 6)
    assert r["n"] == 6 and r["accuracy"] == 0.5 and r["unparsed"] == 1
    assert r["accuracy_parsed"] == pytest.approx(3 / 5)
    assert r["majority_baseline"] == pytest.approx(4 / 6) and r["chance"] == 0.5


def test_evaluate_with_clusters_uses_cluster_bootstrap():
    y, p, clusters, _ = _clustered_data()
    r = ev.evaluate(y, p, clusters=clusters, n_boot=300, seed=1)
    assert r["ci_method"].startswith("cluster bootstrap")
    assert "12 clusters" in r["ci_method"]
    assert r["n_clusters"] == 12
    assert OLD_KEYS <= set(r) and "auc" not in r
    assert r["ci_low"] <= r["accuracy"] <= r["ci_high"]
    hits = np.array([t == q for t, q in zip(y, p)], dtype=float)
    boot = ev.cluster_bootstrap(np.mean, hits, clusters=clusters, n_boot=300, seed=1)
    assert (r["ci_low"], r["ci_high"]) == (boot["ci_low"], boot["ci_high"])
    # the point estimates do not depend on the interval method
    plain = ev.evaluate(y, p)
    for key in ("n", "accuracy", "macro_f1", "unparsed", "accuracy_parsed", "majority_baseline", "chance"):
        assert r[key] == plain[key]


def test_evaluate_clusters_seed_and_n_boot_are_passed_on():
    y, p, clusters, _ = _clustered_data()
    a = ev.evaluate(y, p, clusters=clusters, n_boot=200, seed=3)
    b = ev.evaluate(y, p, clusters=clusters, n_boot=200, seed=3)
    assert a == b
    with pytest.raises(ValueError, match="n_boot"):
        ev.evaluate(y, p, clusters=clusters, n_boot=50)


def test_evaluate_clusters_bad_inputs():
    y, p, clusters, _ = _clustered_data()
    with pytest.raises(ValueError, match="one cluster id per row"):
        ev.evaluate(y, p, clusters=clusters[:-1], n_boot=100)
    with pytest.raises(ValueError, match="single string"):
        ev.evaluate(y, p, clusters="doc", n_boot=100)
    with pytest.raises(ValueError, match="only one cluster"):
        ev.evaluate(y, p, clusters=["doc"] * len(y), n_boot=100)


def test_evaluate_scores_auc_uses_last_label_as_positive():
    y, p, _, s = _clustered_data()
    r = ev.evaluate(y, p, labels=["label 1", "label 2"], scores=s, n_boot=200)
    assert r["auc"] == pytest.approx(ev.roc_auc(y, s, "label 2"))
    assert r["auc"] > 0.5
    assert r["auc_ci_low"] <= r["auc"] <= r["auc_ci_high"]
    assert r["ci_method"] == "Wilson"
    # the same scores read against the other label order are reversed
    rev = ev.evaluate(y, p, labels=["label 2", "label 1"], scores=s, n_boot=200)
    assert rev["auc"] == pytest.approx(ev.roc_auc(y, s, "label 1"))
    assert rev["auc"] == pytest.approx(1 - r["auc"])


def test_evaluate_scores_perfect_and_label_order():
    y = ["neg", "pos", "neg", "pos", "neg", "pos"]
    s = [0.1, 0.9, 0.2, 0.8, 0.3, 0.7]          # high score = "pos"
    assert ev.evaluate(y, y, labels=["neg", "pos"], scores=s, n_boot=100)["auc"] == 1.0
    assert ev.evaluate(y, y, labels=["pos", "neg"], scores=s, n_boot=100)["auc"] == 0.0
    # without labels=, the labels are sorted: "pos" is last
    assert ev.evaluate(y, y, scores=s, n_boot=100)["auc"] == 1.0


def test_evaluate_scores_with_clusters():
    y, p, clusters, s = _clustered_data()
    r = ev.evaluate(y, p, clusters=clusters, scores=s, n_boot=200, seed=0)
    assert r["ci_method"].startswith("cluster bootstrap") and r["n_clusters"] == 12
    assert r["auc"] == pytest.approx(ev.roc_auc(y, s, "label 2"))
    assert r["auc_ci_low"] <= r["auc"] <= r["auc_ci_high"]
    boot = ev.cluster_bootstrap(lambda t, v: ev.roc_auc(t, v, "label 2"), np.asarray(y, dtype=object),
                                np.asarray(s), clusters=clusters, n_boot=200, seed=0)
    assert (r["auc_ci_low"], r["auc_ci_high"]) == (boot["ci_low"], boot["ci_high"])
    plain = ev.evaluate(y, p, scores=s, n_boot=200, seed=0)
    # the texts of one document share a document effect: the clustered AUC interval is wider
    assert r["auc_ci_high"] - r["auc_ci_low"] > 1.5 * (plain["auc_ci_high"] - plain["auc_ci_low"])


@pytest.mark.parametrize("call, words", [
    (lambda: ev.evaluate(["a", "b", "c"], ["a", "b", "c"], scores=[0.1, 0.2, 0.3], n_boot=100),
     "exactly two labels"),
    (lambda: ev.evaluate(["a", "b"], ["a", "b"], labels=["a", "b", "c"], scores=[0.1, 0.2], n_boot=100),
     "exactly two labels"),
    (lambda: ev.evaluate(["a", "b", "a"], ["a", "b", "a"], scores=[0.1, 0.2], n_boot=100),
     "scores has 2 entries"),
    (lambda: ev.evaluate(["a", "b"], ["a", "b"], scores=[0.1, 0.2, 0.3], n_boot=100), "scores has 3 entries"),
    (lambda: ev.evaluate(["a", "b"], ["a", "b"], scores=[0.1, float("nan")], n_boot=100), "nan or inf"),
])
def test_evaluate_scores_bad_inputs(call, words):
    with pytest.raises(ValueError, match=words):
        call()


# --- results_table with AUC columns -------------------------------------------------------------------
AUC_COLS = ["auc", "auc_ci_low", "auc_ci_high"]


def test_results_table_with_auc_columns():
    y, p, clusters, s = _clustered_data()
    rows = {"plain": ev.evaluate(y, p, scores=s, n_boot=100),
            "clustered": ev.evaluate(y, p, clusters=clusters, scores=s, n_boot=100)}
    table = ev.results_table(rows)
    assert list(table.index) == ["plain", "clustered"]
    assert list(table.columns[-3:]) == AUC_COLS
    assert table.loc["plain", "auc"] == pytest.approx(round(rows["plain"]["auc"], 3))
    assert table["n"].dtype.kind == "i" and table["unparsed"].dtype.kind == "i"
    assert "ci_method" not in table.columns


def test_results_table_without_scores_has_no_auc_columns():
    y, p, clusters, _ = _clustered_data()
    table = ev.results_table({"plain": ev.evaluate(y, p), "clustered": ev.evaluate(y, p, clusters=clusters,
                                                                                    n_boot=100)})
    assert not set(AUC_COLS) & set(table.columns)
    assert list(table.columns) == ["n", "accuracy", "ci_low", "ci_high", "macro_f1", "unparsed",
                                   "accuracy_parsed", "majority_baseline"]


def test_results_table_mixing_rows_with_and_without_scores_raises():
    y, p, _, s = _clustered_data()
    rows = {"with": ev.evaluate(y, p, scores=s, n_boot=100), "without": ev.evaluate(y, p)}
    with pytest.raises(ValueError, match=r"for all\s+rows or for none"):
        ev.results_table(rows)


def test_verdict_change_says_rose_fell_or_no_clear_change():
    assert ev.verdict_change("format", (0.0, 0.0, 0.14), (0.88, 0.69, 0.98)).startswith("format: rose (0.00 -> 0.88")
    assert ev.verdict_change("format", (0.88, 0.69, 0.98), (0.0, 0.0, 0.14)).startswith("format: fell")
    assert "no clear change" in ev.verdict_change("acc", (0.0, 0.0, 0.14), (0.04, 0.0, 0.2))
    # touching intervals overlap: no change is claimed
    assert "no clear change" in ev.verdict_change("acc", (0.1, 0.0, 0.2), (0.3, 0.2, 0.4))


@pytest.mark.parametrize("before, after, words", [
    ((0.5, 0.6, 0.7), (0.5, 0.4, 0.6), "low <= estimate <= high"),
    ((0.5, 0.4), (0.5, 0.4, 0.6), r"\(estimate, low, high\)"),
    ("0.5", (0.5, 0.4, 0.6), r"\(estimate, low, high\)"),
    ((0.5, 0.4, float("nan")), (0.5, 0.4, 0.6), "finite"),
])
def test_verdict_change_bad_inputs(before, after, words):
    with pytest.raises(ValueError, match=words):
        ev.verdict_change("x", before, after)


def test_accuracy_difference_is_paired_and_resamples_clusters():
    y = ["pos", "neg"] * 20
    a = ["pos"] * 40                                  # always "pos": 0.5
    b = list(y[:30]) + ["pos"] * 10                   # right on the first 30 texts
    r = ev.accuracy_difference(y, a, b, names=("majority", "model"), n_boot=500)
    assert r["accuracy_a"] == 0.5 and r["accuracy_b"] == pytest.approx(35 / 40)
    assert r["difference"] == pytest.approx(0.375)
    assert r["ci_low"] > 0 and r["verdict"].startswith("model is more accurate than majority")
    swapped = ev.accuracy_difference(y, b, a, names=("model", "majority"), n_boot=500)
    assert swapped["ci_high"] < 0 and "less accurate" in swapped["verdict"]
    same = ev.accuracy_difference(y, a, a, n_boot=200)
    assert same["difference"] == 0 and "do not differ clearly" in same["verdict"]
    # Two texts per film: the film is resampled, so there are 20 units, not 40.
    films = [k // 2 for k in range(40)]
    by_film = ev.accuracy_difference(y, a, b, clusters=films, unit="films", n_boot=200)
    assert by_film["n_clusters"] == 20 and "20 films resampled" in by_film["verdict"]
    # None is an error of that method, never dropped.
    with_none = ev.accuracy_difference(["a", "b"] * 5, ["a", "b"] * 5, [None, "b"] * 5, n_boot=200)
    assert with_none["accuracy_b"] == 0.5


@pytest.mark.parametrize("kwargs, words", [
    ({"pred_b": ["pos"] * 3}, "entries"),
    ({"names": ("same", "same")}, "must differ"),
    ({"names": "AB"}, "two non-empty strings"),
    ({"clusters": [1] * 4}, "only one cluster"),
    ({"pred_a": "pos"}, "y_pred"),
    ({"clusters": [1, 1, 2, 2], "unit": " "}, "unit must name"),
])
def test_accuracy_difference_bad_inputs(kwargs, words):
    args = {"y_true": ["pos", "neg", "pos", "neg"], "pred_a": ["pos"] * 4, "pred_b": ["pos", "neg", "neg", "neg"],
            "n_boot": 100}
    args.update(kwargs)
    with pytest.raises(ValueError, match=words):
        ev.accuracy_difference(**args)


def test_cluster_bootstrap_of_several_statistics_uses_the_same_resamples():
    rng = np.random.default_rng(3)
    y, a, b = rng.integers(0, 2, 60), rng.integers(0, 2, 60), rng.integers(0, 2, 60)
    clusters = np.repeat(np.arange(12), 5)

    def both(y, a, b):
        return {"a": np.mean(y == a), "b": np.mean(y == b), "a minus b": np.mean(y == a) - np.mean(y == b)}

    table = ev.cluster_bootstrap(both, y, a, b, clusters=clusters, n_boot=300, seed=4)
    assert list(table.index) == ["a", "b", "a minus b"]
    assert list(table.columns) == ["estimate", "ci_low", "ci_high", "n_clusters", "n_boot", "n_undefined"]
    # each row equals the single-number bootstrap of that statistic with the same seed: the same resamples
    single = ev.cluster_bootstrap(lambda y, a, b: np.mean(y == a) - np.mean(y == b), y, a, b, clusters=clusters,
                                  n_boot=300, seed=4)
    assert table.loc["a minus b"].to_dict() == pytest.approx(single)
    # a paired difference is not the difference of the two intervals' ends
    assert table.loc["a minus b", "ci_high"] != pytest.approx(table.loc["a", "ci_high"] - table.loc["b", "ci_low"])


@pytest.mark.parametrize("statistic, message", [
    (lambda x: {}, "empty dict"),
    (lambda x: {"mean": "high"}, "for 'mean'"),
    (lambda x: {"mean": np.mean(x), "values": x}, "for 'values'"),
    (lambda x: {"mean": np.mean(x)} if len(set(x.tolist())) == 4 else {"average": np.mean(x)}, "same names"),
    (lambda x: {"mean": np.mean(x), "never": np.nan}, "'never' is undefined"),
    (lambda x: True, "one number"),
])
def test_cluster_bootstrap_refuses_bad_named_statistics(statistic, message):
    with pytest.raises(ValueError, match=message):
        ev.cluster_bootstrap(statistic, np.arange(4.0), clusters=["a", "b", "c", "d"], n_boot=100)


@pytest.mark.parametrize("y_true, y_pred, words", [
    ([1, 2, 1], ["1", "2", "1"], "y_true holds number labels but y_pred holds str labels"),
    ([1, "1", 2], [1, 1, 2], "y_true mixes label types"),
    (["a", "b", "a"], ["a", 1, None], "y_pred mixes label types"),
    ([True, False, True], [1, 0, 1], "y_true holds bool labels but y_pred holds number"),
])
def test_labels_of_different_types_are_refused_not_scored_zero(y_true, y_pred, words):
    with pytest.raises(ValueError, match=words):
        ev.evaluate(y_true, y_pred)


def test_labels_of_one_kind_still_compare():
    assert ev.evaluate([1, 2, 1, 2], [1.0, 2, 2, None])["accuracy"] == 0.5        # ints and floats are numbers
    assert ev.evaluate(np.array(["a", "b"]), ["a", "a"])["accuracy"] == 0.5        # NumPy strings are text


def test_verdict_refuses_chance_on_another_scale():
    with pytest.raises(ValueError, match="another scale"):
        ev.verdict("x", 0.62, 0.81, 50)
    assert ev.verdict("x", 62, 81, 50).startswith("x: above chance")            # both in percent: fine
