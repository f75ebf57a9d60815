"""How large an effect a design could have detected: the minimum detectable effect (MDE).

A null result ("at chance", "no clear difference") means little without it: with 12 presidents an AUC
of 0.7 may be invisible. :func:`minimum_detectable_effect` gives, for a design, the smallest effect
that a two-sided test at the 5% level (the course's "the 95% interval excludes chance") would detect
with 80% power. Print it next to every null.

Designs (``design=``):

* ``"proportion"`` — a share (accuracy) of ``n`` independent units against ``baseline`` (chance).
* ``"auc"`` — a ROC AUC against 0.5 with ``n = (n_positive, n_negative)`` independent units
  (Hanley & McNeil 1982 standard errors).
* ``"paired_proportion"`` — two methods right/wrong on the same ``n`` units; ``discordant`` is the
  share of units on which exactly one method is right (McNemar's design), or ``"gains only"`` when every
  discordant unit goes one way (a training step that fixes problems and breaks none): then the
  discordant share is the difference itself, and the power is that of the exact McNemar test.
* ``"mean_difference"`` — a mean (or a mean paired difference) of ``n`` units with standard deviation
  ``sd`` against 0 (t distribution).

Units are the independent units: presidents, not their paragraphs. With ``cluster_size`` rows per
unit and an intra-class correlation ``icc``, the rows count as ``n * cluster_size / design effect``
independent units (Kish's design effect ``1 + (cluster_size - 1) * icc``).

>>> r = minimum_detectable_effect("auc", (6, 7))
>>> round(r["detectable"], 2)
0.91
>>> print(r["sentence"])
with 6 + 7 units, an AUC below 0.91 cannot be told from 0.5 (80% power, two-sided 5% test).
"""

from __future__ import annotations

import math

from helpers._checks import is_finite_real, is_int, is_real

DESIGNS = ("proportion", "auc", "paired_proportion", "mean_difference")


def _z(p: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(p))


def _solve(gap, lo: float, hi: float) -> float:
    """The smallest x in [lo, hi] with gap(x) >= 0 (gap increasing), by bisection; nan if none."""
    if gap(hi) < 0:
        return float("nan")
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if gap(mid) >= 0 else (mid, hi)
    return hi


def _count(value, name: str, minimum: int) -> int:
    if not is_int(value) or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, got {value!r}.")
    return int(value)


def _share(value, name: str, low_open: bool = True) -> float:
    if not is_finite_real(value) or not (0 < value < 1 if low_open else 0 <= value <= 1):
        raise ValueError(f"{name} must be a number between 0 and 1, got {value!r}.")
    return float(value)


