"""Unit tests of helpers.power.minimum_detectable_effect: known values, the closed forms recomputed
independently (statsmodels where it has the same definition), the design effect, monotonicity, and bad
inputs refused with a message that names the argument. Its power in simulation is in test_recovery.py."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from helpers.power import DESIGNS, minimum_detectable_effect

Z_A, Z_B = norm.ppf(0.975), norm.ppf(0.8)


def mde(*args, **kwargs) -> float:
    return minimum_detectable_effect(*args, **kwargs)["detectable"]


def hanley_mcneil_se(auc: float, n_pos: float, n_neg: float) -> float:
    """Standard error of an AUC (Hanley & McNeil 1982), written out here independently of the helper."""
    q1, q2 = auc / (2 - auc), 2 * auc ** 2 / (1 + auc)
    return math.sqrt((auc * (1 - auc) + (n_pos - 1) * (q1 - auc ** 2) + (n_neg - 1) * (q2 - auc ** 2))
                     / (n_pos * n_neg))


# --- known values -------------------------------------------------------------------------------------------
def test_known_values_and_the_result_keys():
    r = minimum_detectable_effect("proportion", 16, 0.5)
    assert set(r) == {"design", "n_effective", "effect", "detectable", "power", "confidence", "sentence"}
    assert r["detectable"] == pytest.approx(0.825, abs=5e-4) and r["effect"] == pytest.approx(0.325, abs=5e-4)
    assert r["design"] == "proportion" and r["n_effective"] == 16 and (r["power"], r["confidence"]) == (0.8, 0.95)
    assert r["sentence"] == ("with 16 units, a share below 0.82 cannot be told from 0.5 "
                             "(80% power, two-sided 5% test).")
    auc = minimum_detectable_effect("auc", (6, 7))
    assert auc["detectable"] == pytest.approx(0.905, abs=5e-4) and auc["n_effective"] == 13
    assert auc["sentence"].startswith("with 6 + 7 units, an AUC below 0.91 cannot be told from 0.5")
    assert mde("proportion", 100) == pytest.approx(0.638, abs=5e-4)
    assert mde("paired_proportion", 100, discordant=0.3) == pytest.approx(0.152, abs=5e-4)
    assert mde("mean_difference", 30, sd=1.0) == pytest.approx(0.529, abs=5e-4)
    assert mde("auc", (30, 30)) == pytest.approx(0.704, abs=5e-4)


def test_effect_is_the_distance_from_the_null():
    for design, args, kwargs, null in [("proportion", (50, 0.25), {}, 0.25), ("auc", ((20, 30),), {}, 0.5),
                                       ("paired_proportion", (60,), {"discordant": 0.4}, 0.0),
                                       ("mean_difference", (25,), {"sd": 3.0}, 0.0)]:
        r = minimum_detectable_effect(design, *args, **kwargs)
        assert r["effect"] == pytest.approx(r["detectable"] - null, abs=1e-12), design
        assert r["effect"] > 0 and r["design"] == design


# --- the closed forms, recomputed ---------------------------------------------------------------------------
@pytest.mark.parametrize("n", [10, 16, 100, 1000])
@pytest.mark.parametrize("p0", [0.2, 0.5, 0.75])
def test_proportion_has_the_requested_power_under_the_normal_approximation(n, p0):
    """Power of the one-sample z test (variance under the null for the critical value, under the alternative
    for the spread), written out directly: 80% at the detectable share (the far tail adds nothing)."""
    p = mde("proportion", n, p0)
    if (n, p0) == (10, 0.75):             # even a share of 1 has less than 80% power: nothing is detectable
        assert math.isnan(p)
        return
    power = norm.cdf((math.sqrt(n) * (p - p0) - Z_A * math.sqrt(p0 * (1 - p0))) / math.sqrt(p * (1 - p)))
    assert power == pytest.approx(0.8, abs=1e-6)


@pytest.mark.parametrize("n", [100, 400])
def test_proportion_agrees_with_statsmodels_arcsine_power(n):
    """statsmodels' NormalIndPower with Cohen's h (an arcsine, not the same approximation) gives the detectable
    share about 80% power too."""
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    p = mde("proportion", n, 0.5)
    power = NormalIndPower().power(proportion_effectsize(p, 0.5), nobs1=n, alpha=0.05, ratio=0)
    assert power == pytest.approx(0.8, abs=0.005)


@pytest.mark.parametrize("n", [10, 30, 100])
@pytest.mark.parametrize("sd", [0.5, 2.0])
def test_mean_difference_agrees_with_statsmodels_t_test_power(n, sd):
    """The helper uses (t_{0.975} + t_{0.8}) * sd / sqrt(n); statsmodels' TTestPower solves the exact noncentral
    t: the two agree within 0.3% of the effect, and the helper's effect has 80% power by statsmodels."""
    from statsmodels.stats.power import TTestPower

    d = mde("mean_difference", n, sd=sd)
    exact = TTestPower().solve_power(nobs=n, alpha=0.05, power=0.8) * sd
    assert d == pytest.approx(exact, rel=0.003)
    assert TTestPower().power(d / sd, nobs=n, alpha=0.05) == pytest.approx(0.8, abs=0.003)


