"""Unit tests for helpers.similarity (Day 2): lower triangle, matrix comparison, centroid assignment."""
import numpy as np
import pandas as pd
import pytest

from helpers.similarity import compare_similarity, leave_one_out_centroid_assign, lower_triangle, similarity_difference


def _corr(n=12, seed=0):
    rng = np.random.default_rng(seed)
    return np.corrcoef(rng.normal(size=(n, 40)))


def test_lower_triangle_order_and_size():
    m = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert lower_triangle(m).tolist() == [4, 7, 8]
    assert lower_triangle(_corr(10)).shape == (45,)
    df = pd.DataFrame(m, index=list("abc"), columns=list("abc"))
    assert lower_triangle(df).tolist() == [4, 7, 8]


def test_lower_triangle_two_by_two_edge():
    assert lower_triangle([[1, 0.3], [0.3, 1]]).tolist() == [0.3]


def test_compare_identical_matrices_is_perfect():
    obs = _corr()
    table = compare_similarity(obs, obs, n_boot=50, seed=1)
    assert list(table.columns) == ["comparison", "method", "r", "ci_low", "ci_high"]
    assert table[["comparison", "method"]].values.tolist() == [
        ["signed", "pearson"], ["signed", "spearman"], ["absolute", "pearson"], ["absolute", "spearman"]]
    assert np.allclose(table.r, 1.0)
    assert np.allclose(table.ci_low, 1.0) and np.allclose(table.ci_high, 1.0)


def test_absolute_comparison_ignores_sign_flips():
    obs = _corr(15, seed=3)
    flip = np.where(np.arange(15) % 2 == 0, 1.0, -1.0)   # reverse-key every other item
    pred = obs * np.outer(flip, flip)
    table = compare_similarity(pred, obs, n_boot=0).set_index(["comparison", "method"])
    assert table.loc[("absolute", "pearson"), "r"] == pytest.approx(1.0)
    assert table.loc[("signed", "pearson"), "r"] < 0.9
    assert table.ci_low.isna().all()     # n_boot=0 -> no intervals


def test_bootstrap_is_seeded_and_brackets_estimate():
    obs = _corr(20, seed=4)
    rng = np.random.default_rng(5)
    noise = rng.normal(scale=0.2, size=obs.shape)
    pred = obs + (noise + noise.T) / 2
    a = compare_similarity(pred, obs, n_boot=200, seed=7)
    b = compare_similarity(pred, obs, n_boot=200, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert (a.ci_low <= a.r + 0.05).all() and (a.r - 0.05 <= a.ci_high).all()
    assert (a.ci_low < a.ci_high).all()
    pairs = compare_similarity(pred, obs, n_boot=200, seed=7, resample="pairs")
    assert np.allclose(pairs.r, a.r)     # same point estimates, different intervals


def test_known_pearson_value():
    x = np.array([[1, 0, 0], [0.2, 1, 0], [0.4, 0.6, 1]])
    y = np.array([[1, 0, 0], [0.1, 1, 0], [0.5, 0.3, 1]])
    table = compare_similarity(x, y, n_boot=0).set_index(["comparison", "method"])
    expected = np.corrcoef([0.2, 0.4, 0.6], [0.1, 0.5, 0.3])[0, 1]
    assert table.loc[("signed", "pearson"), "r"] == pytest.approx(expected)
    assert table.loc[("signed", "spearman"), "r"] == pytest.approx(0.5)


def test_leave_one_out_assign_simple_and_leaves_item_out():
    emb = [[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]]
    assert leave_one_out_centroid_assign(emb, ["a", "a", "b", "b"]).tolist() == ["a", "a", "b", "b"]
    # item 0 sits with "b"'s items; without leaving it out, its own centroid (a) would win
    emb2 = np.array([[0, 1], [1, 0], [0.1, 1], [0, 0.9]])
    assert leave_one_out_centroid_assign(emb2, ["a", "a", "b", "b"])[0] == "b"


@pytest.mark.parametrize("bad, match", [
    (np.ones((3, 4)), "square"),
    (np.ones(5), "square"),
    ([[1.0]], "at least 2"),
    ([["a", "b"], ["c", "d"]], "numeric"),
])
def test_lower_triangle_bad_inputs(bad, match):
    with pytest.raises(ValueError, match=match):
        lower_triangle(bad)


@pytest.mark.parametrize("kwargs, match", [
    ({"predicted": np.eye(3), "observed": np.eye(4)}, "shape"),
    ({"predicted": np.eye(3), "observed": np.array([[1, np.nan, 0], [np.nan, 1, 0], [0, 0, 1]])}, "NaN"),
    ({"n_boot": -1}, "n_boot"),
    ({"n_boot": 2.5}, "n_boot"),
    ({"resample": "rows"}, "resample"),
    ({"ci": 95}, "ci"),
    ({"ci": 1.0}, "ci"),
    ({"seed": "x"}, "seed"),
])
def test_compare_similarity_bad_inputs(kwargs, match):
    args = {"predicted": _corr(5), "observed": _corr(5, seed=1)}
    args.update(kwargs)
    pred, obs = args.pop("predicted"), args.pop("observed")
    with pytest.raises(ValueError, match=match):
        compare_similarity(pred, obs, **args)


@pytest.mark.parametrize("emb, labels, match", [
    ([[1, 0], [0, 1]], ["a"], "one label per row"),
    ([[1, 0], [0, 1], [1, 1]], ["a", "a", "b"], "single row"),
    ([[1, 0], [0, 0], [1, 1], [0, 1]], ["a", "a", "b", "b"], "all-zero"),
    ([[1, np.nan], [0, 1]], ["a", "a"], "NaN"),
    ([1, 2, 3], ["a", "a", "b"], "2-D"),
    ([[1, 0], [0, 1]], ["a", None], "missing"),
    ([["x", "y"], ["z", "w"]], ["a", "a"], "numeric"),
])
def test_leave_one_out_bad_inputs(emb, labels, match):
    with pytest.raises(ValueError, match=match):
        leave_one_out_centroid_assign(emb, labels)


def _three_matrices(n=20, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4))
    observed = np.corrcoef(x)
    noisy = [observed + e for e in (rng.normal(scale=s, size=(n, n)) for s in (0.4, 0.05))]
    return [(m + m.T) / 2 for m in noisy] + [observed]


