"""Synthetic survey respondents: personas from survey demographics, and comparing distributions.

Used by Day 4b with the GSS 2018 spending items (see ``data/README.md`` for the coding). The model
calls stay in the notebook; this module only builds the persona text and compares answers.

The defaults are the GSS coding. For your own survey, say how it is coded: ``codebook=`` and
``templates=`` (the persona text of any column), ``codes=`` (the answer codes) and ``groups=`` (which
codes make which party or vote group). Codes outside what you declared raise ``ValueError``; they are
never used silently.

>>> import pandas as pd
>>> row = pd.DataFrame({"age": [34], "sex": [1], "race": [1], "degree": [3], "partyid": [1], "polviews": [2]})
>>> build_personas(row, ["age", "sex", "partyid"])[0]
'I am a 34-year-old woman. Politically, I am a not very strong Democrat.'
>>> total_variation([0.2, 0.3, 0.5], [0.5, 0.3, 0.2])
0.3

Another survey, with its own coding (here the British Election Panel Study, ``load_beps()``):

>>> beps = pd.DataFrame({"gender": ["female", "male"], "vote": ["Labour", "Conservative"], "europe": [3, 11]})
>>> build_personas(beps, codebook={"gender": {"female": "a woman", "male": "a man"},
...                                "vote": {"Labour": "Labour", "Conservative": "the Conservatives"}},
...                templates={"gender": "I am {}.", "vote": "I vote for {}."})
['I am a woman. I vote for Labour.', 'I am a man. I vote for the Conservatives.']
>>> partisan_gap(beps["europe"], beps["vote"], groups={"Labour": ["Labour"], "Conservative": ["Conservative"]},
...              codes=range(1, 12))
-8.0
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType

import numpy as np
import pandas as pd

from helpers._checks import align_rows, is_real, reject_string

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

#: GSS ``partyid`` grouped into parties (the default of ``party_group`` and ``partisan_gap``).
GSS_PARTY_GROUPS = MappingProxyType({"Democrat": (0, 1, 2), "Independent": (3,), "Republican": (4, 5, 6)})
#: GSS ``partyid`` codes that are valid answers but in no group: 7 = other party (-> NA).
GSS_NO_GROUP = (7,)
_GSS_COMPARE = ("Democrat", "Republican")


# ---------------------------------------------------------------------------------------------
# Matching codes: 1, 1.0 and numpy's 1 are one code; True, "1" and 1 are three different codes.
# ---------------------------------------------------------------------------------------------

def _code_key(value):
    if isinstance(value, (bool, np.bool_)):
        return ("bool", bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return ("number", float(value))
    if isinstance(value, str):
        return ("text", str(value))
    return ("other", value)


def _is_missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):           # a list or array is not a missing value
        return False


def _plain(value):
    """numpy scalars as Python scalars, so that messages show 9 rather than np.int64(9)."""
    return value.item() if isinstance(value, np.generic) else value


def _examples(values, limit: int = 5) -> list:
    """The distinct values (1 and 1.0 once), sorted within their kind, at most ``limit``."""
    seen = {}
    for v in values:
        try:
            seen.setdefault(_code_key(v), _plain(v))
        except TypeError:                     # unhashable
            seen.setdefault(("other", repr(v)), v)
    keys = sorted(seen, key=lambda k: (k[0], k[1] if k[0] in ("bool", "number", "text") else str(k[1])))
    return [seen[k] for k in keys[:limit]]


def _rows(index: pd.Index, limit: int = 5) -> list:
    return [_plain(v) for v in index[:limit]]


def _in_keys(value, keys: set) -> bool:
    try:
        return _code_key(value) in keys
    except TypeError:                         # unhashable: not a code
        return False


def _outside(values: pd.Series, allowed: Iterable) -> pd.Series:
    """True where a non-missing value is not one of ``allowed`` (by ``_code_key``)."""
    keys = {_code_key(a) for a in allowed}
    bad = [not _is_missing(v) and not _in_keys(v, keys) for v in values]
    return pd.Series(bad, index=values.index, dtype=bool)


def _code_list(codes, name: str, example: str) -> list:
    """Declared codes as a list: not one string, not empty, no missing value, no duplicate."""
    reject_string(codes, name, f"a list of codes, e.g. {example}")
    if isinstance(codes, Mapping) or not isinstance(codes, Iterable):
        raise ValueError(f"{name} must be a list of codes, e.g. {example}, got {codes!r:.80}.")
    codes = list(codes)
    if not codes:
        raise ValueError(f"{name} is empty; pass the possible codes, e.g. {example}.")
    if any(_is_missing(c) for c in codes):
        raise ValueError(f"{name} contains a missing value ({codes!r:.80}); missing answers are not a code "
                         "(they are left out), so list only real codes.")
    keys = [_code_key(c) for c in codes]
    doubled = _examples([c for c, k in zip(codes, keys) if keys.count(k) > 1])
    if doubled:
        raise ValueError(f"{name} has duplicates {doubled}; list each code once.")
    return codes


# ---------------------------------------------------------------------------------------------
# Personas
# ---------------------------------------------------------------------------------------------

_GSS_HINT = "Rename your columns to the GSS names (age, sex, race, degree, partyid, polviews)."
_CODEBOOK_HINT = "Check the column names in codebook (and attributes) against your data."


def _check_frame(df, columns: Sequence[str], name: str = "df", hint: str = _GSS_HINT) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(df).__name__}.")
    if len(df) == 0:
        raise ValueError(f"{name} is empty; check the filters that selected the respondents.")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {missing}; found {list(df.columns)}. {hint}")


def _check_missing(values: pd.Series, col) -> None:
    na = values.isna()
    if na.any():
        raise ValueError(f"Column {col!r} has {int(na.sum())} missing values (row(s) {_rows(values.index[na])}); "
                         f"drop those respondents (df.dropna(subset=[{col!r}])) first.")


def _attribute_list(attributes, allowed: Sequence, hint: str) -> list:
    reject_string(attributes, "attributes", "a list of attribute names")
    attributes = list(attributes)
    if not attributes:
        raise ValueError("attributes is empty; name at least one of " + ", ".join(map(str, allowed)))
    doubled = sorted({str(a) for a in attributes if attributes.count(a) > 1})
    if doubled:
        raise ValueError(f"attributes has duplicates {doubled}; list each attribute once.")
    unknown = [a for a in attributes if a not in allowed]
    if unknown:
        raise ValueError(f"Unknown attribute(s) {unknown}; choose from {list(allowed)}{hint}.")
    return attributes


def build_personas(df: pd.DataFrame, attributes: Sequence[str] | None = None, *,
                   codebook: Mapping[str, Mapping | Callable] | None = None,
                   templates: Mapping[str, str] | None = None) -> list[str]:
    """One first-person persona sentence block per row, mentioning only ``attributes``.

    Without ``codebook`` (the default) the columns are the GSS ones and follow ``load_gss()``:
    sex 0 man / 1 woman; race 1-3; degree 0-4; partyid 0-7; polviews 1-7; age in years
    (``attributes`` defaults to all six, in that order).

    Your own survey: ``codebook`` maps each column to either ``{code: phrase}`` (every code the
    column holds must be a key) or a function ``value -> phrase`` (e.g. ``lambda age: f"{age:.0f}"``);
    ``templates`` maps a column to its sentence, with ``{}`` where the phrase goes (e.g.
    ``{"vote": "In the last election I voted for {}."}``); a column without a template uses its phrase
    as the whole sentence. ``attributes`` then defaults to the codebook's columns, in its order, and
    may name only those. The sentences are joined with spaces in the order of ``attributes``.

    Missing values or unknown codes raise ``ValueError`` naming the column, the row(s) (index labels)
    and the code(s): drop or recode those respondents first. A code matches by value, so 1 and 1.0 are
    the same code, while ``True``, ``"1"`` and ``1`` are three different ones.
    """
    if codebook is not None:
        return _codebook_personas(df, attributes, codebook, templates)
    if templates is not None:
        raise ValueError("templates needs codebook: give the phrases of each column with codebook= "
                         "(the GSS default has its own fixed sentences).")
    attributes = _attribute_list(ATTRIBUTES if attributes is None else attributes, ATTRIBUTES,
                                 " (or describe your own columns with codebook=)")
    _check_frame(df, attributes)
    for col in attributes:
        values = df[col]
        _check_missing(values, col)
        if col == "age":
            if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
                raise ValueError(f"Column 'age' must hold numbers (years), got dtype {values.dtype}; "
                                 "convert it with pd.to_numeric.")
            fractional = values.astype(float) % 1 != 0
            if fractional.any():
                raise ValueError(f"Column 'age' has non-whole ages {sorted(set(values[fractional].tolist()))[:5]} "
                                 f"(row(s) {_rows(values.index[fractional])}); "
                                 "the persona says whole years: round or floor them first.")
            bad = (values < 18) | (values > 120)
        else:
            bad = _outside(values, _CODES[col])
        if bad.any():
            raise ValueError(f"Column {col!r} has unknown code(s) {_examples(values[bad])} in row(s) "
                             f"{_rows(values.index[bad])}; "
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


def _check_codebook(codebook, templates) -> dict:
    """The sentence template of every codebook column ("{}" = the phrase alone)."""
    example = "{'vote': {'Labour': 'Labour', 'Conservative': 'the Conservatives'}}"
    if not isinstance(codebook, Mapping) or not codebook:
        raise ValueError(f"codebook must be a non-empty dict {{column: {{code: phrase}}}} (or {{column: function}}), "
                         f"e.g. {example}, got {codebook!r:.80}.")
    for col, spec in codebook.items():
        if callable(spec) and not isinstance(spec, Mapping):
            continue
        if not isinstance(spec, Mapping) or not spec:
            raise ValueError(f"codebook[{col!r}] must be a non-empty dict {{code: phrase}} or a function "
                             f"value -> phrase, got {spec!r:.80}.")
        if any(_is_missing(code) for code in spec):
            raise ValueError(f"codebook[{col!r}] has a missing value as a code; missing answers are refused "
                             "(drop those respondents), so list only real codes.")
        empty = [code for code, phrase in spec.items() if not isinstance(phrase, str) or not phrase.strip()]
        if empty:
            raise ValueError(f"codebook[{col!r}] must map each code to a phrase (non-empty text); code(s) "
                             f"{empty[:5]} map to {[spec[c] for c in empty[:5]]!r:.80}.")
    if templates is None:
        templates = {}
    if not isinstance(templates, Mapping):
        raise ValueError(f"templates must be a dict {{column: sentence with {{}}}}, e.g. "
                         f"{{'vote': 'I voted for {{}}.'}}, got {templates!r:.80}.")
    stray = [col for col in templates if col not in codebook]
    if stray:
        raise ValueError(f"templates names column(s) {stray} that codebook does not describe; "
                         f"codebook has {list(codebook)}.")
    for col, template in templates.items():
        if not isinstance(template, str) or template.count("{}") != 1:
            raise ValueError(f"templates[{col!r}] must be a sentence with one {{}} where the phrase goes, "
                             f"e.g. 'I voted for {{}}.', got {template!r:.80}.")
    return {col: templates.get(col, "{}") for col in codebook}


def _describe(values: pd.Series, col, spec) -> list[str]:
    """The phrase of every row of ``values`` under ``codebook[col]`` (a dict or a function)."""
    if isinstance(spec, Mapping):
        phrases = {_code_key(code): phrase for code, phrase in spec.items()}
        bad = _outside(values, spec)
        if bad.any():
            raise ValueError(f"Column {col!r} has unknown code(s) {_examples(values[bad])} in row(s) "
                             f"{_rows(values.index[bad])}; codebook[{col!r}] has the codes "
                             f"{[_plain(c) for c in spec][:20]}. Add them to the codebook or drop those respondents.")
        return [phrases[_code_key(v)] for v in values]
    out = []
    for label, value in values.items():
        try:
            phrase = spec(value)
        except Exception as err:  # the researcher's own function: say where it failed
            raise ValueError(f"Column {col!r}, row {_plain(label)!r}: codebook[{col!r}] could not describe the "
                             f"value {_plain(value)!r} ({type(err).__name__}: {err}).") from err
        if not isinstance(phrase, str) or not phrase.strip():
            raise ValueError(f"Column {col!r}, row {_plain(label)!r}: codebook[{col!r}] returned {phrase!r:.80} for "
                             f"the value {_plain(value)!r}; it must return a phrase (non-empty text).")
        out.append(phrase)
    return out


def _codebook_personas(df, attributes, codebook, templates) -> list[str]:
    sentences = _check_codebook(codebook, templates)
    attributes = _attribute_list(list(codebook) if attributes is None else attributes, list(codebook),
                                 " (the columns that codebook describes)")
    _check_frame(df, attributes, hint=_CODEBOOK_HINT)
    columns = []
    for col in attributes:
        values = df[col]
        _check_missing(values, col)
        template = sentences[col]
        columns.append([template.replace("{}", phrase) for phrase in _describe(values, col, codebook[col])])
    return [" ".join(parts) for parts in zip(*columns)]


# ---------------------------------------------------------------------------------------------
# Party (or vote) groups
# ---------------------------------------------------------------------------------------------

def _check_groups(groups, no_group) -> tuple[dict, list, dict, bool]:
    """(code key -> group label, codes in no group, {group: codes} for messages, whether the GSS default)."""
    gss = groups is None and no_group is None
    if groups is None:
        groups = GSS_PARTY_GROUPS
        no_group = GSS_NO_GROUP if no_group is None else no_group
    example = "{'Democrat': [0, 1, 2], 'Republican': [4, 5, 6]}"
    if not isinstance(groups, Mapping) or not groups:
        raise ValueError(f"groups must be a non-empty dict {{group: list of codes}}, e.g. {example}, "
                         f"got {groups!r:.80}.")
    table, shown = {}, {}
    for label, codes in groups.items():
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f"groups must be labelled with names (text), got the label {label!r}.")
        codes = _code_list(codes, f"groups[{label!r}]", f"[{label!r}] or [0, 1, 2]")
        for code in codes:
            key = _code_key(code)
            if key in table:
                raise ValueError(f"Code {_plain(code)!r} is in two groups ({table[key]!r} and {label!r}); "
                                 "each code may belong to one group only.")
            table[key] = label
        shown[label] = [_plain(c) for c in codes]
    if no_group is None:
        no_group = []
    else:
        reject_string(no_group, "no_group", "a list of codes", hint=f"wrap it in a list: [{no_group!r}]")
        if isinstance(no_group, Mapping) or not isinstance(no_group, Iterable):
            raise ValueError(f"no_group must be a list of codes (valid answers in no group), e.g. [7], "
                             f"got {no_group!r:.80}.")
        no_group = list(no_group)
        no_group = _code_list(no_group, "no_group", "[7]") if no_group else []
    for code in no_group:
        if _code_key(code) in table:
            raise ValueError(f"Code {_plain(code)!r} is both in group {table[_code_key(code)]!r} and in no_group.")
    return table, [_plain(c) for c in no_group], shown, gss


def _group(partyid, groups, no_group, drop_unknown: bool) -> tuple[pd.Series, dict]:
    """Group label per respondent (NA: missing, in no group, or dropped) and the dropped codes' counts."""
    table, no_group, shown, gss = _check_groups(groups, no_group)
    if not isinstance(drop_unknown, (bool, np.bool_)):
        raise ValueError(f"drop_unknown must be True or False, got {drop_unknown!r}.")
    name = partyid.name if isinstance(partyid, pd.Series) and isinstance(partyid.name, str) else "partyid"
    s = pd.Series(partyid)
    no_keys = {_code_key(c) for c in no_group}
    keys = [None if _is_missing(v) else _code_key(v) for v in s]
    unknown = [k is not None and k not in table and k not in no_keys for k in keys]
    dropped = {}
    if any(unknown):
        values = s[unknown]
        counts = Counter(_code_key(v) for v in values)
        dropped = {value: counts[_code_key(value)] for value in _examples(values, limit=len(counts))}
        if not drop_unknown:
            if gss:
                allowed = "allowed 0-7 (the GSS partyid coding)"
            else:
                allowed = f"groups= covers {shown}" + (f", no_group= {no_group}" if no_group else "")
            hint = ""
            if any(isinstance(v, str) for v in values) and not any(k[0] == "text" for k in table):
                hint = (" The column holds text labels but the groups are numeric codes: map the labels with "
                        "groups=, e.g. groups={'Democrat': ['Democrat'], 'Republican': ['Republican']}.")
            elif gss:
                hint = " For another coding pass groups= (and no_group= for valid codes in no group)."
            raise ValueError(f"{name} has unknown code(s) {_examples(values)} ({sum(unknown)} respondent(s), "
                             f"row(s) {_rows(s.index[unknown])}); {allowed}.{hint} "
                             "Or pass drop_unknown=True to leave them out (they are counted and reported).")
    out = pd.Series(pd.NA, index=s.index, dtype="object")
    for label in dict.fromkeys(table.values()):
        out[[k is not None and table.get(k) == label for k in keys]] = label
    return out, dropped