@pytest.mark.parametrize("n", [(6, 7), (30, 30), (10, 50)])
def test_auc_solves_the_hanley_mcneil_equation(n):
    a = mde("auc", n)
    assert (a - 0.5) == pytest.approx(Z_A * hanley_mcneil_se(0.5, *n) + Z_B * hanley_mcneil_se(a, *n), abs=1e-9)


@pytest.mark.parametrize("n, psi", [(50, 0.2), (100, 0.3), (400, 0.5)])
def test_paired_proportion_matches_the_mcnemar_sample_size_formula(n, psi):
    """Connor (1987): n = (z_a sqrt(psi) + z_b sqrt(psi - d^2))^2 / d^2 units detect a difference d with a
    discordant share psi; the helper's d puts n back."""
    d = mde("paired_proportion", n, discordant=psi)
    assert (Z_A * math.sqrt(psi) + Z_B * math.sqrt(psi - d * d)) ** 2 / d ** 2 == pytest.approx(n, rel=1e-6)


def test_nan_and_a_sentence_when_nothing_is_detectable():
    """Too few units for 80% power at any effect: nan, and a sentence that says so. (20 units with 30%
    discordant: even B right on every discordant unit, 0.3, is short of 80% power.)"""
    for design, args, kwargs in [("proportion", (2, 0.99), {}), ("auc", ((1, 1),), {}),
                                 ("paired_proportion", (2,), {"discordant": 0.1}),
                                 ("paired_proportion", (20,), {"discordant": 0.3})]:
        r = minimum_detectable_effect(design, *args, **kwargs)
        assert math.isnan(r["effect"]) and math.isnan(r["detectable"]), design
        assert " no " in r["sentence"] and "nan" not in r["sentence"], r["sentence"]


# --- the design effect and monotonicity ----------------------------------------------------------------------
def test_design_effect_of_clusters():
    # 40 clusters of 5 rows with ICC 0.25: design effect 2, as informative as 100 independent rows
    clustered = minimum_detectable_effect("proportion", 40, cluster_size=5, icc=0.25)
    assert clustered["n_effective"] == pytest.approx(100)
    assert clustered["detectable"] == pytest.approx(mde("proportion", 100), abs=1e-12)
    # ICC 0: the rows are independent; ICC 1: a cluster is worth one row
    assert mde("proportion", 40, cluster_size=5, icc=0.0) == pytest.approx(mde("proportion", 200), abs=1e-12)
    assert mde("proportion", 40, cluster_size=5, icc=1.0) == pytest.approx(mde("proportion", 40), abs=1e-12)
    auc = minimum_detectable_effect("auc", (10, 10), cluster_size=4, icc=0.5)
    assert auc["n_effective"] == pytest.approx(20 * 4 / 2.5)
    assert mde("mean_difference", 20, sd=1.0, cluster_size=3, icc=1.0) == pytest.approx(
        mde("mean_difference", 20, sd=1.0), abs=1e-12)