def test_similarity_difference_is_the_difference_of_the_two_correlations():
    a, b, observed = _three_matrices()
    r = similarity_difference(a, b, observed, names=("noisy", "clean"), n_boot=200)
    table_a, table_b = (compare_similarity(m, observed, n_boot=0).set_index(["comparison", "method"]) for m in (a, b))
    assert r["value_a"] == pytest.approx(table_a.loc[("absolute", "pearson"), "r"])
    assert r["value_b"] == pytest.approx(table_b.loc[("absolute", "pearson"), "r"])
    assert r["difference"] == pytest.approx(r["value_b"] - r["value_a"])
    assert r["ci_low"] <= r["difference"] <= r["ci_high"] and r["clear"] and r["difference"] > 0
    assert r["verdict"].startswith("clean has the higher absolute Pearson r") and "20 items resampled" in r["verdict"]
    swapped = similarity_difference(b, a, observed, names=("clean", "noisy"), n_boot=200)
    assert swapped["difference"] == pytest.approx(-r["difference"]) and "lower" in swapped["verdict"]
    same = similarity_difference(a, a, observed, n_boot=200, comparison="signed", method="spearman")
    assert same["difference"] == 0 and not same["clear"] and "do not differ clearly" in same["verdict"]


@pytest.mark.parametrize("kwargs, words", [
    ({"comparison": "abs"}, "comparison must be"), ({"method": "kendall"}, "method must be"),
    ({"n_boot": 10}, "n_boot must be an integer of at least 100"), ({"names": ("A", "A")}, "names must differ"),
    ({"ci": 95}, "ci must be a float"), ({"seed": -1}, "seed must be a non-negative integer"),
])
def test_similarity_difference_refuses_bad_arguments(kwargs, words):
    a, b, observed = _three_matrices()
    with pytest.raises(ValueError, match=words):
        similarity_difference(a, b, observed, **kwargs)


def test_similarity_difference_refuses_matrices_of_other_items():
    a, b, observed = _three_matrices()
    with pytest.raises(ValueError, match="shape"):
        similarity_difference(a[:10, :10], b, observed)
    with pytest.raises(ValueError, match="observed is not symmetric"):
        similarity_difference(a, b, observed[:, ::-1])     # not symmetric


def test_pair_shares_contrast_and_bad_inputs():
    from helpers.similarity import pair_shares

    rows, cols = np.tril_indices(30, k=-1)
    rng = np.random.default_rng(0)
    flags = rng.random(len(rows)) < 0.2
    first = np.arange(len(rows)) < 200
    table = pair_shares(flags, rows, cols, 30, {"first": first, "rest": ~first}, contrasts=[("first", "rest")],
                        n_boot=300, seed=1)
    assert table.loc["first", "share"] == pytest.approx(flags[first].mean())
    assert table.loc["first minus rest", "share"] == pytest.approx(flags[first].mean() - flags[~first].mean())
    assert table.loc["first minus rest", "ci_low"] < table.loc["first minus rest", "share"]
    for kwargs, message in [
        (dict(flags=flags[:-1]), "one length"),
        (dict(flags=flags * 2), "0/1"),
        (dict(rows=rows + 30), "item positions 0..29"),
        (dict(cols=rows), "with itself"),
        (dict(groups={"none": np.zeros(len(rows), bool)}), "at least one of the 435 pairs"),
        (dict(contrasts=[("first", "other")]), "names a group not in groups"),
        (dict(n_boot=10), "at least 100"),
    ]:
        args = dict(flags=flags, rows=rows, cols=cols, n_items=30, groups={"first": first}, n_boot=300)
        args.update(kwargs)
        with pytest.raises(ValueError, match=message):
            pair_shares(**args)
