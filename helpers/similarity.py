"""Compare a predicted similarity matrix (e.g. embedding cosines) with an observed one (e.g. correlations).

Used on Day 2 to ask how well the cosine similarity of personality items' embeddings predicts how
strongly people's answers to those items correlate.

Example
-------
>>> import numpy as np
>>> from helpers.similarity import lower_triangle, compare_similarity
>>> rng = np.random.default_rng(0)
>>> x = rng.normal(size=(30, 5)); observed = np.corrcoef(x)
>>> predicted = observed + rng.normal(scale=0.1, size=observed.shape)
>>> lower_triangle(observed).shape          # 30 * 29 / 2 pairs
(435,)
>>> table = compare_similarity(predicted, observed, n_boot=200, seed=0)   # doctest: +SKIP
>>> list(table.columns)                      # doctest: +SKIP
['comparison', 'method', 'r', 'ci_low', 'ci_high']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from helpers._checks import (
    align_rows,
    index_labels,
    is_finite_real,
    is_int,
    mixes_types,
    reject_string,
    type_clash,
    value_kinds,
)

__all__ = ["lower_triangle", "compare_similarity", "similarity_difference", "pair_shares", "sense_gap",
           "leave_one_out_centroid_assign"]


def _labelled_square(matrix, name: str) -> tuple[np.ndarray, pd.Index | None]:
    """``matrix`` as a float 2-D square array, and its item labels (``None`` for a plain array).

    A DataFrame whose rows and columns are both labelled must hold the same items in both; when they
    are in different orders the columns are put in the order of the rows. Raises ``ValueError``.
    """
    labels = None
    if isinstance(matrix, pd.DataFrame):
        rows = index_labels(matrix)
        cols = matrix.columns if not matrix.columns.equals(pd.RangeIndex(matrix.shape[1])) else None
        for what, idx in [("row", rows), ("column", cols)]:
            if idx is not None and idx.has_duplicates:
                raise ValueError(f"{name}: duplicate {what} labels {idx[idx.duplicated()].unique().tolist()[:5]}; "
                                 "each item must appear once.")
        if rows is not None and cols is not None and not rows.equals(cols):
            if len(rows) != len(cols) or set(rows) != set(cols):
                raise ValueError(f"{name}: the row labels and the column labels are not the same items (e.g. "
                                 f"{[r for r in rows if r not in set(cols)][:3]} label rows only); pass an items x "
                                 "items matrix with the same items as rows and columns.")
            matrix = matrix.loc[:, rows]          # columns in the order of the rows
        labels = rows if rows is not None else cols
        matrix = matrix.to_numpy()
    try:
        arr = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: could not convert to a numeric array; pass a square NumPy "
                         "array or DataFrame of numbers.") from None
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{name}: expected a square 2-D matrix, got shape {arr.shape}. "
                         "Pass an items x items similarity or correlation matrix.")
    if arr.shape[0] < 2:
        raise ValueError(f"{name}: needs at least 2 rows/columns (one pair), got {arr.shape}.")
    return arr, labels


def _square(matrix, name: str) -> np.ndarray:
    """Return ``matrix`` as a float 2-D square array or raise ``ValueError``."""
    return _labelled_square(matrix, name)[0]


def _check_symmetric(arr: np.ndarray, name: str) -> None:
    """Symmetric, or a lower triangle with an empty (0 or NaN) upper triangle; else the pairs are ambiguous."""
    upper = arr[np.triu_indices(arr.shape[0], k=1)]
    if np.all((upper == 0) | np.isnan(upper)):
        return
    with np.errstate(invalid="ignore"):
        gap = np.abs(arr - arr.T)
    if np.nanmax(gap, initial=0.0) > 1e-5 + 1e-5 * np.nanmax(np.abs(arr), initial=0.0):
        i, j = np.unravel_index(np.nanargmax(gap), gap.shape)
        raise ValueError(f"{name} is not symmetric: [{i}, {j}] = {arr[i, j]:.4g} but [{j}, {i}] = {arr[j, i]:.4g}. "
                         "A similarity matrix has one value per pair; pass the full symmetric matrix (or only "
                         "its lower triangle, zeros above), with rows and columns in the same item order.")


def lower_triangle(matrix) -> np.ndarray:
    """Values below the diagonal of a square matrix, row by row (each pair once, no diagonal).

    >>> lower_triangle([[1, 0.5, 0.2], [0.5, 1, 0.3], [0.2, 0.3, 1]]).tolist()
    [0.5, 0.2, 0.3]
    """
    arr = _square(matrix, "lower_triangle(matrix)")
    rows, cols = np.tril_indices(arr.shape[0], k=-1)
    return arr[rows, cols]


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    x = x - x.mean()
    y = y - y.mean()
    denom = np.sqrt((x * x).sum() * (y * y).sum())
    return float((x * y).sum() / denom) if denom > 0 else float("nan")


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    return _pearson(rankdata(x), rankdata(y))


def _aligned(predicted, observed, caller: str = "compare_similarity") -> tuple[np.ndarray, np.ndarray]:
    """Both matrices as arrays in the same item order, checked (square, symmetric, finite, same items)."""
    pred, pred_labels = _labelled_square(predicted, f"{caller}(predicted)")
    obs, obs_labels = _labelled_square(observed, f"{caller}(observed)")
    if pred.shape != obs.shape:
        raise ValueError(f"predicted has shape {pred.shape} but observed has {obs.shape}; both "
                         "must be items x items in the same item order.")
    if pred_labels is not None and obs_labels is not None and not pred_labels.equals(obs_labels):
        if set(pred_labels) != set(obs_labels):
            raise ValueError("predicted and observed are labelled with different items (e.g. "
                             f"{[v for v in pred_labels if v not in set(obs_labels)][:3]} only in predicted); "
                             "select the same items in both."
                             + type_clash(pred_labels, obs_labels, "predicted's labels", "observed's"))
        where = pd.Index(obs_labels).get_indexer(pred_labels)     # observed in the item order of predicted
        obs = obs[np.ix_(where, where)]
    _check_symmetric(pred, "predicted")
    _check_symmetric(obs, "observed")
    for name, arr in [("predicted", pred), ("observed", obs)]:
        if not np.isfinite(lower_triangle(arr)).all():
            raise ValueError(f"{name} has NaN or infinite values below the diagonal; "
                             "drop items with too few answers or fill the missing correlations.")
    return pred, obs


def _pairs_of_drawn_items(rng: np.random.Generator, n: int, rows_idx: np.ndarray,
                          cols_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One bootstrap resample of n items: the (row, column) indices of the pairs of two drawn items (an item
    drawn twice is not paired with itself)."""
    idx = rng.integers(0, n, size=n)
    r, c = idx[rows_idx], idx[cols_idx]
    keep = r != c
    return r[keep], c[keep]