def _report_dropped(dropped: dict, where: str) -> None:
    if dropped:
        warnings.warn(f"{where}: left out {sum(dropped.values())} respondent(s) whose code is in no group "
                      f"(drop_unknown=True): {dropped}.", UserWarning, stacklevel=3)


def party_group(partyid, groups: Mapping[str, Sequence] | None = None, *, no_group: Sequence | None = None,
                drop_unknown: bool = False) -> pd.Series:
    """Group label per respondent: by default Democrat (partyid 0-2), Independent (3), Republican (4-6);
    other party (7) and missing -> NA.

    Another coding: ``groups`` maps each group to its codes, e.g. ``{"Labour": ["Labour"], "Conservative":
    ["Conservative"]}`` or ``{"left": [1, 2], "right": [4, 5]}``; ``no_group`` lists codes that are valid
    answers but in no group (NA; default: none, or 7 with the GSS groups). Any other code raises
    ``ValueError`` (so a party column of text such as ``"Democrat"`` is refused by the GSS default),
    unless ``drop_unknown=True``: those respondents become NA, and a ``UserWarning`` reports how many of
    each code were left out (also in the result's ``attrs["dropped"]``).
    """
    out, dropped = _group(partyid, groups, no_group, drop_unknown)
    if dropped:
        out.attrs["dropped"] = dropped
        _report_dropped(dropped, "party_group")
    return out