def minimum_detectable_effect(design: str, n, baseline: float | None = None, *, discordant: float | None = None,
                              sd: float | None = None, cluster_size: int = 1, icc: float = 0.0,
                              power: float = 0.8, confidence: float = 0.95, unit: str = "units") -> dict:
    """The smallest effect the design detects with ``power`` (two-sided test at ``1 - confidence``).

    Returns ``design``, ``n_effective`` (units after the design effect), ``effect`` (distance from the
    null: a share or an AUC minus its baseline, a difference), ``detectable`` (the value of the measure at
    that distance: the share or AUC itself; the difference for the paired designs) and a ``sentence``.
    ``effect`` is ``nan`` when no effect of this kind is detectable with so few units. ``unit`` names the units
    in the sentence (e.g. ``"presidents"``).
    """
    if not isinstance(unit, str) or not unit.strip():
        raise ValueError(f"unit must name the independent units, e.g. 'presidents' or 'questions', got {unit!r}.")
    if design not in DESIGNS:
        raise ValueError(f"design must be one of {list(DESIGNS)}, got {design!r}.")
    power = _share(power, "power")
    confidence = _share(confidence, "confidence")
    cluster_size = _count(cluster_size, "cluster_size", 1)
    if not is_finite_real(icc) or not 0 <= icc <= 1:
        raise ValueError(f"icc must be a number between 0 and 1 (0 = rows independent), got {icc!r}.")
    deff = 1 + (cluster_size - 1) * float(icc)
    z_a, z_b = _z(1 - (1 - confidence) / 2), _z(power)
    where = f"({power:.0%} power, two-sided {1 - confidence:.0%} test)"

    if design == "auc":
        if isinstance(n, (str, bytes, dict, set, frozenset)) or not hasattr(n, "__len__") or len(n) != 2:
            raise ValueError(f"for design='auc', n must be (n_positive, n_negative), got {n!r}.")
        n_pos = _count(n[0], "n_positive", 1) * cluster_size / deff
        n_neg = _count(n[1], "n_negative", 1) * cluster_size / deff
        if baseline not in (None, 0.5):
            raise ValueError(f"for design='auc' the baseline is 0.5 (no signal), got {baseline!r}.")

        def se(a: float) -> float:          # Hanley & McNeil (1982)
            q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
            return math.sqrt((a * (1 - a) + (n_pos - 1) * (q1 - a * a) + (n_neg - 1) * (q2 - a * a))
                             / (n_pos * n_neg))

        a = _solve(lambda a: (a - 0.5) - (z_a * se(0.5) + z_b * se(a)), 0.5, 1 - 1e-9)
        units = f"{n[0]} + {n[1]} {unit}"
        out = {"n_effective": n_pos + n_neg, "effect": a - 0.5, "detectable": a}
        sentence = (f"with {units}, no AUC can be told from 0.5 {where}." if math.isnan(a) else
                    f"with {units}, even an AUC near 1 can barely be told from 0.5 {where}." if a >= 0.995 else
                    f"with {units}, an AUC below {a:.2f} cannot be told from 0.5 {where}.")
    else:
        n = _count(n, "n", 2)
        n_eff = n * cluster_size / deff
        if design == "proportion":
            p0 = _share(0.5 if baseline is None else baseline, "baseline")

            def gap(p: float) -> float:
                return (p - p0) - (z_a * math.sqrt(p0 * (1 - p0)) + z_b * math.sqrt(p * (1 - p))) / math.sqrt(n_eff)

            p = _solve(gap, p0, 1 - 1e-9)
            out = {"n_effective": n_eff, "effect": p - p0, "detectable": p}
            sentence = (f"with {n} {unit}, a share below {p:.2f} cannot be told from {p0:g} {where}."
                        if not math.isnan(p) else f"with {n} {unit}, no share can be told from {p0:g} {where}.")
        elif design == "paired_proportion":
            if discordant is None:
                raise ValueError("design='paired_proportion' needs discordant=..., the share of units on which "
                                 "exactly one of the two methods is right (measure it, or assume e.g. 0.3), or "
                                 "'gains only' (every discordant unit goes one way).")
            if isinstance(discordant, str):
                if discordant != "gains only":
                    raise ValueError(f"discordant must be a number between 0 and 1 or 'gains only', "
                                     f"got {discordant!r}.")

                from scipy.stats import binom

                # every discordant unit is a gain, so the exact McNemar test rejects once the gains reach k
                # (two-sided p = 2 * 0.5**k); the power is the chance that Binomial(n, d) gains reach k
                k = math.floor(math.log2(2 / (1 - confidence)) + 1e-12) + 1     # p < 1 - confidence, strictly
                units = math.floor(n_eff + 1e-9)

                def gap(d: float) -> float:
                    return float(binom.sf(k - 1, units, d)) - power

                d = _solve(gap, 1e-9, 1.0)
                tail = ", even if none gets worse"
            else:
                psi = _share(discordant, "discordant")

                def gap(d: float) -> float:
                    return d - (z_a * math.sqrt(psi) + z_b * math.sqrt(max(psi - d * d, 0.0))) / math.sqrt(n_eff)

                d = _solve(gap, 0.0, psi)
                tail = ""
            out = {"n_effective": n_eff, "effect": d, "detectable": d}
            sentence = (f"with {n} {unit}, no difference can be told from 0 {where}." if math.isnan(d) else
                        f"with {n} {unit}, a difference in accuracy smaller than {d:.2f} cannot be told from 0{tail} "
                        f"{where}.")
        else:
            if sd is None or not is_real(sd) or not math.isfinite(sd) or sd <= 0:
                raise ValueError(f"design='mean_difference' needs sd=..., the standard deviation of the units' "
                                 f"values (a positive number), got {sd!r}.")
            from scipy.stats import t

            df = max(n_eff - 1, 1)
            d = (float(t.ppf(1 - (1 - confidence) / 2, df)) + float(t.ppf(power, df))) * float(sd) / math.sqrt(n_eff)
            out = {"n_effective": n_eff, "effect": d, "detectable": d}
            sentence = f"with {n} {unit}, a mean difference smaller than {d:.3g} cannot be told from 0 {where}."
    return {"design": design, **out, "power": power, "confidence": confidence, "sentence": sentence}