def compare_similarity(predicted, observed, *, n_boot: int = 1000, resample: str = "items",
                       ci: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Pearson and Spearman correlation of two similarity matrices over their lower triangles.

    Four rows: ``signed`` compares the values as they are; ``absolute`` compares their absolute
    values (fair when the sign of the observed value depends on how an item is keyed, which a
    text embedding cannot know). Each row has a percentile bootstrap confidence interval:
    ``resample="items"`` (default) draws items with replacement and recomputes over the pairs
    of distinct drawn items, which respects that pairs sharing an item are not independent;
    ``resample="pairs"`` draws pairs. ``n_boot=0`` skips the intervals (NaN).

    Returns a DataFrame with columns ``comparison`` (signed/absolute), ``method``
    (pearson/spearman), ``r``, ``ci_low``, ``ci_high``.

    Both matrices must be symmetric (or lower triangles with zeros above). When both are DataFrames
    labelled with the items, they are matched by label (the same items in another order are
    reordered; different items raise ``ValueError``); plain arrays are taken to be in the same item
    order.
    """
    pred, obs = _aligned(predicted, observed)
    if not isinstance(n_boot, (int, np.integer)) or isinstance(n_boot, bool) or n_boot < 0:
        raise ValueError(f"n_boot must be a non-negative integer, got {n_boot!r}.")
    if resample not in {"items", "pairs"}:
        raise ValueError(f"resample={resample!r}: use 'items' or 'pairs'.")
    if not (is_finite_real(ci) and not is_int(ci) and 0 < ci < 1):
        raise ValueError(f"ci must be a float between 0 and 1 (e.g. 0.95), got {ci!r}.")
    ci, n_boot = float(ci), int(n_boot)
    if not is_int(seed) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")

    n = pred.shape[0]
    transforms = {"signed": lambda a: a, "absolute": np.abs}
    methods = {"pearson": _pearson, "spearman": _spearman}
    rows_idx, cols_idx = np.tril_indices(n, k=-1)

    def stats(p: np.ndarray, o: np.ndarray) -> list[float]:
        return [f(t(p), t(o)) for t in transforms.values() for f in methods.values()]

    point = stats(pred[rows_idx, cols_idx], obs[rows_idx, cols_idx])
    boots = np.full((n_boot, len(point)), np.nan)
    rng = np.random.default_rng(seed)
    for b in range(n_boot):
        if resample == "items":
            r, c = _pairs_of_drawn_items(rng, n, rows_idx, cols_idx)
        else:
            pick = rng.integers(0, rows_idx.size, size=rows_idx.size)
            r, c = rows_idx[pick], cols_idx[pick]
        boots[b] = stats(pred[r, c], obs[r, c])
    alpha = (1 - ci) / 2
    out = []
    k = 0
    for comparison in transforms:
        for method in methods:
            lo, hi = (np.nanquantile(boots[:, k], [alpha, 1 - alpha]) if n_boot
                      else (float("nan"), float("nan")))
            out.append({"comparison": comparison, "method": method, "r": point[k],
                        "ci_low": float(lo), "ci_high": float(hi)})
            k += 1
    return pd.DataFrame(out)


def similarity_difference(predicted_a, predicted_b, observed, *, names: tuple[str, str] = ("A", "B"),
                          comparison: str = "absolute", method: str = "pearson", n_boot: int = 1000,
                          ci: float = 0.95, seed: int = 0) -> dict:
    """Two predicted similarity matrices (e.g. two embedding models) against the same observed one, compared
    paired: the correlation of B with ``observed`` minus that of A.

    Each bootstrap resample draws *items* with replacement (as :func:`compare_similarity` does) and computes
    both correlations over the pairs of the drawn items, so the interval is that of the difference on the
    same items; two separate intervals that overlap cannot tell whether B beats A. ``comparison`` is
    ``"signed"`` or ``"absolute"``, ``method`` ``"pearson"`` or ``"spearman"``.

    Returns ``value_a``, ``value_b``, ``difference``, ``ci_low``, ``ci_high``, ``n_items``, ``n_boot``,
    ``n_undefined`` (resamples on which a correlation is undefined, left out; more than 5% raises), ``clear`` (the
    interval excludes 0) and a ``verdict`` sentence.
    """
    from helpers.evaluation import _check_names_unit, _difference_verdict

    _check_names_unit(names, "items")
    if comparison not in ("signed", "absolute"):
        raise ValueError(f"comparison must be 'signed' or 'absolute', got {comparison!r}.")
    if method not in ("pearson", "spearman"):
        raise ValueError(f"method must be 'pearson' or 'spearman', got {method!r}.")
    pred_a, obs = _aligned(predicted_a, observed, "similarity_difference")
    pred_b, obs_b = _aligned(predicted_b, observed, "similarity_difference")
    if pred_a.shape != pred_b.shape or not np.array_equal(obs, obs_b):
        raise ValueError("predicted_a and predicted_b must cover the same items in the same order (label both "
                         "with the items, or give both in the order of observed).")
    if not is_int(n_boot) or n_boot < 100:
        raise ValueError(f"n_boot must be an integer of at least 100 (1000-10000 is usual), got {n_boot!r}.")
    if not (is_finite_real(ci) and not is_int(ci) and 0 < ci < 1):
        raise ValueError(f"ci must be a float between 0 and 1 (e.g. 0.95), got {ci!r}.")
    if not is_int(seed) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")
    transform = np.abs if comparison == "absolute" else (lambda a: a)
    corr = _pearson if method == "pearson" else _spearman
    n = obs.shape[0]
    rows_idx, cols_idx = np.tril_indices(n, k=-1)
    pa, pb, o = (transform(m[rows_idx, cols_idx]) for m in (pred_a, pred_b, obs))
    value_a, value_b = corr(pa, o), corr(pb, o)
    rng = np.random.default_rng(seed)
    boot = np.empty(int(n_boot))
    for b in range(int(n_boot)):
        r, c = _pairs_of_drawn_items(rng, n, rows_idx, cols_idx)
        ob = transform(obs[r, c])
        boot[b] = corr(transform(pred_b[r, c]), ob) - corr(transform(pred_a[r, c]), ob)
    undefined = int(np.isnan(boot).sum())
    if undefined > 0.05 * n_boot:
        raise ValueError(f"the correlation is undefined on {undefined} of {n_boot} resamples (a resample whose values "
                         "are all equal); use more items.")
    alpha = (1 - float(ci)) / 2
    lo, hi = (float(x) for x in np.nanquantile(boot, [alpha, 1 - alpha]))
    diff = value_b - value_a
    what = f"{comparison} {method.capitalize()} r"
    return {"value_a": value_a, "value_b": value_b, "difference": diff, "ci_low": lo, "ci_high": hi, "n_items": n,
            "n_boot": int(n_boot), "n_undefined": undefined, "clear": bool(lo > 0 or hi < 0),
            "verdict": _difference_verdict(names, what, diff, lo, hi, n, "items", float(ci))}


def pair_shares(flags, rows, cols, n_items: int, groups: dict, *, contrasts: Sequence[tuple[str, str]] = (),
                n_boot: int = 1000, confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Share of item pairs with a property (e.g. "shares a word") in groups of pairs, with intervals over items.

    Pairs are not independent units: every item is in many pairs, so a binomial interval over pairs is too
    narrow. Each bootstrap resample draws ``n_items`` items with replacement and weights a pair of two
    different items by how often both were drawn (as :func:`compare_similarity` does); the same draws serve
    every group, so ``contrasts`` (pairs of group names) get a paired interval of their difference.

    ``flags``: one 0/1 per pair; ``rows``/``cols``: the two items of each pair (integers below ``n_items``);
    ``groups``: name -> boolean mask or positions of the pairs in the group. Returns one row per group and
    contrast: ``pairs``, ``share``, ``ci_low``, ``ci_high``.

    >>> rows, cols = np.tril_indices(4, k=-1)
    >>> flags = np.array([1, 0, 0, 0, 0, 1])
    >>> pair_shares(flags, rows, cols, 4, {"all": np.ones(6, bool)}, n_boot=200).loc["all", "share"]
    np.float64(0.3333333333333333)
    """
    flags = np.asarray(flags, dtype=float)
    rows, cols = np.asarray(rows), np.asarray(cols)
    if not (flags.ndim == rows.ndim == cols.ndim == 1 and len(flags) == len(rows) == len(cols)):
        raise ValueError(f"pair_shares: flags, rows and cols must be 1-D and of one length (one entry per pair), "
                         f"got {flags.shape}, {rows.shape}, {cols.shape}.")
    if not np.isin(flags, [0, 1]).all():
        raise ValueError("pair_shares: flags must be 0/1 (or True/False), one per pair.")
    if not is_int(n_items) or n_items < 2:
        raise ValueError(f"pair_shares: n_items must be a whole number of at least 2, got {n_items!r}.")
    for name, idx in [("rows", rows), ("cols", cols)]:
        if not np.issubdtype(idx.dtype, np.integer) or (len(idx) and (idx.min() < 0 or idx.max() >= n_items)):
            raise ValueError(f"pair_shares: {name} must be item positions 0..{n_items - 1}.")
    if (rows == cols).any():
        raise ValueError("pair_shares: a pair joins an item with itself (rows == cols); pairs are of two items.")
    if not is_int(n_boot) or n_boot < 100:
        raise ValueError(f"pair_shares: n_boot must be a whole number of at least 100, got {n_boot!r}.")
    if not is_finite_real(confidence) or not 0 < confidence < 1:
        raise ValueError(f"pair_shares: confidence must lie between 0 and 1, got {confidence!r}.")
    masks = {}
    for name, members in groups.items():
        members = np.asarray(members)
        mask = members if members.dtype == bool else np.isin(np.arange(len(flags)), members)
        if mask.shape != flags.shape or not mask.any():
            raise ValueError(f"pair_shares: group {name!r} must select at least one of the {len(flags)} pairs "
                             "(a boolean mask of that length or positions).")
        masks[name] = mask
    for a, b in contrasts:
        if a not in masks or b not in masks:
            raise ValueError(f"pair_shares: contrast ({a!r}, {b!r}) names a group not in groups {list(masks)}.")
    counts = np.random.default_rng(seed).multinomial(n_items, np.full(n_items, 1 / n_items), size=int(n_boot))
    alpha = (1 - confidence) / 2
    shares, draws, out = {}, {}, {}
    for name, mask in masks.items():
        f, weight = flags[mask], counts[:, rows[mask]] * counts[:, cols[mask]]
        shares[name] = float(f.mean())
        with np.errstate(invalid="ignore", divide="ignore"):
            draws[name] = (weight @ f) / weight.sum(axis=1)       # nan when no pair of the group was drawn
    for name in masks:
        out[name] = (int(masks[name].sum()), shares[name], draws[name])
    for a, b in contrasts:
        out[f"{a} minus {b}"] = (np.nan, shares[a] - shares[b], draws[a] - draws[b])
    table = {}
    for name, (n, share, d) in out.items():
        d = d[np.isfinite(d)]
        if len(d) < 0.9 * n_boot:
            raise ValueError(f"pair_shares: group {name!r} has too few pairs: in {n_boot - len(d)} of {n_boot} "
                             "resamples none of them was drawn; use larger groups.")
        table[name] = {"pairs": n, "share": share, "ci_low": float(np.quantile(d, alpha)),
                       "ci_high": float(np.quantile(d, 1 - alpha))}
    return pd.DataFrame(table).T


def _gap(similarity: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """Mean similarity within the two groups of rows minus between them; a row drawn twice is not paired with
    itself (its copies have similarity 1 by construction)."""
    within, n_within = 0.0, 0
    for idx in (a, b):
        block = similarity[np.ix_(idx, idx)]
        keep = idx[:, None] != idx[None, :]
        within += block[keep].sum()
        n_within += keep.sum()
    return float(within / n_within - similarity[np.ix_(a, b)].mean()) if n_within else float("nan")


def sense_gap(vectors, senses, *, control=None, n_boot: int = 1000, n_perm: int = 1000, confidence: float = 0.95,
              seed: int = 0) -> dict:
    """How much more alike a word's vectors are within one sense than across its two senses.

    ``vectors``: one vector per sentence (the word's vector in that sentence); ``senses``: the sentence's
    sense, two distinct values. The **gap** is the mean cosine over pairs of sentences of one sense minus the
    mean cosine over pairs of different senses: 0 when the vectors do not follow the senses (always 0 for a
    static vector, which is the same in every sentence). Two tests with ``scipy.stats``:

    * ``ci_low``/``ci_high``: a percentile bootstrap that resamples the **sentences** of each sense
      (``scipy.stats.bootstrap``, the senses resampled independently; with a handful of sentences per sense
      this interval is descriptive, see ``tests/test_recovery.py``);
    * ``p_value``: a permutation test that shuffles the **sense labels** over the sentences
      (``scipy.stats.permutation_test``; exact when the splits are few, e.g. 252 for 5 + 5 sentences),
      one-sided: the share of labellings whose gap is at least the observed one. Swapping the two senses
      leaves the gap unchanged, so with 5 + 5 sentences the smallest possible p is 2/252 = 0.008.

    With ``control`` (the vectors of a word with one meaning in the same sentences, e.g. *yesterday*) the
    result also has ``control_gap`` and ``beyond_topic`` = gap - control gap, with an interval from the same
    bootstrap draws (paired: both gaps on the same resampled sentences): how far the word's senses move its
    vectors beyond what the sentences' topics do to any word.

    >>> vecs = np.array([[1, 0.1], [1, 0.0], [1, 0.2], [0, 1], [0.1, 1], [0.2, 1]])
    >>> round(sense_gap(vecs, ["a", "a", "a", "b", "b", "b"], n_boot=200)["gap"], 3)
    0.795
    """
    from scipy import stats

    X = np.asarray(vectors, dtype=float)
    if X.ndim != 2 or len(X) < 4 or not np.isfinite(X).all():
        raise ValueError(f"sense_gap: vectors must be a finite 2-D array with one row per sentence (at least 4), "
                         f"got shape {X.shape}.")
    labels = np.asarray(list(senses), dtype=object)
    if len(labels) != len(X):
        raise ValueError(f"sense_gap: senses has {len(labels)} entries but vectors has {len(X)} rows.")
    kinds = list(dict.fromkeys(labels))
    if len(kinds) != 2:
        raise ValueError(f"sense_gap: senses must hold exactly two senses, got {kinds}.")
    groups = [np.flatnonzero(labels == k) for k in kinds]
    if min(len(g) for g in groups) < 2:
        raise ValueError("sense_gap: each sense needs at least two sentences (pairs within a sense).")
    for name, v, least in [("n_boot", n_boot, 100), ("n_perm", n_perm, 100)]:
        if not is_int(v) or v < least:
            raise ValueError(f"sense_gap: {name} must be a whole number of at least {least}, got {v!r}.")
    if not is_finite_real(confidence) or not 0 < confidence < 1:
        raise ValueError(f"sense_gap: confidence must lie between 0 and 1, got {confidence!r}.")
    def cosines(M):
        unit = M / np.linalg.norm(M, axis=1, keepdims=True)
        return unit @ unit.T

    similarity = cosines(X)
    control_similarity = None
    if control is not None:
        Z = np.asarray(control, dtype=float)
        if Z.shape != X.shape or not np.isfinite(Z).all():
            raise ValueError(f"sense_gap: control must be finite and shaped like vectors {X.shape}, got {Z.shape}.")
        control_similarity = cosines(Z)
    if np.allclose(similarity, 1):        # one vector in every sentence (a static embedding): no gap by construction
        if control is not None:
            raise ValueError("sense_gap: a control needs vectors that change with the sentence (these are all equal).")
        return {"gap": 0.0, "ci_low": 0.0, "ci_high": 0.0, "p_value": 1.0, "n_sentences": len(X)}

    def statistic(a, b, axis=-1):
        return _gap(similarity, np.asarray(a, dtype=int), np.asarray(b, dtype=int))

    def both(a, b, axis=-1):              # the gap and the gap beyond the control's, on the same sentences
        a, b = np.asarray(a, dtype=int), np.asarray(b, dtype=int)
        gap = _gap(similarity, a, b)
        return np.array([gap, gap - _gap(control_similarity, a, b)])

    rng = np.random.default_rng(seed)
    boot = stats.bootstrap(groups, statistic if control is None else both, n_resamples=int(n_boot),
                           vectorized=False, paired=False, confidence_level=confidence, method="percentile",
                           random_state=rng)
    perm = stats.permutation_test(groups, statistic, permutation_type="independent", vectorized=False,
                                  n_resamples=int(n_perm), alternative="greater", random_state=rng)
    low, high = (np.atleast_1d(end) for end in boot.confidence_interval)
    out = {"gap": statistic(*groups), "ci_low": float(low[0]), "ci_high": float(high[0]),
           "p_value": float(perm.pvalue), "n_sentences": len(X)}
    if control is not None:
        out["control_gap"] = _gap(control_similarity, *groups)
        out.update(beyond_topic=out["gap"] - out["control_gap"], beyond_ci_low=float(low[1]),
                   beyond_ci_high=float(high[1]))
    return out


def leave_one_out_centroid_assign(embeddings, labels: Sequence[str]) -> np.ndarray:
    """Assign each row to the label whose centroid (mean of the *other* rows with that label) is
    most cosine-similar; the row itself is left out of its own label's centroid.

    Every label needs at least two rows (otherwise its centroid is empty once the row is left
    out), and there must be at least two labels. When both ``embeddings`` (a DataFrame) and ``labels``
    (a Series) carry index labels, rows are matched by label. Returns an array of predicted labels in
    row order.

    >>> emb = [[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]]
    >>> [str(label) for label in leave_one_out_centroid_assign(emb, ["a", "a", "b", "b"])]
    ['a', 'a', 'b', 'b']
    """
    reject_string(labels, "labels", "one label per row (a list or Series)",
                  hint="pass a list or a column, e.g. df['label']")
    labels = align_rows(embeddings, labels, "embeddings", "labels")
    if isinstance(embeddings, pd.DataFrame):
        embeddings = embeddings.to_numpy()
    try:
        X = np.asarray(embeddings, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("embeddings: could not convert to a numeric array; pass a 2-D array "
                         "(rows = items, columns = embedding dimensions).") from None
    if X.ndim != 2 or X.shape[0] < 2:
        raise ValueError(f"embeddings: expected a 2-D array with at least 2 rows, got shape {X.shape}.")
    if not np.isfinite(X).all():
        raise ValueError("embeddings contain NaN or infinite values; re-compute them.")
    labels = np.asarray(list(labels), dtype=object)
    if labels.shape[0] != X.shape[0]:
        raise ValueError(f"labels has {labels.shape[0]} entries but embeddings has {X.shape[0]} "
                         "rows; pass one label per row.")
    if pd.isna(labels).any():
        raise ValueError("labels contain missing values; give every row a label.")
    if mixes_types(labels):
        raise ValueError(f"labels mix types ({', '.join(value_kinds(labels))}), so 1 and '1' would be different labels "
                         "or be merged; give every label the same type (e.g. labels.astype(str)).")
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    if (norms == 0).any():
        zero = np.flatnonzero(norms[:, 0] == 0)
        raise ValueError(f"embeddings row {zero[0]} is all zeros ({zero.size} all-zero rows in all): cosine "
                         "similarity is undefined; drop those rows (and their labels) or re-compute the embeddings.")
    X = X / norms
    # text labels as before (NumPy strings); other labels keep their type, so that 1 comes back as 1, not "1"
    names, codes, counts = np.unique(labels.astype(str) if all(isinstance(v, str) for v in labels) else labels,
                                     return_inverse=True, return_counts=True)
    if (counts < 2).any():
        raise ValueError(f"labels {names[counts < 2].tolist()} have a single row; every label "
                         "needs at least two rows for a leave-one-out centroid.")
    if names.size < 2:
        raise ValueError(f"labels hold one label only ({str(names[0])!r}): every row would be assigned to it. "
                         "Pass at least two different labels.")
    sums = np.zeros((names.size, X.shape[1]))
    np.add.at(sums, codes, X)
    pred = []
    for i in range(X.shape[0]):
        s = sums.copy()
        n = counts.astype(float).copy()
        s[codes[i]] -= X[i]
        n[codes[i]] -= 1
        centroids = s / n[:, None]
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
        pred.append(names[int(np.argmax(centroids @ X[i]))])
    return np.asarray(pred, dtype=object)