# ---------------------------------------------------------------------------------------------
# Distributions and distances
# ---------------------------------------------------------------------------------------------

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
    """Share of each code among the non-missing ``values``, in the order of ``codes``.

    ``codes`` declares the answer codes (default: the GSS spending items, -1 too much, 0 about right,
    1 too little; e.g. ``range(1, 6)`` for a 1-5 scale). Any other value raises ``ValueError`` naming it:
    ``True``/``False`` and text such as ``"1"`` are not the numbers 1 and 0.
    """
    reject_string(codes, "codes", "a list of the answer codes, e.g. (-1, 0, 1)")
    reject_string(values, "values", "one answer per respondent (a list or Series)",
                  hint="pass a list or a column, e.g. df['natenvir']")
    codes = _code_list(codes, "codes", "codes=(-1, 0, 1)")
    if isinstance(values, pd.DataFrame):
        raise ValueError("values must be one column (one answer per respondent), got a DataFrame; "
                         "pick the column, e.g. df['natenvir'].")
    s = pd.Series(values).dropna()
    if s.empty:
        raise ValueError("No non-missing values; nothing to count.")
    bad = _outside(s, codes)
    if bad.any():
        raise ValueError(f"Values {_examples(s[bad])} are not among the codes {[_plain(c) for c in codes]} "
                         f"({int(bad.sum())} of {len(s)} non-missing answers, row(s) {_rows(s.index[bad])}); "
                         "recode or drop them, or declare them in codes=.")
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


