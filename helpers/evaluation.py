"""Evaluation with baselines: accuracy with a confidence interval, macro-F1, chance levels,
confusion matrices — treating unparseable answers explicitly.

>>> y_true = ["a", "b", "a", "b"]
>>> y_pred = ["a", None, "a", "a"]          # None = the model's answer could not be parsed
>>> evaluate(y_true, y_pred, labels=["a", "b"])["accuracy"]
0.5
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers._checks import align_rows, is_finite_real, is_int, is_real, label_kinds, reject_string

UNPARSED = "(unparsed)"


def _check_pair(y_true, y_pred) -> tuple[list, list]:
    reject_string(y_true, "y_true", "one label per item (a list or Series)",
                  hint="pass a list or a column, e.g. df['label']")
    reject_string(y_pred, "y_pred", "one prediction per item (a list or Series; None = unparsed)",
                  hint="pass a list or a column, e.g. df['label']")
    y_pred = align_rows(y_true, y_pred, "y_true", "y_pred")
    y_true, y_pred = list(y_true), list(y_pred)
    for name, values in [("y_true", y_true), ("y_pred", y_pred)]:
        for v in values:
            try:
                hash(v)
            except TypeError:
                raise ValueError(f"{name} holds {type(v).__name__} values such as {v!r}; pass one label (a string "
                                 "or a number) per item.") from None
    if not y_true:
        raise ValueError("y_true is empty; there is nothing to evaluate.")
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} entries but y_pred has {len(y_pred)}; "
                         "predict every item (use None for an unparseable answer, never drop it).")
    if any(t is None or t is pd.NA or (isinstance(t, float) and math.isnan(t)) for t in y_true):
        raise ValueError("y_true contains missing labels; remove those items before evaluating.")
    if any(p is pd.NA or (isinstance(p, float) and math.isnan(p)) for p in y_pred):
        raise ValueError("y_pred contains NaN; mark an answer that could not be parsed with None, not NaN "
                         "(e.g. [None if pd.isna(p) else p for p in y_pred]).")
    kinds_true, kinds_pred = label_kinds(y_true), label_kinds(p for p in y_pred if p is not None)
    for name, kinds in [("y_true", kinds_true), ("y_pred", kinds_pred)]:
        if len(kinds) > 1:
            raise ValueError(f"{name} mixes label types ({' and '.join(sorted(kinds))}), e.g. 1 and '1', which never "
                             "compare equal; convert all labels to one type (e.g. [str(v) for v in labels]).")
    if kinds_pred and kinds_true != kinds_pred:
        raise ValueError(f"y_true holds {kinds_true.pop()} labels but y_pred holds {kinds_pred.pop()} labels, so no "
                         "prediction can match; convert one side (e.g. y_pred = [int(p) for p in y_pred]).")
    return y_true, y_pred



def _check_labels(labels, name: str = "labels") -> list:
    reject_string(labels, name, "a list of the possible labels")
    labels = list(labels)
    if not labels:
        raise ValueError(f"{name} is empty; pass every possible label, e.g. labels=['Democratic', 'Republican'].")
    dup = sorted({str(v) for v in labels if labels.count(v) > 1})
    if dup:
        raise ValueError(f"{name} contains duplicates {dup}; list each label once.")
    return labels


def _check_confidence(confidence) -> None:
    if not is_real(confidence) or not 0 < confidence < 1:
        raise ValueError(f"confidence must be a number between 0 and 1 (e.g. 0.95), got {confidence!r}.")


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (better than the normal approximation near 0 or 1).

    Computed by ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.

    >>> [round(x, 3) for x in wilson_interval(12, 16)]
    [0.505, 0.898]
    """
    if not is_int(n) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}.")
    if not is_real(successes) or not 0 <= successes <= n:
        raise ValueError(f"successes must be between 0 and n={n}, got {successes!r}.")
    if successes != int(successes):
        raise ValueError(f"successes must be an integer (a count of successes), got {successes!r}.")
    _check_confidence(confidence)
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(int(successes), int(n), alpha=1 - float(confidence), method="wilson")
    return float(max(0.0, lo)), float(min(1.0, hi))