@pytest.mark.parametrize("design, make_n, kwargs", [
    ("proportion", lambda k: k, {}),
    ("auc", lambda k: (k, k), {}),
    ("paired_proportion", lambda k: k, {"discordant": 0.3}),
    ("mean_difference", lambda k: k, {"sd": 1.0}),
])
def test_monotone_in_units_icc_power_and_confidence(design, make_n, kwargs):
    sizes = [40, 80, 160, 320]
    values = [mde(design, make_n(k), **kwargs) for k in sizes]
    assert all(a > b for a, b in zip(values, values[1:])), values                 # more units: smaller MDE
    n = make_n(80)
    base = mde(design, n, **kwargs)
    assert mde(design, n, cluster_size=4, icc=0.2, **kwargs) > mde(design, n, cluster_size=4, **kwargs)
    assert mde(design, n, power=0.9, **kwargs) > base > mde(design, n, power=0.5, **kwargs)
    assert mde(design, n, confidence=0.99, **kwargs) > base > mde(design, n, confidence=0.9, **kwargs)


def test_numpy_numbers_are_accepted():
    assert mde("proportion", np.int64(100), np.float64(0.5)) == pytest.approx(mde("proportion", 100), abs=1e-12)
    assert mde("auc", (np.int64(6), np.int32(7))) == pytest.approx(mde("auc", (6, 7)), abs=1e-12)
    assert mde("auc", np.array([6, 7])) == pytest.approx(mde("auc", (6, 7)), abs=1e-12)
    assert mde("auc", [6, 7]) == pytest.approx(mde("auc", (6, 7)), abs=1e-12)
    assert mde("proportion", 40, cluster_size=np.int32(5), icc=np.float32(0.25), power=np.float64(0.8),
               confidence=np.float64(0.95)) == pytest.approx(mde("proportion", 100), abs=1e-6)
    assert mde("mean_difference", 30, sd=np.float64(1.0)) == pytest.approx(mde("mean_difference", 30, sd=1.0))
    assert mde("paired_proportion", np.int16(100), discordant=np.float64(0.3)) == pytest.approx(
        mde("paired_proportion", 100, discordant=0.3))


# --- bad inputs ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("args, kwargs, words", [
    (("ratio", 10), {}, "design must be one of"),
    ((None, 10), {}, "design must be one of"),
    (("AUC", (6, 7)), {}, "design must be one of"),
    (("auc", 13), {}, r"n must be \(n_positive, n_negative\)"),
    (("auc", (6,)), {}, r"n must be \(n_positive, n_negative\)"),
    (("auc", (6, 7, 8)), {}, r"n must be \(n_positive, n_negative\)"),
    (("auc", "67"), {}, r"n must be \(n_positive, n_negative\)"),
    (("auc", {6, 7}), {}, r"n must be \(n_positive, n_negative\)"),
    (("auc", {"positive": 6, "negative": 7}), {}, r"n must be \(n_positive, n_negative\)"),
    (("auc", (0, 7)), {}, "n_positive must be a whole number"),
    (("auc", (6.5, 7)), {}, "n_positive must be a whole number"),
    (("auc", (True, 7)), {}, "n_positive must be a whole number"),
    (("auc", (6, "7")), {}, "n_negative must be a whole number"),
    (("auc", (6, 7), 0.6), {}, "baseline is 0.5"),
    (("proportion", (6, 7)), {}, "n must be a whole number"),
    (("proportion", 1), {}, "n must be a whole number of at least 2"),
    (("proportion", 10.0), {}, "n must be a whole number"),
    (("proportion", True), {}, "n must be a whole number"),
    (("proportion", "100"), {}, "n must be a whole number"),
    (("proportion", 100, 0.0), {}, "baseline must be a number between 0 and 1"),
    (("proportion", 100, 1.0), {}, "baseline must be a number between 0 and 1"),
    (("proportion", 100, "0.5"), {}, "baseline must be a number between 0 and 1"),
    (("proportion", 100, True), {}, "baseline must be a number between 0 and 1"),
    (("proportion", 100, float("nan")), {}, "baseline must be a number between 0 and 1"),
    (("paired_proportion", 100), {}, "needs discordant="),
    (("paired_proportion", 100), {"discordant": 0.0}, "discordant must be a number between 0 and 1"),
    (("paired_proportion", 100), {"discordant": 1.2}, "discordant must be a number between 0 and 1"),
    (("paired_proportion", 100), {"discordant": "0.3"}, "discordant must be a number between 0 and 1"),
    (("paired_proportion", 100), {"discordant": True}, "discordant must be a number between 0 and 1"),
    (("mean_difference", 30), {}, "needs sd="),
    (("mean_difference", 30), {"sd": 0.0}, "needs sd="),
    (("mean_difference", 30), {"sd": -1.0}, "needs sd="),
    (("mean_difference", 30), {"sd": float("nan")}, "needs sd="),
    (("mean_difference", 30), {"sd": float("inf")}, "needs sd="),
    (("mean_difference", 30), {"sd": "1"}, "needs sd="),
    (("mean_difference", 30), {"sd": True}, "needs sd="),
    (("proportion", 100), {"power": 0.0}, "power must be a number between 0 and 1"),
    (("proportion", 100), {"power": 1.0}, "power must be a number between 0 and 1"),
    (("proportion", 100), {"power": 80}, "power must be a number between 0 and 1"),
    (("proportion", 100), {"power": True}, "power must be a number between 0 and 1"),
    (("proportion", 100), {"power": "0.8"}, "power must be a number between 0 and 1"),
    (("proportion", 100), {"confidence": 1.0}, "confidence must be a number between 0 and 1"),
    (("proportion", 100), {"confidence": 95}, "confidence must be a number between 0 and 1"),
    (("proportion", 100), {"icc": -0.1}, "icc must be a number between 0 and 1"),
    (("proportion", 100), {"icc": 1.5}, "icc must be a number between 0 and 1"),
    (("proportion", 100), {"icc": float("nan")}, "icc must be a number between 0 and 1"),
    (("proportion", 100), {"icc": True}, "icc must be a number between 0 and 1"),
    (("proportion", 100), {"icc": "0.1"}, "icc must be a number between 0 and 1"),
    (("proportion", 100), {"cluster_size": 0}, "cluster_size must be a whole number of at least 1"),
    (("proportion", 100), {"cluster_size": 2.5}, "cluster_size must be a whole number"),
    (("proportion", 100), {"cluster_size": True}, "cluster_size must be a whole number"),
])
def test_bad_inputs_raise_a_value_error_naming_the_argument(args, kwargs, words):
    with pytest.raises(ValueError, match=words):
        minimum_detectable_effect(*args, **kwargs)