# ---------------------------------------------------------------------------------------------
# Partisan gap and expected scores
# ---------------------------------------------------------------------------------------------

def _check_scores(scores) -> None:
    """Numbers or missing values only: no text (np.asarray would read "1" as 1.0), no True/False."""
    if isinstance(scores, pd.DataFrame):
        raise ValueError("scores must be one column (one number per respondent), got a DataFrame; "
                         "pick the column, e.g. df['natenvir'].")
    dtype = getattr(scores, "dtype", None)
    if isinstance(scores, (np.ndarray, pd.Series)) and pd.api.types.is_numeric_dtype(dtype) \
            and not pd.api.types.is_bool_dtype(dtype):
        return
    flat = list(np.ravel(np.asarray(scores, dtype=object)))
    bad = [v for v in flat if not _is_missing(v) and not is_real(v)]
    if bad:
        raise ValueError(f"scores must be numbers, one per respondent; found {_examples(bad)} "
                         "(True/False and text are not scores: convert them first).")


def _compare(groups, compare) -> tuple[str, str]:
    if groups is None:
        labels = list(GSS_PARTY_GROUPS)
        if compare is None:
            return _GSS_COMPARE
    else:
        labels = list(groups) if isinstance(groups, Mapping) else []
        if compare is None:
            if len(labels) != 2:
                raise ValueError(f"groups has {len(labels)} groups ({labels}); say which two to compare: "
                                 "compare=(first, second) gives mean(first) - mean(second).")
            return labels[0], labels[1]
    reject_string(compare, "compare", "two group names", hint="e.g. compare=('Labour', 'Conservative')")
    compare = list(compare) if isinstance(compare, Iterable) else [compare]
    if len(compare) != 2 or compare[0] == compare[1] or any(c not in labels for c in compare):
        raise ValueError(f"compare must name two different groups of {labels}, e.g. compare=({labels[0]!r}, "
                         f"{labels[-1]!r}), got {compare!r:.80}.")
    return compare[0], compare[1]


