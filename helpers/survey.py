"""Synthetic survey respondents: personas from survey demographics, and comparing distributions.

Used by Day 4b with the GSS 2018 spending items (see ``data/README.md`` for the coding). The model
calls stay in the notebook; this module only builds the persona text and compares answers.

>>> import pandas as pd
>>> row = pd.DataFrame({"age": [34], "sex": [1], "race": [1], "degree": [3], "partyid": [1], "polviews": [2]})
>>> build_personas(row, ["age", "sex", "partyid"])[0]
'I am a 34-year-old woman. Politically, I am a not very strong Democrat.'
>>> total_variation([0.2, 0.3, 0.5], [0.5, 0.3, 0.2])
0.3
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers._checks import align_rows, reject_string

#: Persona attributes and their GSS codes (GSS 2018 as prepared by stevedata).
SEX = {0: "man", 1: "woman"}
RACE = {1: "white", 2: "Black", 3: "of another race (neither white nor Black)"}
DEGREE = {0: "did not finish high school", 1: "have a high-school diploma",
          2: "have a junior-college degree", 3: "have a bachelor's degree", 4: "have a graduate degree"}
PARTYID = {0: "a strong Democrat", 1: "a not very strong Democrat", 2: "an independent who leans Democrat",
           3: "an independent", 4: "an independent who leans Republican", 5: "a not very strong Republican",
           6: "a strong Republican", 7: "a supporter of another party"}
POLVIEWS = {1: "extremely liberal", 2: "liberal", 3: "slightly liberal", 4: "moderate",
            5: "slightly conservative", 6: "conservative", 7: "extremely conservative"}
ATTRIBUTES = ("age", "sex", "race", "degree", "partyid", "polviews")
_CODES = {"sex": SEX, "race": RACE, "degree": DEGREE, "partyid": PARTYID, "polviews": POLVIEWS}

#: Persona variants used as ablations: which attributes the persona mentions.
PERSONA_VARIANTS = {
    "full": list(ATTRIBUTES),
    "demographics": ["age", "sex", "race", "degree"],
    "party": ["partyid", "polviews"],
}


def _check_frame(df, columns: Sequence[str], name: str = "df") -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(df).__name__}.")
    if len(df) == 0:
        raise ValueError(f"{name} is empty; check the filters that selected the respondents.")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {missing}; found {list(df.columns)}. "
                         "Rename your columns to the GSS names (age, sex, race, degree, partyid, polviews).")


def build_personas(df: pd.DataFrame, attributes: Sequence[str] = ATTRIBUTES) -> list[str]:
    """One first-person persona sentence block per row, mentioning only ``attributes``.

    Codes follow ``load_gss()``: sex 0 man / 1 woman; race 1-3; degree 0-4; partyid 0-7;
    polviews 1-7; age in years. Missing values or unknown codes raise ``ValueError`` (drop or
    recode those respondents first).
    """
    reject_string(attributes, "attributes", "a list of attribute names")
    attributes = list(attributes)
    if not attributes:
        raise ValueError("attributes is empty; name at least one of " + ", ".join(ATTRIBUTES))
    doubled = sorted({a for a in attributes if attributes.count(a) > 1})
    if doubled:
        raise ValueError(f"attributes has duplicates {doubled}; list each attribute once.")
    unknown = [a for a in attributes if a not in ATTRIBUTES]
    if unknown:
        raise ValueError(f"Unknown attribute(s) {unknown}; choose from {list(ATTRIBUTES)}.")
    _check_frame(df, attributes)
    for col in attributes:
        values = df[col]
        if values.isna().any():
            raise ValueError(f"Column {col!r} has {int(values.isna().sum())} missing values; "
                             "drop those respondents (df.dropna(subset=[...])) first.")
        if col == "age":
            if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
                raise ValueError(f"Column 'age' must hold numbers (years), got dtype {values.dtype}; "
                                 "convert it with pd.to_numeric.")
            fractional = values[values.astype(float) % 1 != 0]
            if len(fractional):
                raise ValueError(f"Column 'age' has non-whole ages {sorted(set(fractional.tolist()))[:5]}; "
                                 "the persona says whole years: round or floor them first.")
            bad = values[(values < 18) | (values > 120)]
        else:
            bad = values[~values.isin(list(_CODES[col]))]
        if len(bad):
            raise ValueError(f"Column {col!r} has unknown code(s) {sorted(set(bad.tolist()))[:5]}; "
                             f"allowed: {'18-120' if col == 'age' else sorted(_CODES[col])}.")
    personas = []
    for _, row in df[attributes].iterrows():
        parts = []
        has = set(attributes)
        if "age" in has and "sex" in has:
            parts.append(f"I am a {int(row['age'])}-year-old {SEX[int(row['sex'])]}.")
        elif "age" in has:
            parts.append(f"I am {int(row['age'])} years old.")
        elif "sex" in has:
            parts.append(f"I am a {SEX[int(row['sex'])]}.")
        if "race" in has:
            parts.append(f"I am {RACE[int(row['race'])]}.")
        if "degree" in has:
            parts.append(f"I {DEGREE[int(row['degree'])]}.")
        if "partyid" in has:
            parts.append(f"Politically, I am {PARTYID[int(row['partyid'])]}.")
        if "polviews" in has:
            parts.append(f"My political views are {POLVIEWS[int(row['polviews'])]}.")
        personas.append(" ".join(parts))
    return personas


def party_group(partyid) -> pd.Series:
    """Democrat (partyid 0-2), Independent (3), Republican (4-6); other party (7) and missing -> NA."""
    s = pd.Series(partyid)
    bad = s.dropna()[~s.dropna().isin(list(range(8)))]
    if len(bad):
        raise ValueError(f"partyid has unknown code(s) {sorted(set(bad.tolist()))[:5]}; allowed 0-7.")
    out = pd.Series(pd.NA, index=s.index, dtype="object")
    out[s.isin([0, 1, 2])] = "Democrat"
    out[s == 3] = "Independent"
    out[s.isin([4, 5, 6])] = "Republican"
    return out


def _check_probs(p, name: str) -> np.ndarray:
    reject_string(p, name, "a list of probabilities")
    try:
        arr = np.asarray(p, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers (probabilities), got {p!r:.80}.") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D list of probabilities.")
    if not np.all(np.isfinite(arr)) or (arr < 0).any():
        raise ValueError(f"{name} has negative or non-finite entries: {arr.tolist()}.")
    if not np.isclose(arr.sum(), 1.0, atol=1e-6):
        raise ValueError(f"{name} sums to {arr.sum():.4f}, not 1; normalise it (p / p.sum()).")
    return arr


def distribution(values, codes: Sequence = (-1, 0, 1)) -> pd.Series:
    """Share of each code among the non-missing ``values`` (codes not in ``codes`` raise)."""
    reject_string(codes, "codes", "a list of the answer codes, e.g. (-1, 0, 1)")
    reject_string(values, "values", "one answer per respondent (a list or Series)",
                  hint="pass a list or a column, e.g. df['natenvir']")
    codes = list(codes)
    if not codes:
        raise ValueError("codes is empty; pass the possible answer codes, e.g. codes=(-1, 0, 1).")
    doubled = sorted({str(c) for c in codes if codes.count(c) > 1})
    if doubled:
        raise ValueError(f"codes has duplicates {doubled}; list each code once (the shares would count twice).")
    s = pd.Series(values).dropna()
    if s.empty:
        raise ValueError("No non-missing values; nothing to count.")
    unknown = set(s.unique()) - set(codes)
    if unknown:
        raise ValueError(f"Values {sorted(unknown)[:5]} are not among the codes {list(codes)}.")
    return s.value_counts(normalize=True).reindex(list(codes), fill_value=0.0).astype(float)


def _align_codes(p, q):
    """``q`` in the code order of ``p`` when both are Series labelled with codes (index labels)."""
    if isinstance(p, pd.Series) and isinstance(q, pd.Series) and not p.index.equals(q.index):
        if len(p) != len(q) or set(p.index) != set(q.index) or p.index.has_duplicates:
            raise ValueError(f"p and q are labelled with different codes ({list(p.index)} vs {list(q.index)}); "
                             "put both over the same codes first (e.g. distribution(values, codes)).")
        return q.loc[p.index]
    return q


def total_variation(p, q) -> float:
    """Total variation distance ½·Σ|p − q| between two distributions over the same ordered codes (0..1).

    Two Series labelled with the codes are matched by label (the same codes in another order are reordered).
    """
    q = _align_codes(p, q)
    p, q = _check_probs(p, "p"), _check_probs(q, "q")
    if p.shape != q.shape:
        raise ValueError(f"p has {p.size} categories but q has {q.size}; align them first.")
    return float(round(0.5 * np.abs(p - q).sum(), 12))


def wasserstein_ordinal(p, q, codes: Sequence[float] | None = None) -> float:
    """Earth mover's distance between two distributions on ordered codes (default spacing 1).

    Two Series labelled with the codes are matched by label, in the order of ``p``.
    """
    q = _align_codes(p, q)
    p, q = _check_probs(p, "p"), _check_probs(q, "q")
    if p.shape != q.shape:
        raise ValueError(f"p has {p.size} categories but q has {q.size}; align them first.")
    try:
        x = np.arange(p.size, dtype=float) if codes is None else np.asarray(codes, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"codes must be numbers, one per category, got {codes!r}.") from None
    if x.shape != p.shape or not np.all(np.isfinite(x)) or np.any(np.diff(x) <= 0):
        raise ValueError(f"codes must be finite, increasing numbers, one per category, got {codes!r}.")
    cdf_gap = np.abs(np.cumsum(p) - np.cumsum(q))[:-1]
    return float(round((cdf_gap * np.diff(x)).sum(), 12))


def partisan_gap(scores, partyid) -> float:
    """Mean score of Democrats (partyid 0-2) minus mean score of Republicans (4-6).

    ``scores`` are per-respondent numbers: real answers (-1/0/1) or a model's expected answer
    (Σ code · probability). Both groups need at least one respondent.
    """
    reject_string(scores, "scores", "one number per respondent", "pass a list or a column of numbers")
    partyid = align_rows(scores, partyid, "scores", "partyid")
    try:
        scores = pd.Series(np.asarray(scores, dtype=float))
    except (TypeError, ValueError):
        raise ValueError(f"scores must be numbers, one per respondent, got values such as "
                         f"{list(scores)[:3]}.") from None
    groups = party_group(np.asarray(partyid, dtype=object))
    if len(scores) != len(groups):
        raise ValueError(f"scores has {len(scores)} entries but partyid has {len(groups)}.")
    groups.index = scores.index
    dem, rep = scores[groups == "Democrat"].dropna(), scores[groups == "Republican"].dropna()
    if dem.empty or rep.empty:
        raise ValueError("Need at least one Democrat (partyid 0-2) and one Republican (4-6) with a score.")
    return float(dem.mean() - rep.mean())


def expected_scores(probs: pd.DataFrame, codes: dict) -> np.ndarray:
    """Σ code · P(option) per row; ``codes`` maps each column (option label) to its numeric code."""
    if not isinstance(probs, pd.DataFrame) or probs.empty:
        raise ValueError("probs must be a non-empty DataFrame with one column per answer option.")
    if not isinstance(codes, dict) or not codes:
        raise ValueError(f"codes must be a non-empty dict {{option: code}}, e.g. {{'Too little': 1, 'About right': 0, "
                         f"'Too much': -1}}, got {codes!r}.")
    missing = [c for c in codes if c not in probs.columns]
    if missing:
        raise ValueError(f"probs lacks option column(s) {missing}; found {list(probs.columns)}.")
    uncoded = [c for c in probs.columns if c not in codes]
    if uncoded:
        raise ValueError(f"codes has no code for option column(s) {uncoded}; give every option a code "
                         "(or drop the column first).")
    try:
        values = np.array(list(codes.values()), dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"codes must map each option to a number, got {codes!r}.") from None
    if not np.all(np.isfinite(values)):
        raise ValueError(f"codes must map each option to a finite number, got {codes!r}.")
    try:
        p = probs[list(codes)].to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise ValueError("probs must hold numbers (probabilities).") from None
    if not np.all(np.isfinite(p)) or (p < 0).any() or not np.allclose(p.sum(axis=1), 1, atol=1e-6):
        raise ValueError("probs must be probabilities: non-negative, summing to 1 per row over the options "
                         "(use score_labels with normalize=True, not log-probabilities).")
    return p @ values


__all__ = ["ATTRIBUTES", "PERSONA_VARIANTS", "build_personas", "party_group", "distribution",
           "total_variation", "wasserstein_ordinal", "partisan_gap", "expected_scores"]
