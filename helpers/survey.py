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
    attributes = list(attributes)
    if not attributes:
        raise ValueError("attributes is empty; name at least one of " + ", ".join(ATTRIBUTES))
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
    arr = np.asarray(p, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D list of probabilities.")
    if not np.all(np.isfinite(arr)) or (arr < 0).any():
        raise ValueError(f"{name} has negative or non-finite entries: {arr.tolist()}.")
    if not np.isclose(arr.sum(), 1.0, atol=1e-6):
        raise ValueError(f"{name} sums to {arr.sum():.4f}, not 1; normalise it (p / p.sum()).")
    return arr


def distribution(values, codes: Sequence = (-1, 0, 1)) -> pd.Series:
    """Share of each code among the non-missing ``values`` (codes not in ``codes`` raise)."""
    s = pd.Series(values).dropna()
    if s.empty:
        raise ValueError("No non-missing values; nothing to count.")
    unknown = set(s.unique()) - set(codes)
    if unknown:
        raise ValueError(f"Values {sorted(unknown)[:5]} are not among the codes {list(codes)}.")
    return s.value_counts(normalize=True).reindex(list(codes), fill_value=0.0).astype(float)


def total_variation(p, q) -> float:
    """Total variation distance ½·Σ|p − q| between two distributions over the same ordered codes (0..1)."""
    p, q = _check_probs(p, "p"), _check_probs(q, "q")
    if p.shape != q.shape:
        raise ValueError(f"p has {p.size} categories but q has {q.size}; align them first.")
    return float(round(0.5 * np.abs(p - q).sum(), 12))


def wasserstein_ordinal(p, q, codes: Sequence[float] | None = None) -> float:
    """Earth mover's distance between two distributions on ordered codes (default spacing 1)."""
    p, q = _check_probs(p, "p"), _check_probs(q, "q")
    if p.shape != q.shape:
        raise ValueError(f"p has {p.size} categories but q has {q.size}; align them first.")
    x = np.arange(p.size, dtype=float) if codes is None else np.asarray(codes, dtype=float)
    if x.shape != p.shape or np.any(np.diff(x) <= 0):
        raise ValueError("codes must be increasing and one per category.")
    cdf_gap = np.abs(np.cumsum(p) - np.cumsum(q))[:-1]
    return float(round((cdf_gap * np.diff(x)).sum(), 12))


def partisan_gap(scores, partyid) -> float:
    """Mean score of Democrats (partyid 0-2) minus mean score of Republicans (4-6).

    ``scores`` are per-respondent numbers: real answers (-1/0/1) or a model's expected answer
    (Σ code · probability). Both groups need at least one respondent.
    """
    scores = pd.Series(np.asarray(scores, dtype=float))
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
    missing = [c for c in codes if c not in probs.columns]
    if missing:
        raise ValueError(f"probs lacks option column(s) {missing}; found {list(probs.columns)}.")
    return probs[list(codes)].to_numpy(dtype=float) @ np.array(list(codes.values()), dtype=float)


__all__ = ["ATTRIBUTES", "PERSONA_VARIANTS", "build_personas", "party_group", "distribution",
           "total_variation", "wasserstein_ordinal", "partisan_gap", "expected_scores"]