def partisan_gap(scores, partyid, groups: Mapping[str, Sequence] | None = None, *,
                 compare: Sequence[str] | None = None, no_group: Sequence | None = None,
                 drop_unknown: bool = False, codes: Sequence | None = None) -> float:
    """Mean score of Democrats (partyid 0-2) minus mean score of Republicans (4-6).

    ``scores`` are per-respondent numbers: real answers (-1/0/1) or a model's expected answer
    (Σ code · probability); missing scores are left out. Both groups need at least one respondent.

    Another coding: ``groups`` (and ``no_group``, ``drop_unknown``) as in :func:`party_group`;
    ``compare=(first, second)`` names the two groups, the result is mean(first) - mean(second)
    (default: the GSS Democrat minus Republican, or the two groups when ``groups`` has two).
    ``codes`` declares the answer codes of real answers (e.g. ``(-1, 0, 1)``): a score outside
    them raises ``ValueError``; leave it out for expected scores, which lie between the codes.
    """
    reject_string(scores, "scores", "one number per respondent", "pass a list or a column of numbers")
    _check_groups(groups, no_group)
    first, second = _compare(groups, compare)
    partyid = align_rows(scores, partyid, "scores", "partyid")
    _check_scores(scores)
    try:
        scores = pd.Series(np.asarray(scores, dtype=float))
    except (TypeError, ValueError):
        raise ValueError(f"scores must be numbers, one per respondent, got values such as "
                         f"{list(scores)[:3]}.") from None
    if np.isinf(scores).any():
        raise ValueError(f"scores has {int(np.isinf(scores).sum())} infinite value(s) (row(s) "
                         f"{_rows(scores.index[np.isinf(scores)])}); a mean with them means nothing: fix or drop them.")
    if codes is not None:
        codes = _code_list(codes, "codes", "codes=(-1, 0, 1)")
        if not all(is_real(c) and math.isfinite(c) for c in codes):
            raise ValueError(f"codes must be numbers, e.g. (-1, 0, 1), got {codes!r:.80}.")
        bad = _outside(scores, codes)
        if bad.any():
            raise ValueError(f"scores has value(s) {_examples(scores[bad])} that are not among the codes "
                             f"{[_plain(c) for c in codes]} (row(s) {_rows(scores.index[bad])}); recode or drop them, "
                             "or leave codes out for expected scores.")
    name = partyid.name if isinstance(partyid, pd.Series) and isinstance(partyid.name, str) else None
    party = pd.Series(np.asarray(partyid, dtype=object), name=name)
    grouped, dropped = _group(party, groups, no_group, drop_unknown)
    if len(scores) != len(grouped):
        raise ValueError(f"scores has {len(scores)} entries but partyid has {len(grouped)}.")
    _report_dropped(dropped, "partisan_gap")
    grouped.index = scores.index
    dem, rep = scores[grouped == first].dropna(), scores[grouped == second].dropna()
    if dem.empty or rep.empty:
        if groups is None and compare is None:
            raise ValueError("Need at least one Democrat (partyid 0-2) and one Republican (4-6) with a score.")
        raise ValueError(f"Need at least one {first!r} and one {second!r} respondent with a score; "
                         f"found {len(dem)} and {len(rep)}.")
    return float(dem.mean() - rep.mean())