def clopper_pearson(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact binomial (Clopper-Pearson) interval for a proportion; use it for small n (e.g. 16 addresses).

    Computed by ``statsmodels.stats.proportion.proportion_confint(method="beta")``.

    >>> [round(x, 3) for x in clopper_pearson(12, 16)]
    [0.476, 0.927]
    """
    wilson_interval(successes, n, confidence)          # the same argument checks
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(int(successes), int(n), alpha=1 - float(confidence), method="beta")
    return float(lo), float(hi)


def cluster_bootstrap(statistic, *arrays, clusters: Sequence, n_boot: int = 2000, confidence: float = 0.95,
                      seed: int = 0, strata: Sequence | None = None) -> dict | pd.DataFrame:
    """Percentile bootstrap interval of ``statistic(*arrays)`` that resamples whole clusters.

    Use it when the rows are not independent: paragraphs of one address, answers of one respondent.
    Each replicate draws as many clusters as there are, with replacement, and keeps *all* rows of each
    drawn cluster. Replicates on which the statistic is undefined (``nan``, e.g. an AUC when a resample
    holds one class only) are left out and counted in ``n_undefined``; more than 5% raises an error.

    With ``strata`` (one id per row, the same for all rows of a cluster, e.g. the party of the president)
    clusters are resampled within each stratum, so every resample keeps as many clusters of each stratum
    as the data has: an AUC then stays defined when there are few clusters per class.

    Several statistics on the **same** resamples: let ``statistic`` return a dict of numbers (e.g. two
    accuracies and their difference, or one gap per item). The result is then a DataFrame with one row
    per name and the columns of the single-number result; a paired difference is simply one more entry.

    >>> y = [1, 1, 0, 0, 1, 0]; pred = [1, 0, 0, 0, 1, 1]; address = ["a", "a", "b", "b", "c", "c"]
    >>> r = cluster_bootstrap(lambda t, p: np.mean(np.asarray(t) == np.asarray(p)), y, pred, clusters=address,
    ...                       n_boot=200)
    >>> round(r["estimate"], 3), r["n_clusters"]
    (0.667, 3)
    >>> t = cluster_bootstrap(lambda t, p: {"accuracy": np.mean(t == p), "share of 1": np.mean(p)}, y, pred,
    ...                       clusters=address, n_boot=200)
    >>> bool(t.loc["accuracy", "estimate"] == r["estimate"]), list(t.index)
    (True, ['accuracy', 'share of 1'])
    """
    if not callable(statistic):
        raise ValueError("statistic must be a function of the arrays, e.g. lambda y, p: np.mean(y == p).")
    if not arrays:
        raise ValueError("pass at least one array for the statistic (e.g. y_true, y_pred).")
    if isinstance(clusters, str):
        raise ValueError("clusters must be one cluster id per row (a list or Series), not a single string.")
    arrays = [np.asarray(align_rows(clusters, a, "clusters", f"array {i}")) for i, a in enumerate(arrays)]
    clusters = np.asarray(list(clusters), dtype=object)
    n = len(clusters)
    for i, a in enumerate(arrays):
        if len(a) != n:
            raise ValueError(f"array {i} has {len(a)} rows but clusters has {n}; give one cluster id per row.")
    if n == 0:
        raise ValueError("there are no rows to resample.")
    if bool(pd.isna(pd.Series(clusters, dtype=object)).any()):
        raise ValueError("clusters contains missing ids; every row needs the id of its cluster (address, person).")
    if not isinstance(n_boot, (int, np.integer)) or isinstance(n_boot, bool) or n_boot < 100:
        raise ValueError(f"n_boot must be an integer of at least 100 (1000-10000 is usual), got {n_boot!r}.")
    _check_confidence(confidence)
    if not is_int(seed) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")
    codes, ids, groups = _cluster_layout(clusters, strata)
    rows_of = [np.flatnonzero(codes == k) for k in range(len(ids))]

    def number(out, what: str) -> float:
        try:
            if isinstance(out, (str, bytes, bool, np.bool_)) or np.ndim(out) != 0:
                raise TypeError
            return float(out)
        except (TypeError, ValueError):
            raise ValueError(f"statistic must return one number{what}, got {type(out).__name__} {str(out)[:60]}; "
                             "e.g. lambda y, p: np.mean(y == p), or a dict of such numbers.") from None

    first = statistic(*arrays)
    many = isinstance(first, (dict, pd.Series))
    if many:
        names = list(first.keys())
        if not names:
            raise ValueError("statistic returned an empty dict; return at least one named number.")

    def value(out) -> list[float]:
        if not many:
            return [number(out, "")]
        if not isinstance(out, (dict, pd.Series)) or list(out.keys()) != names:
            raise ValueError(f"statistic must return the same names on every resample: {names[:5]} first, then "
                             f"{list(out.keys())[:5] if isinstance(out, (dict, pd.Series)) else type(out).__name__}.")
        return [number(out[k], f" for {k!r}") for k in names]

    estimate = value(first)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n_boot):
        idx = np.concatenate([rows_of[k] for k in _draw_clusters(rng, groups)])
        values.append(value(statistic(*[a[idx] for a in arrays])))
    values = np.array(values)
    rows = []
    for j, name in enumerate(names if many else [None]):
        column = values[:, j]
        undefined = int(np.isnan(column).sum())
        if undefined > 0.05 * n_boot:
            raise ValueError(f"the statistic{'' if name is None else f' {name!r}'} is undefined on {undefined} of "
                             f"{n_boot} resamples (too few clusters of each class?); use more clusters or an exact "
                             "interval at the cluster level.")
        lo, hi = np.quantile(column[~np.isnan(column)], [(1 - confidence) / 2, (1 + confidence) / 2])
        rows.append({"estimate": estimate[j], "ci_low": float(lo), "ci_high": float(hi), "n_clusters": len(ids),
                     "n_boot": n_boot, "n_undefined": undefined})
    if not many:
        return rows[0]
    return pd.DataFrame(rows, index=pd.Index(names, name="statistic"))


def _cluster_layout(clusters, strata=None) -> tuple[np.ndarray, pd.Index, list[np.ndarray]]:
    """Cluster codes per row, the cluster ids, and the clusters of each stratum (one group without strata)."""
    codes, ids = pd.factorize(pd.Series(np.asarray(list(clusters), dtype=object), dtype=object))
    if len(ids) < 2:
        raise ValueError("only one cluster: a cluster bootstrap needs at least two (better: ten or more).")
    if strata is None:
        return codes, ids, [np.arange(len(ids))]
    reject_string(strata, "strata", "one stratum id per row (a list or Series)")
    strata = np.asarray(list(align_rows(clusters, strata, "clusters", "strata")), dtype=object)
    if len(strata) != len(codes):
        raise ValueError(f"strata has {len(strata)} rows but clusters has {len(codes)}; give one stratum id per row.")
    if bool(pd.isna(pd.Series(strata, dtype=object)).any()):
        raise ValueError("strata contains missing ids; every row needs the stratum of its cluster (e.g. its party).")
    per_cluster = pd.Series(strata, dtype=object).groupby(codes).nunique()
    if (per_cluster > 1).any():
        bad = ids[int(per_cluster.index[per_cluster > 1][0])]
        raise ValueError(f"cluster {bad} lies in more than one stratum; a stratum must hold whole clusters "
                         "(e.g. strata = the party of each row's president).")
    first = pd.Series(strata, dtype=object).groupby(codes).first()
    s_codes, s_ids = pd.factorize(first.sort_index())
    groups = [np.flatnonzero(s_codes == j) for j in range(len(s_ids))]
    lonely = [str(s_ids[j]) for j, g in enumerate(groups) if len(g) < 2]
    if lonely:
        raise ValueError(f"strata {lonely} hold only one cluster each; a stratified bootstrap needs at least two "
                         "clusters per stratum (such a stratum never varies).")
    return codes, ids, groups


def _draw_clusters(rng: np.random.Generator, groups: list[np.ndarray]) -> np.ndarray:
    """One resample: as many clusters from each stratum as it holds, with replacement."""
    if len(groups) == 1:
        return groups[0][rng.integers(0, len(groups[0]), len(groups[0]))]
    return np.concatenate([g[rng.integers(0, len(g), len(g))] for g in groups])


def _resample_weights(codes: np.ndarray, n_clusters: int, groups: list[np.ndarray], n_boot: int,
                      seed: int) -> np.ndarray:
    """(n_boot, n_rows) how often each row is drawn: the resamples of :func:`cluster_bootstrap` (same seed,
    same clusters), as weights, so that a statistic can be computed for all resamples at once."""
    rng = np.random.default_rng(seed)
    counts = np.zeros((n_boot, n_clusters))
    for b in range(n_boot):
        counts[b] = np.bincount(_draw_clusters(rng, groups), minlength=n_clusters)
    return counts[:, codes]


def _weighted_auc(positive: np.ndarray, scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """ROC AUC (ties one half) for each row of ``weights`` (n_boot, n): the Mann-Whitney share of
    (positive, negative) pairs, each pair weighted by the product of its rows' weights; nan where a
    resample holds one class only."""
    order = np.argsort(scores, kind="stable")
    s, pos, w = scores[order], positive[order], weights[:, order]
    neg_cum = np.cumsum(w * ~pos, axis=1)
    first = np.searchsorted(s, s, side="left")            # first row of each row's tie group
    last = np.searchsorted(s, s, side="right") - 1         # last row of it
    below = np.where(first > 0, neg_cum[:, np.maximum(first - 1, 0)], 0.0)
    tied = neg_cum[:, last] - below
    num = (w * pos * (below + 0.5 * tied)).sum(axis=1)
    w_pos, w_neg = (w * pos).sum(axis=1), (w * ~pos).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((w_pos > 0) & (w_neg > 0), num / (w_pos * w_neg), np.nan)


def roc_auc(y_true: Sequence, scores: Sequence, positive) -> float:
    """ROC AUC of ``scores`` (higher = more likely ``positive``); ``nan`` when only one class is present.

    0.5 is chance; below 0.5 the scores point the wrong way (the signal exists, reversed).
    """
    from scipy.stats import rankdata

    reject_string(y_true, "y_true", "one label per text (a list or Series)",
                  hint="pass a list or a column, e.g. df['label']")
    reject_string(scores, "scores", "one number per text", "pass a list or a column of numbers")
    scores = align_rows(y_true, scores, "y_true", "scores")
    labels = np.asarray(list(y_true), dtype=object)
    y = labels == positive
    try:
        s = np.asarray(list(scores), dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"scores must be numbers (one per text), got values such as {list(scores)[:3]}.") from None
    if len(y) != len(s):
        raise ValueError(f"y_true has {len(y)} entries but scores has {len(s)}.")
    if not np.isfinite(s).all():
        raise ValueError("scores contain nan or inf; score every text (never drop one) before computing an AUC.")
    if len(y) == 0:
        raise ValueError("y_true is empty; there is nothing to evaluate.")
    present = set(pd.unique(pd.Series(labels, dtype=object)))
    if not y.any() and len(present) == 2:
        raise ValueError(f"positive={positive!r} is not one of the labels in y_true {sorted(map(str, present))}; "
                         "pass the label whose higher scores mean 'more likely' (check spelling and type).")
    if y.all() or not y.any():
        return float("nan")
    # The Mann-Whitney form: the share of (positive, negative) pairs in which the positive scores higher,
    # ties counting one half. It is the area under the ROC curve, as sklearn.metrics.roc_auc_score computes
    # it (tests/test_evaluation.py checks this), without its per-call input checks, which cost milliseconds
    # each: a bootstrap calls this function thousands of times.
    ranks = rankdata(s)                                   # average ranks for tied scores
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def verdict(name: str, low: float, high: float, chance: float, what: str = "") -> str:
    """One sentence that says whether a 95% interval excludes the chance level.

    >>> verdict("label scoring", 0.45, 0.58, 0.5, "AUC")
    'label scoring: at chance: the 95% interval of the AUC (0.450-0.580) includes 0.5.'
    """
    for arg, v in [("low", low), ("high", high), ("chance", chance)]:
        if not is_finite_real(v):
            undefined = is_real(v) and math.isnan(v)
            raise ValueError(f"verdict({name!r}): {arg} must be a finite number, got {v!r}"
                             + ("; an interval of nan means the measure is undefined here (e.g. an AUC with one "
                                "class only): report that instead of a verdict." if undefined else "."))
    if low > high:
        raise ValueError(f"verdict({name!r}): low={low!r} is above high={high!r}; pass the interval as (low, high).")
    if 0 <= low <= high <= 1 and not 0 <= chance <= 1:
        raise ValueError(f"verdict({name!r}): chance={chance!r} is on another scale than the interval "
                         f"({low:g}-{high:g}); give both as shares (e.g. chance=0.5) or both in percent.")
    what = f" of the {what}" if what else ""
    if low > chance:
        state = f"above chance: the 95% interval{what} ({low:.3f}-{high:.3f}) excludes {chance:g}."
    elif high < chance:
        state = f"below chance (reversed): the 95% interval{what} ({low:.3f}-{high:.3f}) lies under {chance:g}."
    else:
        state = f"at chance: the 95% interval{what} ({low:.3f}-{high:.3f}) includes {chance:g}."
    return f"{name}: {state}"


def verdict_change(name: str, before: Sequence[float], after: Sequence[float]) -> str:
    """One sentence that says whether a measure changed between two conditions.

    ``before`` and ``after`` are (estimate, low, high) with 95% intervals computed on the same test
    items. A change counts only when the two intervals do not overlap: a very conservative rule (in
    tests/test_recovery.py it detects a change that the paired test finds 80% of the time in only 18%).
    When both conditions were scored on the same items, use :func:`paired_share_difference` or
    :func:`paired_difference` instead; this is for two intervals from different items.

    >>> verdict_change("format", (0.0, 0.0, 0.14), (0.88, 0.69, 0.98))
    'format: rose (0.00 -> 0.88; the intervals do not overlap).'
    >>> verdict_change("accuracy", (0.0, 0.0, 0.14), (0.04, 0.0, 0.2))
    'accuracy: no clear change (0.00 -> 0.04; the intervals overlap).'
    """
    triples = []
    for what, triple in [("before", before), ("after", after)]:
        if isinstance(triple, str) or len(triple) != 3:
            raise ValueError(f"{what} must be (estimate, low, high), got {triple!r}.")
        if not all(is_real(x) for x in triple):
            raise ValueError(f"{what} must be three numbers (estimate, low, high), got {triple!r}.")
        est, lo, hi = (float(x) for x in triple)
        if not all(math.isfinite(x) for x in (est, lo, hi)) or not lo <= est <= hi:
            raise ValueError(f"{what} must be finite with low <= estimate <= high, got {triple!r}.")
        triples.append((est, lo, hi))
    (a, a_lo, a_hi), (b, b_lo, b_hi) = triples
    if b_lo > a_hi:
        state = "rose"
    elif b_hi < a_lo:
        state = "fell"
    else:
        return f"{name}: no clear change ({a:.2f} -> {b:.2f}; the intervals overlap)."
    return f"{name}: {state} ({a:.2f} -> {b:.2f}; the intervals do not overlap)."


def mcnemar_exact(hits_a: Sequence, hits_b: Sequence) -> dict:
    """Exact McNemar test of two methods scored right/wrong on the *same* independent items.

    Only the discordant items count: ``b_only`` (B right, A wrong) and ``a_only``. The p-value is the exact
    binomial test of ``b_only`` among them (``statsmodels.stats.contingency_tables.mcnemar(exact=True)``).
    Use it when the items are independent; with clustered items use :func:`paired_difference` with
    ``clusters``.

    >>> r = mcnemar_exact([1, 0, 0, 0, 0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1, 0])
    >>> r["b_only"], r["a_only"], round(r["p_value"], 4)
    (8, 0, 0.0078)
    """
    from statsmodels.stats.contingency_tables import mcnemar

    a, b = (_as_hits(h, name) for h, name in [(hits_a, "hits_a"), (hits_b, "hits_b")])
    if len(a) != len(b):
        raise ValueError(f"hits_a has {len(a)} items but hits_b has {len(b)}; score both methods on the same items.")
    table = [[int(np.sum(a & b)), int(np.sum(a & ~b))], [int(np.sum(~a & b)), int(np.sum(~a & ~b))]]
    p_value = 1.0 if table[0][1] + table[1][0] == 0 else float(mcnemar(table, exact=True).pvalue)
    return {"b_only": table[1][0], "a_only": table[0][1], "n": len(a), "p_value": p_value}


def _as_hits(values, name: str) -> np.ndarray:
    reject_string(values, name, "one right/wrong (1/0 or True/False) per item")
    arr = np.asarray(list(values), dtype=object)
    if len(arr) == 0:
        raise ValueError(f"{name} is empty; there is nothing to compare.")
    if not all(isinstance(v, (bool, np.bool_)) or (is_real(v) and float(v) in (0.0, 1.0)) for v in arr):
        bad = next(v for v in arr if not (isinstance(v, (bool, np.bool_)) or (is_real(v) and float(v) in (0.0, 1.0))))
        raise ValueError(f"{name} must hold 1/0 or True/False (right or wrong) per item, got {bad!r}.")
    return arr.astype(float) == 1.0


def _difference_verdict(names, what: str, diff: float, lo: float, hi: float, n_units: int, unit: str,
                        confidence: float) -> str:
    level = f"{confidence:.0%}"
    interval = f"{diff:+.3f}, {level} interval {lo:+.3f} to {hi:+.3f}, {n_units} {unit} resampled"
    if lo > 0:
        return f"{names[1]} has the higher {what} ({interval}; the interval excludes 0)."
    if hi < 0:
        return f"{names[1]} has the lower {what} ({interval}; the interval excludes 0)."
    return f"{names[1]} and {names[0]} do not differ clearly in {what} ({interval}; the interval includes 0)."


#: fewest clusters from which a paired bootstrap interval that excludes 0 is read as a difference (measured in
#: tests/test_recovery.py, two annotators of equal AUC: the 95% interval excludes 0 in about 16% of data sets with
#: 6 clusters, 10% with 10, 9% with 14, 6.5% with 20 and 6% with 40)
MIN_CLUSTERS = 20


def difference_verdict(result: dict, names: tuple[str, str], what: str, unit: str, confidence: float = 0.95) -> str:
    """The verdict sentence of a difference B minus A whose interval came from :func:`cluster_bootstrap` (a
    statistic that returns the difference): the words of :func:`paired_difference`, with its rule that fewer
    than ``MIN_CLUSTERS`` clusters give no verdict of a difference.

    >>> difference_verdict({"estimate": 0.2, "ci_low": 0.1, "ci_high": 0.3, "n_clusters": 6}, ("A", "B"), "accuracy",
    ...                    "presidents").split(" (")[0]
    'B and A cannot be told apart with 6 presidents'
    """
    if not isinstance(result, dict) or not {"estimate", "ci_low", "ci_high", "n_clusters"} <= set(result):
        raise ValueError("result must be the dict that cluster_bootstrap returns for one statistic (estimate, ci_low, "
                         f"ci_high, n_clusters), got {type(result).__name__}.")
    _check_names_unit(names, unit)
    if not isinstance(what, str) or not what.strip():
        raise ValueError(f"what must name the measure, e.g. 'accuracy', got {what!r}.")
    _check_confidence(confidence)
    diff, lo, hi, n = (float(result[k]) for k in ("estimate", "ci_low", "ci_high", "n_clusters"))
    n = int(n)
    if (lo > 0 or hi < 0) and n < MIN_CLUSTERS:
        return _too_few_clusters(names, what, diff, lo, hi, n, unit)
    return _difference_verdict(names, what, diff, lo, hi, n, unit, confidence)


def _too_few_clusters(names, what: str, diff: float, lo: float, hi: float, n_clusters: int, unit: str) -> str:
    return (f"{names[1]} and {names[0]} cannot be told apart with {n_clusters} {unit} ({what} {diff:+.3f}; the "
            f"bootstrap interval {lo:+.3f} to {hi:+.3f} excludes 0, but with fewer than {MIN_CLUSTERS} {unit} a "
            "bootstrap interval is too narrow to decide).")


def paired_difference(y_true: Sequence, a: Sequence, b: Sequence, measure: str = "accuracy", positive=None,
                      clusters: Sequence | None = None, strata: Sequence | None = None,
                      names: tuple[str, str] = ("A", "B"), unit: str = "clusters", n_boot: int = 2000,
                      confidence: float = 0.95, seed: int = 0) -> dict:
    """Two methods scored on the *same* items, compared paired: the measure of B minus that of A.

    ``measure="accuracy"``: ``a`` and ``b`` are predicted labels (``None`` = unparsed, an error).
    ``measure="auc"``: ``a`` and ``b`` are scores (higher = more likely ``positive``).

    Each bootstrap resample draws whole clusters (``clusters``: the unit that was sampled, e.g. the
    president; each item its own cluster when None), within ``strata`` if given, and computes *both*
    methods on the drawn items, so the interval is that of the paired difference. Two separate intervals
    that overlap cannot tell whether B beats A; this can. With independent items and accuracy, the exact
    McNemar test (:func:`mcnemar_exact`) is added as ``p_mcnemar``.

    Returns ``value_a``, ``value_b``, ``difference``, ``ci_low``, ``ci_high``, ``n_clusters``, ``n_boot``,
    ``n_undefined``, ``clear`` (True when the verdict says the two differ: the interval excludes 0, there are at
    least ``MIN_CLUSTERS`` (20) clusters, and, with independent items, the exact McNemar test agrees) and a
    ``verdict`` sentence ("B has the higher AUC
    (+0.120, 95% interval +0.050 to +0.190, 40 presidents resampled; the interval excludes 0).").

    >>> y = ["D", "R"] * 10
    >>> r = paired_difference(y, ["D"] * 20, y, names=("always D", "model"), n_boot=200)
    >>> r["difference"], r["verdict"].split(" (")[0]
    (0.5, 'model has the higher accuracy')
    """
    if measure not in ("accuracy", "auc"):
        raise ValueError(f"measure must be 'accuracy' or 'auc', got {measure!r}.")
    _check_names_unit(names, unit)
    _check_boot(n_boot, confidence, seed)
    y_in = y_true
    if measure == "accuracy":
        if positive is not None:
            raise ValueError("positive is for measure='auc'; accuracy compares labels directly.")
        y_true, a = _check_pair(y_true, a)
        _, b = _check_pair(y_in, b)
        values = [np.array([t == p for t, p in zip(y_true, pred)], dtype=float) for pred in (a, b)]
        what = "accuracy"
    else:
        y_true = list(y_true)
        if positive is None:
            raise ValueError("measure='auc' needs positive=..., the label that higher scores point to.")
        for x, name in [(a, "a"), (b, "b")]:
            reject_string(x, name, "one score per item (a list or Series of numbers)")
            if len(x) != len(y_true):
                raise ValueError(f"{name} has {len(x)} scores but y_true has {len(y_true)}; score every item.")
            roc_auc(y_true, align_rows(y_in, x, "y_true", name), positive)   # the checks of a single AUC
        sa, sb = (np.asarray(list(align_rows(y_in, x, "y_true", name)), dtype=float)
                  for x, name in [(a, "a"), (b, "b")])
        pos = np.asarray(y_true, dtype=object) == positive
        what = "AUC"
    if measure == "accuracy":
        return _paired_bootstrap(values[0], values[1], None, clusters, strata, names, what, unit, n_boot, confidence,
                                 seed, y_in)
    return _paired_bootstrap(sa, sb, pos, clusters, strata, names, what, unit, n_boot, confidence, seed, y_in)


def paired_share_difference(successes_a: Sequence, successes_b: Sequence, clusters: Sequence | None = None,
                            strata: Sequence | None = None, names: tuple[str, str] = ("before", "after"),
                            what: str = "share correct", unit: str = "clusters", n_boot: int = 2000,
                            confidence: float = 0.95, seed: int = 0) -> dict:
    """Two conditions scored right/wrong on the *same* problems (before/after training, closed book/with
    retrieval): the share of successes of B minus that of A, paired.

    Like :func:`paired_difference` with ``measure="accuracy"``, from the 1/0 (True/False) outcomes themselves;
    ``what`` names the share in the verdict. With independent problems (``clusters=None``) the exact McNemar
    p-value is added as ``p_mcnemar``.

    >>> r = paired_share_difference([0, 0, 1, 0, 1, 0] * 5, [1, 1, 1, 0, 1, 1] * 5, n_boot=200)
    >>> round(r["difference"], 3), r["verdict"].split(" (")[0]
    (0.5, 'after has the higher share correct')
    """
    a, b = _as_hits(successes_a, "successes_a"), _as_hits(successes_b, "successes_b")
    if len(a) != len(b):
        raise ValueError(f"successes_a has {len(a)} problems but successes_b has {len(b)}; score both conditions on "
                         "the same problems, in the same order.")
    if not isinstance(what, str) or not what.strip():
        raise ValueError(f"what must name the share, e.g. 'share correct', got {what!r}.")
    _check_names_unit(names, unit)
    _check_boot(n_boot, confidence, seed)
    return _paired_bootstrap(a.astype(float), b.astype(float), None, clusters, strata, names, what, unit, n_boot,
                             confidence, seed, successes_a)


def _check_names_unit(names, unit) -> None:
    if isinstance(names, str) or len(names) != 2 or not all(isinstance(n, str) and n for n in names):
        raise ValueError(f"names must be two non-empty strings (method A, method B), got {names!r}.")
    if names[0] == names[1]:
        raise ValueError(f"names must differ, got {names!r}; name the two methods you compare.")
    if not isinstance(unit, str) or not unit.strip():
        raise ValueError(f"unit must name what a cluster is, e.g. 'presidents' or 'films', got {unit!r}.")


def _check_boot(n_boot, confidence, seed) -> None:
    if not is_int(n_boot) or n_boot < 100:
        raise ValueError(f"n_boot must be an integer of at least 100 (1000-10000 is usual), got {n_boot!r}.")
    _check_confidence(confidence)
    if not is_int(seed) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")


def _paired_bootstrap(values_a: np.ndarray, values_b: np.ndarray, positive: np.ndarray | None, clusters, strata,
                      names, what: str, unit: str, n_boot: int, confidence: float, seed: int, reference) -> dict:
    """The paired cluster bootstrap behind :func:`paired_difference`: means of ``values`` (1/0 hits), or AUCs
    of ``values`` (scores) when ``positive`` marks the positive items."""
    n = len(values_a)
    if n < 2:
        raise ValueError("a paired comparison needs at least two items.")
    if clusters is None:
        if strata is not None:
            raise ValueError("strata need clusters: pass the cluster id (e.g. the president) of each item too.")
        clusters, unit = np.arange(n), ("items" if unit == "clusters" else unit)
    else:
        reject_string(clusters, "clusters", "one cluster id per item (a list or Series)")
        clusters = align_rows(reference, clusters, "the items", "clusters")
        if len(clusters) != n:
            raise ValueError(f"clusters has {len(clusters)} ids but there are {n} items; give one per item.")
        if bool(pd.isna(pd.Series(list(clusters), dtype=object)).any()):
            raise ValueError("clusters contains missing ids; every item needs the id of its cluster.")
    codes, ids, groups = _cluster_layout(clusters, strata)
    weights = _resample_weights(codes, len(ids), groups, n_boot, seed)
    if positive is None:
        value_a, value_b = float(values_a.mean()), float(values_b.mean())
        total = weights.sum(axis=1)
        boot = (weights @ values_b) / total - (weights @ values_a) / total
    else:
        labels = np.where(positive, 1, 0).tolist()
        value_a, value_b = roc_auc(labels, values_a, 1), roc_auc(labels, values_b, 1)
        if math.isnan(value_a):
            raise ValueError("the items hold one class only; an AUC needs items of the positive label and of another.")
        boot = _weighted_auc(positive, values_b, weights) - _weighted_auc(positive, values_a, weights)
    undefined = int(np.isnan(boot).sum())
    if undefined > 0.05 * n_boot:
        raise ValueError(f"the AUC is undefined on {undefined} of {n_boot} resamples (a resample with one class "
                         "only); pass strata= (e.g. the class of each cluster) or use more clusters.")
    lo, hi = (float(x) for x in np.quantile(boot[~np.isnan(boot)], [(1 - confidence) / 2, (1 + confidence) / 2]))
    diff = value_b - value_a
    out = {"value_a": value_a, "value_b": value_b, "difference": diff, "ci_low": lo, "ci_high": hi,
           "n_clusters": len(ids), "n_boot": n_boot, "n_undefined": undefined,
           "verdict": _difference_verdict(names, what, diff, lo, hi, len(ids), unit, confidence),
           "clear": bool(lo > 0 or hi < 0)}
    if len(ids) < n and len(ids) < MIN_CLUSTERS and (lo > 0 or hi < 0):
        # few clusters: the percentile bootstrap is too narrow (with 6 clusters it excludes 0 in about 1 of 6 data
        # sets without a difference, tests/test_recovery.py); no verdict of a difference from it
        out["verdict"] = _too_few_clusters(names, what, diff, lo, hi, len(ids), unit)
        out["clear"] = False
    if positive is None and len(ids) == n:
        exact = mcnemar_exact(values_a, values_b)
        out["p_mcnemar"] = exact["p_value"]
        if (lo > 0 or hi < 0) and exact["p_value"] >= 1 - confidence:
            # few discordant items: the percentile bootstrap is too optimistic; the exact test decides
            out["verdict"] = (f"{names[1]} and {names[0]} do not differ clearly in {what} ({diff:+.3f}; the bootstrap "
                              f"interval {lo:+.3f} to {hi:+.3f} excludes 0, but the exact McNemar test on the "
                              f"{exact['a_only'] + exact['b_only']} {unit} where they disagree does not reject "
                              f"(p = {exact['p_value']:.3f}); with this few {unit}, trust the exact test).")
            out["clear"] = False
    return out


def accuracy_difference(y_true: Sequence, pred_a: Sequence, pred_b: Sequence, clusters: Sequence | None = None,
                        names: tuple[str, str] = ("A", "B"), unit: str = "clusters", n_boot: int = 2000,
                        seed: int = 0, strata: Sequence | None = None) -> dict:
    """Paired comparison of two methods that labelled the *same* texts: accuracy of B minus accuracy of A.

    The accuracy case of :func:`paired_difference`, with its keys named ``accuracy_a``/``accuracy_b`` and a
    verdict that says "more/less accurate". Each resample draws whole clusters (films, speeches,
    respondents; each text its own cluster when ``clusters`` is None) and takes both methods' answers on
    the drawn texts. ``None`` predictions count as errors.

    >>> r = accuracy_difference(["a", "b", "a", "b"], ["a", "a", "a", "a"], ["a", "b", "a", "b"], n_boot=200)
    >>> r["difference"]
    0.5
    """
    r = paired_difference(y_true, pred_a, pred_b, measure="accuracy", clusters=clusters, strata=strata, names=names,
                          unit=unit, n_boot=n_boot, seed=seed)
    diff, lo, hi = r["difference"], r["ci_low"], r["ci_high"]
    interval = (f"{diff:+.3f}, 95% interval {lo:+.3f} to {hi:+.3f}, {r['n_clusters']} "
                f"{unit if clusters is not None else 'texts'} resampled")
    if (lo > 0 or hi < 0) and not r["clear"]:
        text = r["verdict"]          # too few clusters, or the exact McNemar test does not reject: no verdict
    elif lo > 0:
        text = f"{names[1]} is more accurate than {names[0]} ({interval}; the interval excludes 0)."
    elif hi < 0:
        text = f"{names[1]} is less accurate than {names[0]} ({interval}; the interval excludes 0)."
    else:
        text = f"{names[1]} and {names[0]} do not differ clearly in accuracy ({interval}; the interval includes 0)."
    out = {"accuracy_a": r["value_a"], "accuracy_b": r["value_b"], "difference": diff, "ci_low": lo, "ci_high": hi,
           "n_clusters": r["n_clusters"], "verdict": text, "clear": r["clear"]}
    if "p_mcnemar" in r:
        out["p_mcnemar"] = r["p_mcnemar"]
    return out


def evaluate(y_true: Sequence, y_pred: Sequence, labels: Sequence | None = None, clusters: Sequence | None = None,
             scores: Sequence | None = None, n_boot: int = 2000, seed: int = 0, strata: Sequence | None = None) -> dict:
    """Accuracy (with 95% CI) and macro-F1, counting ``None`` predictions as errors.

    Also reports the number of unparsed answers, accuracy on the parsed subset, and two baselines:
    the majority-class rate and uniform chance (1 / number of labels).

    With ``clusters`` (one id per text: the address, speech or respondent the text comes from) the
    intervals come from a cluster bootstrap (:func:`cluster_bootstrap`) instead of the Wilson interval,
    which wrongly treats texts of one document as independent; with ``strata`` as well (e.g. the party, when
    each cluster belongs to one party) the clusters are resampled within each stratum, so that every resample
    keeps both classes. With ``scores`` (one number per text,
    higher = more likely the *last* label, e.g. P(label 2)) the ROC AUC and its interval are added.
    """
    from sklearn.metrics import f1_score

    y_true_in = y_true
    y_true, y_pred = _check_pair(y_true, y_pred)
    labels = _check_labels(labels) if labels is not None else sorted(set(y_true))
    if len(labels) < 2:
        raise ValueError(f"evaluate() needs at least two labels, got {labels}: with one label every prediction is "
                         "right by construction. Pass labels=[...] with every possible label.")
    unknown = set(y_true) - set(labels)
    if unknown:
        raise ValueError(f"y_true has labels {sorted(unknown)} that are not in labels={labels}.")
    bad_pred = {p for p in y_pred if p is not None} - set(labels)
    if bad_pred:
        raise ValueError(f"y_pred has labels {sorted(bad_pred)} not in labels={labels}; map them to a "
                         "label or to None (unparsed) first.")
    n = len(y_true)
    correct = sum(t == p for t, p in zip(y_true, y_pred))
    parsed = [(t, p) for t, p in zip(y_true, y_pred) if p is not None]
    lo, hi = wilson_interval(correct, n)
    extra = {"ci_method": "Wilson"}
    if strata is not None and clusters is None:
        raise ValueError("strata need clusters: pass the cluster id (e.g. the president) of each text too.")
    if clusters is not None:
        clusters = align_rows(y_true_in, clusters, "y_true", "clusters")
        hits = np.array([t == p for t, p in zip(y_true, y_pred)], dtype=float)
        boot = cluster_bootstrap(np.mean, hits, clusters=clusters, n_boot=n_boot, seed=seed, strata=strata)
        lo, hi = boot["ci_low"], boot["ci_high"]
        extra = {"ci_method": f"cluster bootstrap ({boot['n_clusters']} clusters)", "n_clusters": boot["n_clusters"]}
    if scores is not None:
        if len(labels) != 2:
            raise ValueError("scores (for an AUC) need exactly two labels; the score is for the last one.")
        reject_string(scores, "scores", "one number per text", "pass a list or a column of numbers")
        scores = align_rows(y_true_in, scores, "y_true", "scores")
        try:
            s = np.asarray(list(scores), dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"scores must be numbers, one per text, got values such as {list(scores)[:3]}.") from None
        if len(s) != n:
            raise ValueError(f"scores has {len(s)} entries but y_true has {n}; give one score per text.")
        positive = labels[-1]
        extra["auc"] = roc_auc(y_true, s, positive)
        if clusters is not None:
            boot = cluster_bootstrap(lambda t, v: roc_auc(t, v, positive), np.asarray(y_true, dtype=object), s,
                                     clusters=clusters, n_boot=n_boot, seed=seed, strata=strata)
        else:      # texts as independent units: each text its own cluster
            boot = cluster_bootstrap(lambda t, v: roc_auc(t, v, positive), np.asarray(y_true, dtype=object), s,
                                     clusters=np.arange(n), n_boot=n_boot, seed=seed)
        extra["auc_ci_low"], extra["auc_ci_high"] = boot["ci_low"], boot["ci_high"]
    # positions in labels, -1 for unparsed: numeric labels and the unparsed marker never meet in one array
    position = {lab: i for i, lab in enumerate(labels)}
    macro_f1 = f1_score([position[t] for t in y_true], [-1 if p is None else position[p] for p in y_pred],
                        labels=list(range(len(labels))), average="macro", zero_division=0)
    counts = pd.Series(y_true).value_counts()
    return {
        "n": n,
        "accuracy": correct / n,
        "ci_low": lo,
        "ci_high": hi,
        "macro_f1": float(macro_f1),
        "unparsed": n - len(parsed),
        "accuracy_parsed": (sum(t == p for t, p in parsed) / len(parsed)) if parsed else float("nan"),
        "majority_baseline": float(counts.max() / n),
        "chance": 1 / len(labels),
        **extra,
    }


def confusion_table(y_true: Sequence, y_pred: Sequence, labels: Sequence) -> pd.DataFrame:
    """Counts with true labels as rows and predictions as columns (plus an '(unparsed)' column)."""
    y_true, y_pred = _check_pair(y_true, y_pred)
    labels = _check_labels(labels)
    cols = labels + ([UNPARSED] if any(p is None for p in y_pred) else [])
    table = pd.DataFrame(0, index=pd.Index(labels, name="true"), columns=pd.Index(cols, name="predicted"))
    for t, p in zip(y_true, y_pred):
        if t not in table.index:
            raise ValueError(f"true label {t!r} is not in labels={labels}.")
        col = UNPARSED if p is None else p
        if col not in table.columns:
            raise ValueError(f"predicted label {p!r} is not in labels={labels}.")
        table.loc[t, col] += 1
    return table


def plot_confusion(y_true: Sequence, y_pred: Sequence, labels: Sequence, ax=None, title: str = "",
                   normalize: bool = True):
    """Heatmap of :func:`confusion_table` (row-normalised by default); returns the axes."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    table = confusion_table(y_true, y_pred, labels)
    data = table.div(table.sum(axis=1).replace(0, 1), axis=0) if normalize else table
    if ax is None:
        _, ax = plt.subplots(figsize=(1.2 * len(table.columns) + 2, 1.0 * len(table.index) + 1.5))
    sns.heatmap(data, annot=True, fmt=".2f" if normalize else "d", cmap="Blues", vmin=0,
                vmax=1 if normalize else None, cbar=False, ax=ax)
    ax.set_title(title)
    return ax


def results_table(rows: dict[str, dict]) -> pd.DataFrame:
    """A compact table (one row per method) from several :func:`evaluate` results."""
    if not isinstance(rows, dict):
        raise ValueError(f"rows must be a dict {{name: evaluate(...)}}, got {type(rows).__name__}.")
    if not rows:
        raise ValueError("results_table() needs at least one {name: evaluate(...)} entry.")
    cols = ["n", "accuracy", "ci_low", "ci_high", "macro_f1", "unparsed", "accuracy_parsed", "majority_baseline"]
    for name, row in rows.items():
        lacking = [c for c in cols if not isinstance(row, dict) or c not in row]
        if lacking:
            raise ValueError(f"row {name!r} is not a result of evaluate(): it lacks {lacking}; pass "
                             "{name: evaluate(y_true, y_pred, labels=...)}.")
    with_auc = {name for name, row in rows.items() if "auc" in row}
    if with_auc and len(with_auc) != len(rows):
        raise ValueError(f"only some rows have an AUC ({sorted(with_auc)}); call evaluate(..., scores=...) for all "
                         "rows or for none.")
    frame = pd.DataFrame(rows).T
    if with_auc:
        cols += ["auc", "auc_ci_low", "auc_ci_high"]
    return frame[cols].astype(float).round(3).astype({"n": int, "unparsed": int})
