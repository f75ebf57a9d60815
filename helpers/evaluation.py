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

UNPARSED = "(unparsed)"


def _check_pair(y_true, y_pred) -> tuple[list, list]:
    y_true, y_pred = list(y_true), list(y_pred)
    if not y_true:
        raise ValueError("y_true is empty; there is nothing to evaluate.")
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} entries but y_pred has {len(y_pred)}; "
                         "predict every item (use None for an unparseable answer, never drop it).")
    if any(t is None or (isinstance(t, float) and math.isnan(t)) for t in y_true):
        raise ValueError("y_true contains missing labels; remove those items before evaluating.")
    return y_true, y_pred


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (better than the normal approximation near 0 or 1)."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}.")
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be between 0 and n={n}, got {successes!r}.")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}.")
    from scipy.stats import norm

    z = norm.ppf(0.5 + confidence / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def evaluate(y_true: Sequence, y_pred: Sequence, labels: Sequence | None = None) -> dict:
    """Accuracy (with 95% Wilson CI) and macro-F1, counting ``None`` predictions as errors.

    Also reports the number of unparsed answers, accuracy on the parsed subset, and two baselines:
    the majority-class rate and uniform chance (1 / number of labels).
    """
    from sklearn.metrics import f1_score

    y_true, y_pred = _check_pair(y_true, y_pred)
    labels = list(labels) if labels is not None else sorted(set(y_true))
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
    filled = [p if p is not None else UNPARSED for p in y_pred]
    macro_f1 = f1_score(y_true, filled, labels=labels, average="macro", zero_division=0)
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
    }


def confusion_table(y_true: Sequence, y_pred: Sequence, labels: Sequence) -> pd.DataFrame:
    """Counts with true labels as rows and predictions as columns (plus an '(unparsed)' column)."""
    y_true, y_pred = _check_pair(y_true, y_pred)
    labels = list(labels)
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
    if not rows:
        raise ValueError("results_table() needs at least one {name: evaluate(...)} entry.")
    cols = ["n", "accuracy", "ci_low", "ci_high", "macro_f1", "unparsed", "accuracy_parsed", "majority_baseline"]
    return pd.DataFrame(rows).T[cols].astype(float).round(3).astype({"n": int, "unparsed": int})
