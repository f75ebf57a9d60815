"""Argument checks shared by the helper modules (private: not part of the course's API).

Each helper raises its own message; these functions only hold the rules that several modules apply
the same way, so that, for example, "a pandas index counts as labels" means the same thing everywhere.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def is_int(value) -> bool:
    """A Python or NumPy integer (``True``/``False`` are not numbers here)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def is_real(value) -> bool:
    """A Python or NumPy real number (not a bool, not a string)."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def is_finite_real(value) -> bool:
    return is_real(value) and math.isfinite(float(value))


def value_kind(value) -> str:
    """``'str'``, ``'bool'``, ``'int'``, ``'float'`` or the type's name; NumPy scalars count as their Python kind."""
    if isinstance(value, str):
        return "str"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, np.integer)):
        return "int"
    if isinstance(value, (float, np.floating)):
        return "float"
    return type(value).__name__


def value_kinds(values) -> list[str]:
    """The sorted kinds (:func:`value_kind`) of the values that are not missing (None or NaN)."""
    return sorted({value_kind(v) for v in values if not (v is None or (is_real(v) and math.isnan(float(v))))})


def label_kinds(values) -> set[str]:
    """The kinds of label among the values, as they compare: integers and floats are both ``'number'``."""
    return {"number" if k in ("int", "float") else k for k in value_kinds(values)}


def mixes_types(values) -> bool:
    """True when the values mix kinds that compare as different labels: text and numbers (``1`` and ``"1"``),
    or bools and numbers (``True`` and ``1``, which Python counts as equal). Integers and floats are numbers both."""
    return len(label_kinds(values)) > 1


def type_clash(a, b, a_name: str, b_name: str) -> str:
    """A sentence for a message when two sets of labels differ only in type (``1`` vs ``"1"``), else ``""``."""
    a, b = list(a), list(b)
    as_text = {str(v): v for v in b}
    for v in a:
        w = as_text.get(str(v))
        if w is not None and value_kind(w) != value_kind(v):
            v, w = (x.item() if isinstance(x, np.generic) else x for x in (v, w))
            return (f" {a_name} holds {'/'.join(value_kinds(a))} values and {b_name} {'/'.join(value_kinds(b))} values "
                    f"that read the same as text (e.g. {v!r} and {w!r}): make the types match, e.g. with "
                    ".astype(str) or pd.to_numeric(...).")
    return ""


def reject_string(value, name: str, what: str = "a list", hint: str | None = None) -> None:
    """A single string where a list is expected would be read letter by letter: refuse it."""
    if isinstance(value, (str, bytes)):
        hint = hint or f"wrap it in a list: [{value!r}]"
        raise ValueError(f"{name} must be {what}, not a single string ({value!r}); {hint}.")


def index_labels(obj) -> pd.Index | None:
    """The row labels of a Series or DataFrame, or ``None`` when it has none that mean anything:
    plain lists and arrays, and pandas objects with the default index 0..n-1 (positions, not ids)."""
    if isinstance(obj, (pd.Series, pd.DataFrame)):
        idx = obj.index
        if not idx.equals(pd.RangeIndex(len(idx))):
            return idx
    return None


def align_rows(reference, other, ref_name: str, other_name: str):
    """``other`` in the row order of ``reference`` when both are pandas objects with labelled rows.

    Same labels in another order: ``other`` is reordered to match (pairing rows by position would pair
    different items). Different labels: ``ValueError``. Otherwise (a plain list or array, or a default
    0..n-1 index on either side) ``other`` is returned unchanged and rows are paired by position.
    """
    a, b = index_labels(reference), index_labels(other)
    if a is None or b is None or a.equals(b):
        return other
    if len(a) == len(b) and not a.has_duplicates and not b.has_duplicates and set(a) == set(b):
        return other.loc[a]
    only = [v for v in b if v not in set(a)][:3] or [v for v in a if v not in set(b)][:3]
    why = "duplicate labels" if a.has_duplicates or b.has_duplicates else f"e.g. {only} is in one only"
    raise ValueError(f"{ref_name} and {other_name} are pandas objects whose index labels differ ({why}), so their "
                     "rows cannot be matched. Select the same rows in both, or pass plain lists/arrays "
                     "(.to_numpy()) if they are already in the same order."
                     + type_clash(b, a, f"{other_name}.index", f"{ref_name}.index"))