def test_every_design_is_covered_above():
    assert set(DESIGNS) == {"proportion", "auc", "paired_proportion", "mean_difference"}


@pytest.mark.parametrize("n", [25, 100, 400])
def test_gains_only_has_the_power_of_the_exact_mcnemar_test(n):
    """'gains only': every discordant unit is a gain. By simulation, a training step that fixes a share d (the
    MDE) of the problems and breaks none is detected 80% of the time by the exact McNemar test the course
    uses (two-sided p = 2 * 0.5**gains < 0.05 from 6 gains on), and a smaller gain less often."""
    d = mde("paired_proportion", n, discordant="gains only")
    rng = np.random.default_rng(n)
    for share, low, high in [(d, 0.78, 0.82), (0.7 * d, 0.0, 0.6)]:
        gains = rng.binomial(n, share, size=20_000)
        exact_p = np.minimum(1.0, 2 * 0.5 ** gains)
        assert low <= (exact_p < 0.05).mean() <= high, (share, (exact_p < 0.05).mean())
    sentence = minimum_detectable_effect("paired_proportion", n, discordant="gains only")["sentence"]
    assert "even if none gets worse" in sentence
    with pytest.raises(ValueError, match="'gains only'"):
        minimum_detectable_effect("paired_proportion", n, discordant="gains")


@pytest.mark.parametrize("confidence, gains_needed", [(0.95, 6), (0.75, 4), (0.5, 3), (0.99, 8)])
def test_gains_only_counts_the_gains_the_exact_test_needs(confidence, gains_needed):
    """The exact two-sided McNemar p with g gains and no losses is 2 * 0.5**g; it rejects when p < 1 - confidence
    (strictly: 2 * 0.5**3 = 0.25 does not reject at confidence 0.75). At the MDE, Binomial(n, d) reaches the
    needed gains with 80% probability."""
    from scipy.stats import binom
    d = mde("paired_proportion", 50, discordant="gains only", confidence=confidence)
    assert binom.sf(gains_needed - 1, 50, d) == pytest.approx(0.8, abs=1e-6)