def expected_scores(probs: pd.DataFrame, codes: dict) -> np.ndarray:
    """Σ code · P(option) per row; ``codes`` maps each column (option label) to its numeric code.

    Every option column needs a code and every code a column; codes must be numbers (not text such
    as ``"1"``, not ``True``/``False``), probabilities numbers summing to 1 per row.
    """
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
    not_numbers = {option: code for option, code in codes.items() if not is_real(code)}
    if not_numbers:
        raise ValueError(f"codes must map each option to a number, got {not_numbers!r} (text and True/False "
                         "are not codes: write e.g. {'Too little': 1}).")
    values = np.array(list(codes.values()), dtype=float)
    if not np.all(np.isfinite(values)):
        raise ValueError(f"codes must map each option to a finite number, got {codes!r}.")
    text = [c for c in codes if not pd.api.types.is_numeric_dtype(probs[c]) or pd.api.types.is_bool_dtype(probs[c])]
    if text:
        raise ValueError(f"probs must hold numbers (probabilities); column(s) {text} have dtype "
                         f"{[str(probs[c].dtype) for c in text]}.")
    try:
        p = probs[list(codes)].to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise ValueError("probs must hold numbers (probabilities).") from None
    if not np.all(np.isfinite(p)) or (p < 0).any() or not np.allclose(p.sum(axis=1), 1, atol=1e-6):
        raise ValueError("probs must be probabilities: non-negative, summing to 1 per row over the options "
                         "(use score_labels with normalize=True, not log-probabilities).")
    return p @ values


__all__ = ["ATTRIBUTES", "PERSONA_VARIANTS", "GSS_PARTY_GROUPS", "GSS_NO_GROUP", "build_personas", "party_group",
           "distribution", "total_variation", "wasserstein_ordinal", "partisan_gap", "expected_scores"]
