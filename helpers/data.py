"""Loaders for the course data in ``data/`` (see ``data/README.md`` for sources and licenses).

Every loader checks the file's sha256 against ``data/SHA256SUMS``, then its columns, dtypes,
ids and labels, and its number of rows against the table in ``data/README.md`` (a file cut short
can pass a manifest that was rewritten with it), and raises a clear error if something is wrong:
``FileNotFoundError`` when a file is missing, ``ValueError`` for everything else. To restore the
files, re-clone the repository or run ``make data``. ``data_dir`` (default: the course's ``data/``)
must be an existing folder; a relative path is read from the current folder (a notebook's day_*
folder), so leave it out unless you keep a copy of the data elsewhere.

Example
-------
>>> from helpers.data import load_sotu, validate_frame
>>> sotu = load_sotu()                                   # doctest: +SKIP
>>> sotu.groupby(["split", "party"]).size()              # doctest: +SKIP
>>> validate_frame(my_df, ["text", "label"], text_columns=["text"])   # doctest: +SKIP
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from helpers._checks import is_int, mixes_types, type_clash, value_kinds
from helpers.env import data_dir as _default_data_dir

RESTORE = "Re-clone the repository or run `make data` to restore it."
MANIFEST = "SHA256SUMS"

PathLike = str | os.PathLike | None

# dtype kinds used in the schemas below: "int" -> int64, "Int64" -> nullable integer (empty
# cells are <NA>), "float" -> float64, "str" -> pandas string (missing = NaN).
_DTYPES = {"int": "int64", "Int64": "Int64", "float": "float64", "str": "str"}


# ---------------------------------------------------------------------------------------------
# General validation (also for students' own data)
# ---------------------------------------------------------------------------------------------

def validate_frame(
    df: pd.DataFrame,
    required_columns: Iterable[str],
    *,
    id_column: str | None = None,
    text_columns: Iterable[str] = (),
    allowed_values: Mapping[str, set] | None = None,
    numeric_columns: Iterable[str] = (),
    min_rows: int = 1,
    name: str = "data",
) -> pd.DataFrame:
    """Check a DataFrame before using it; return it unchanged or raise ``ValueError``.

    Checks, in order: it is a DataFrame; it has ``required_columns``; it has at least
    ``min_rows`` rows; ``id_column`` has no missing or duplicate values; ``text_columns`` hold
    non-empty strings; ``numeric_columns`` are numeric; the columns in ``allowed_values`` hold
    only the listed values (missing values are allowed). The message says what to fix.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": [1, 2], "text": ["a", "b"], "label": ["pos", "neg"]})
    >>> validate_frame(df, ["id", "text", "label"], id_column="id", text_columns=["text"],
    ...                allowed_values={"label": {"pos", "neg"}}).shape
    (2, 3)
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name}: expected a pandas DataFrame as df, got {type(df).__name__}. "
                         "Load your file with pd.read_csv(...) first.")
    required = _column_list(required_columns, "required_columns", name)
    text_columns = _column_list(text_columns, "text_columns", name)
    numeric_columns = _column_list(numeric_columns, "numeric_columns", name)
    if allowed_values is None:
        allowed_values = {}
    if not isinstance(allowed_values, Mapping):
        raise ValueError(f"{name}: allowed_values must be a dict {{column: set of values}}, got "
                         f"{type(allowed_values).__name__}.")
    for col, allowed in allowed_values.items():
        if isinstance(allowed, (str, bytes)) or not isinstance(allowed, Iterable):
            raise ValueError(f"{name}: allowed_values[{col!r}] must be a set of values such as {{'pos', 'neg'}}, "
                             f"got {allowed!r}.")
    if id_column is not None and isinstance(id_column, (list, tuple, set, dict, pd.Index)):
        raise ValueError(f"{name}: id_column must be one column name, got {id_column!r}.")
    if not is_int(min_rows) or min_rows < 0:
        raise ValueError(f"{name}: min_rows must be a non-negative integer, got {min_rows!r}.")
    named = set(required) | set(text_columns) | set(numeric_columns) | set(allowed_values)
    named |= {id_column} if id_column is not None else set()
    doubled = sorted({str(c) for c in df.columns[df.columns.duplicated()] if c in named})
    if doubled:
        raise ValueError(f"{name}: duplicate column name(s) {doubled}; rename or drop the copies.")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {missing}; found {list(df.columns)}. "
                         "Rename your columns (df.rename(columns={...})) or fix the file.")
    if len(df) < min_rows:
        raise ValueError(f"{name}: has {len(df)} rows, needs at least {min_rows}. "
                         "Check that the file is not empty and that filters kept some rows.")
    if id_column is not None:
        if id_column not in df.columns:
            raise ValueError(f"{name}: id column {id_column!r} not found in {list(df.columns)}.")
        ids = df[id_column]
        if ids.isna().any():
            raise ValueError(f"{name}: id column {id_column!r} has {int(ids.isna().sum())} "
                             "missing value(s); every row needs an id.")
        dup = ids[ids.duplicated()].unique().tolist()
        if dup:
            raise ValueError(f"{name}: id column {id_column!r} has duplicate ids, e.g. "
                             f"{dup[:5]}; ids must be unique (drop or renumber duplicates).")
    for col in text_columns:
        if col not in df.columns:
            raise ValueError(f"{name}: text column {col!r} not found in {list(df.columns)}.")
        values = df[col]
        bad = values.isna() | ~values.map(lambda v: isinstance(v, str))
        if bad.any():
            raise ValueError(f"{name}: text column {col!r} has {int(bad.sum())} missing or "
                             "non-text value(s); drop those rows or fill them with text.")
        empty = values.str.strip().eq("")
        if empty.any():
            raise ValueError(f"{name}: text column {col!r} has {int(empty.sum())} empty "
                             "string(s); drop those rows.")
    for col in numeric_columns:
        if col not in df.columns:
            raise ValueError(f"{name}: numeric column {col!r} not found in {list(df.columns)}.")
        if not pd.api.types.is_numeric_dtype(df[col]) or pd.api.types.is_bool_dtype(df[col]):
            raise ValueError(f"{name}: column {col!r} should be numeric but has dtype "
                             f"{df[col].dtype}; convert it with pd.to_numeric(df[{col!r}]).")
        infinite = np.isinf(df[col].to_numpy(dtype=float, na_value=np.nan))
        if infinite.any():
            raise ValueError(f"{name}: numeric column {col!r} has {int(infinite.sum())} infinite value(s); "
                             "replace them (e.g. with NaN) or drop those rows.")
    for col, allowed in (allowed_values or {}).items():
        if col not in df.columns:
            raise ValueError(f"{name}: column {col!r} not found in {list(df.columns)}.")
        values = df[col].dropna()
        unknown = sorted({str(v) for v in values[~values.isin(list(allowed))].unique()})
        if unknown:
            raise ValueError(f"{name}: column {col!r} has unknown value(s) {unknown[:10]}; "
                             f"allowed are {sorted(map(str, allowed))}. Recode or drop them."
                             + type_clash(values.unique(), allowed, f"column {col!r}", f"allowed_values[{col!r}]"))
    return df


def _column_list(columns, what: str, name: str) -> list:
    """Column names as a list; a single string would be read letter by letter, so it is refused."""
    if isinstance(columns, (str, bytes)):
        raise ValueError(f"{name}: {what} must be a list of column names, not a single string; "
                         f"write {what}=[{columns!r}].")
    if not isinstance(columns, Iterable):
        raise ValueError(f"{name}: {what} must be a list of column names, got {columns!r}.")
    return list(columns)


# ---------------------------------------------------------------------------------------------
# Samples
# ---------------------------------------------------------------------------------------------

def stratified_sample(df: pd.DataFrame, n: int | None, by: str = "party", seed: int = 42) -> pd.DataFrame:
    """A fixed random sample of ``n`` rows with the shares of ``by`` kept (``train_test_split``
    with ``stratify``), index reset. ``n=None`` (or ``n >= len(df)``) keeps every row, in order.

    Every Day 3 notebook draws its samples with this, so the same ``n`` and ``seed`` give the same
    paragraphs everywhere (3d evaluates on exactly 3a's test sample).

    >>> df = pd.DataFrame({"party": ["D", "R"] * 5, "x": range(10)})
    >>> stratified_sample(df, 4, seed=0)["party"].value_counts().sort_index().to_dict()
    {'D': 2, 'R': 2}
    """
    from sklearn.model_selection import train_test_split

    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame, got {type(df).__name__}; pass the table to sample from "
                         "(e.g. pd.DataFrame(records) or a loader's result).")
    if isinstance(by, (list, tuple, set, dict, pd.Index)):
        raise ValueError(f"by must be one column name, got {by!r}.")
    if by not in df.columns:
        raise ValueError(f"by={by!r}: that column to stratify by is not in the data; found {list(df.columns)}. "
                         "Pass one of these names.")
    if n is not None and (not is_int(n) or n < 1):
        raise ValueError(f"n must be a positive integer or None (all rows), got {n!r}.")
    if not is_int(seed) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}.")
    n = None if n is None else int(n)
    if n is None or n >= len(df):
        return df.reset_index(drop=True)
    if df[by].isna().any():
        raise ValueError(f"column {by!r} has {int(df[by].isna().sum())} missing value(s); drop those rows "
                         f"(df.dropna(subset=[{by!r}])) before sampling.")
    if mixes_types(df[by].unique()):
        raise ValueError(f"column {by!r} mixes types ({', '.join(value_kinds(df[by].unique()))}), so 1 and '1' "
                         f"would be different groups; give the column one type (e.g. df[{by!r}].astype(str)).")
    sizes = df[by].value_counts()
    groups = len(sizes)
    if n < groups:
        raise ValueError(f"n={n} is smaller than the number of {by!r} groups ({groups}); "
                         "a stratified sample needs at least one row per group.")
    if len(df) - n < groups:
        raise ValueError(f"n={n} leaves {len(df) - n} of {len(df)} rows unsampled, fewer than the {groups} {by!r} "
                         f"groups, so the shares cannot be kept; use n <= {len(df) - groups} or n=None (all rows).")
    if (sizes < 2).any():
        raise ValueError(f"{by!r} group(s) {sizes[sizes < 2].index.tolist()[:5]} have only one row; a stratified "
                         "sample needs at least two per group. Drop or merge those groups, or use n=None.")
    return train_test_split(df, train_size=n, stratify=df[by], random_state=seed)[0].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Reading committed files safely
# ---------------------------------------------------------------------------------------------

def _folder(data_dir: PathLike) -> Path:
    """The data folder: the course's ``data/`` for ``None``; otherwise ``data_dir``, which must be an existing
    folder (a relative path is read from the current folder, which in a notebook is its day_* folder)."""
    if data_dir is None:
        return _default_data_dir()
    if not isinstance(data_dir, (str, os.PathLike)):
        raise ValueError(f"data_dir must be a folder path (str or Path), or None for the course's data/ folder; "
                         f"got {type(data_dir).__name__}.")
    folder = Path(data_dir).expanduser()
    where = (str(folder) if folder.is_absolute() else
             f"{folder.resolve()} (a relative path is read from the current folder, {Path.cwd()})")
    if folder.is_file():
        raise ValueError(f"data_dir must be a folder, but {where} is a file; pass the folder that holds the data "
                         f"files, data_dir={str(folder.resolve().parent)!r}, or leave data_dir out for the course's "
                         "data/ folder.")
    if not folder.is_dir():
        raise FileNotFoundError(f"data_dir={str(data_dir)!r} is {where}, which does not exist. Pass an existing "
                                "folder (an absolute path is safest), or leave data_dir out for the course's data/ "
                                "folder.")
    return folder


def _restore(folder: Path) -> str:
    """What to do about a missing file: the course's own folder is restored from git; another folder is the
    caller's copy, which ``make data`` does not write."""
    try:
        own = folder.resolve() == _default_data_dir().resolve()
    except FileNotFoundError:
        own = False
    if own:
        return RESTORE
    return (f"data_dir={str(folder)!r} must hold copies of the course's data files and their {MANIFEST}: copy them "
            "there, or leave data_dir out to read the course's data/ folder (if that one is damaged: re-clone the "
            "repository or run `make data`).")


def _manifest(folder: Path) -> dict[str, str]:
    path = folder / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing, so the data files cannot be checked. "
                                f"{_restore(folder)}")
    sums = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, _, fname = line.partition("  ")
            sums[fname.strip()] = digest.strip()
    return sums


def read_verified(filename: str, data_dir: PathLike = None) -> bytes:
    """Return the bytes of ``data/<filename>`` after checking its sha256 against the manifest."""
    if not isinstance(filename, str) or not filename or Path(filename).name != filename:
        raise ValueError(f"filename must be the name of a file in data/ (e.g. 'sotu_paragraphs.csv'), "
                         f"got {filename!r}.")
    folder = _folder(data_dir)
    path = folder / filename
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing. {_restore(folder)}")
    expected = _manifest(folder).get(filename)
    if expected is None:
        raise ValueError(f"{filename} is not listed in {folder / MANIFEST}. {RESTORE}")
    raw = path.read_bytes()
    actual = hashlib.sha256(raw).hexdigest()
    if actual != expected:
        raise ValueError(f"{path} is damaged or was changed: its sha256 is {actual[:12]}..., "
                         f"the manifest {MANIFEST} expects {expected[:12]}... "
                         f"({len(raw)} bytes on disk). {RESTORE}")
    return raw


def _decode(raw: bytes, filename: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"{filename} is not valid UTF-8 text (bad byte at offset {err.start}). "
                         f"{RESTORE}") from None


@functools.cache
def _documented_rows(readme: Path, mtime_ns: int = 0) -> dict[str, int]:
    """Rows per file from the table in data/README.md ("| `file` | 135 rows | ..."), the documented sizes
    (cached per version of the file: ``mtime_ns``)."""
    found = re.findall(r"^\| `([^`]+)` \| (\d+) (?:rows|paragraphs) \|", readme.read_text(encoding="utf-8"), re.M)
    return {name: int(n) for name, n in found}


def _check_rows(n: int, filename: str) -> None:
    """A file can pass its checksum and still be cut short: when the manifest was rewritten after it (e.g. by a
    build from an interrupted download). Compare with the row count that data/README.md documents."""
    try:
        readme = _default_data_dir() / "README.md"
        mtime_ns = readme.stat().st_mtime_ns
    except FileNotFoundError:
        return
    expected = _documented_rows(readme, mtime_ns).get(filename)
    if expected is not None and n != expected:
        raise ValueError(f"{filename} has {n} rows, expected {expected} (data/README.md), although its sha256 "
                         f"matches {MANIFEST}: the file and the manifest were changed together, e.g. by a build "
                         f"that was cut short. {RESTORE}")


def _read_csv(filename: str, schema: Mapping[str, str], data_dir: PathLike, **checks) -> pd.DataFrame:
    """Read a verified CSV, check columns and convert dtypes per ``schema`` (column -> kind), and its row count
    against data/README.md."""
    text = _decode(read_verified(filename, data_dir), filename)
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise ValueError(f"{filename} cannot be parsed as CSV ({err}). {RESTORE}") from None
    try:
        validate_frame(df, list(schema), name=filename)
        for col, kind in schema.items():
            df[col] = _convert(df[col], kind, filename)
        validate_frame(df, list(schema), name=filename, **checks)
    except ValueError as err:
        raise ValueError(f"{err} {RESTORE}") from None
    _check_rows(len(df), filename)
    return df


def _convert(values: pd.Series, kind: str, filename: str) -> pd.Series:
    if kind == "str":
        return values.astype("str").where(values.notna())
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() & values.notna()
    if bad.any():
        raise ValueError(f"{filename}: column {values.name!r} should be numeric ({kind}) but has "
                         f"value(s) like {values[bad].iloc[0]!r}.")
    if kind in ("int", "Int64"):
        if ((numbers.dropna() % 1) != 0).any():
            raise ValueError(f"{filename}: column {values.name!r} should hold integers.")
        if kind == "int" and numbers.isna().any():
            raise ValueError(f"{filename}: column {values.name!r} has missing values.")
    return numbers.astype(_DTYPES[kind])


def _check_range(df: pd.DataFrame, cols: Iterable[str], lo: int, hi: int, filename: str) -> None:
    for col in cols:
        v = df[col].dropna()
        if len(v) and (v.min() < lo or v.max() > hi):
            raise ValueError(f"{filename}: column {col!r} should lie in {lo}..{hi}, found "
                             f"{v.min()}..{v.max()}. {RESTORE}")


# ---------------------------------------------------------------------------------------------
# One loader per dataset
# ---------------------------------------------------------------------------------------------

B5_DOMAINS = {"Agree", "Consc", "Extra", "Neuro", "Open"}


def load_spi_items(data_dir: PathLike = None) -> pd.DataFrame:
    """SPI-135 item dictionary: 135 rows.

    Columns (dtype): ``item_id`` (str, e.g. ``"q_253"``), ``item`` (str, item text),
    ``item_scale`` (str: IPIP, or EPQ:E/EPQ:N/EPQ:P for the Eysenck items), ``B5`` (str:
    Agree/Consc/Extra/Neuro/Open, NaN for the 65 items that mark no domain), ``L27`` (str, one of 27 facets).

    >>> items = load_spi_items()          # doctest: +SKIP
    >>> items.groupby("L27").size().head()  # doctest: +SKIP
    """
    schema = {"item_id": "str", "item": "str", "item_scale": "str", "B5": "str", "L27": "str"}
    return _read_csv("spi_items.csv", schema, data_dir, id_column="item_id",
                     text_columns=["item", "L27"],
                     allowed_values={"item_scale": {"IPIP", "EPQ:E", "EPQ:N", "EPQ:P"},
                                     "B5": B5_DOMAINS})


def load_spi_keys(data_dir: PathLike = None) -> pd.DataFrame:
    """The published SPI scoring keys (psychTools ``spi.keys``): 205 rows, one per item of a scale.

    Columns: ``scale`` (str: the 5 Big Five domains, 14 items each, and the 27 facets of ``L27``, 5 items
    each), ``item_id`` (str), ``key`` (``int``: 1, or -1 for a reverse-keyed item). Score a scale by
    reversing its -1 items (on the 1-6 answer scale: 7 - answer) and averaging.

    >>> keys = load_spi_keys()                                   # doctest: +SKIP
    >>> keys.query("scale == 'Order'")                           # doctest: +SKIP
    """
    df = _read_csv("spi_keys.csv", {"scale": "str", "item_id": "str", "key": "int"}, data_dir,
                   text_columns=["scale", "item_id"], allowed_values={"key": {-1, 1}})
    if df.duplicated(["scale", "item_id"]).any():
        raise ValueError(f"spi_keys.csv lists an item twice in one scale. {RESTORE}")
    return df


def load_spi_responses(data_dir: PathLike = None) -> pd.DataFrame:
    """SPI-135 responses: 4000 respondents x (respondent_id, age, sex, education, 135 items).

    Dtypes: all ``Int64`` (nullable; ``<NA>`` = not answered). ``sex``: 1 = male, 2 = female;
    ``education``: 1..8 (see data/README.md); items ``q_*``: 1 (very inaccurate) .. 6 (very
    accurate). Item columns are in the order of :func:`load_spi_items`.

    >>> resp = load_spi_responses()                     # doctest: +SKIP
    >>> resp.filter(like="q_").corr().shape              # doctest: +SKIP
    (135, 135)
    """
    filename = "spi_responses.csv"
    header = _decode(read_verified(filename, data_dir), filename).split("\n", 1)[0].split(",")
    items = [c for c in header if c.startswith("q_")]
    if len(items) != 135:
        raise ValueError(f"{filename}: expected 135 item columns q_*, found {len(items)}. {RESTORE}")
    schema = {"respondent_id": "Int64", "age": "Int64", "sex": "Int64", "education": "Int64",
              **{c: "Int64" for c in items}}
    df = _read_csv(filename, schema, data_dir, id_column="respondent_id",
                   allowed_values={"sex": {1, 2}})
    _check_range(df, items, 1, 6, filename)
    _check_range(df, ["education"], 1, 8, filename)
    return df


def load_sotu(data_dir: PathLike = None) -> pd.DataFrame:
    """State of the Union paragraphs (1961-), labelled with the president's party.

    Columns (dtype): ``paragraph_id`` (int64), ``address_id`` (str, e.g. ``"1961-Kennedy"``),
    ``year`` (int64), ``president`` (str), ``party`` (str: Democratic/Republican), ``sotu_type``
    (str: spoken/written), ``paragraph_index`` (int64, position in the address),
    ``text`` (str), ``split`` (str: train/test; split by address, classes balanced per split).

    >>> sotu = load_sotu()                              # doctest: +SKIP
    >>> train = sotu[sotu.split == "train"]             # doctest: +SKIP
    """
    filename = "sotu_paragraphs.csv"
    schema = {"paragraph_id": "int", "address_id": "str", "year": "int", "president": "str",
              "party": "str", "sotu_type": "str", "paragraph_index": "int", "text": "str",
              "split": "str"}
    df = _read_csv(filename, schema, data_dir, id_column="paragraph_id",
                   text_columns=["text", "address_id", "president"],
                   allowed_values={"party": {"Democratic", "Republican"},
                                   "sotu_type": {"spoken", "written"},
                                   "split": {"train", "test"}})
    both = df.groupby("address_id")["split"].nunique()
    if (both > 1).any():
        raise ValueError(f"{filename}: address(es) {both[both > 1].index.tolist()[:5]} appear in "
                         f"both train and test. {RESTORE}")
    sizes = df.groupby(["split", "party"]).size().unstack(fill_value=0)
    if set(df["split"]) != {"train", "test"} or (sizes.nunique(axis=1) > 1).any():
        raise ValueError(f"{filename}: the split column has {sizes.to_dict('index')} paragraphs per split and party; "
                         "expected both 'train' and 'test', each with as many Democratic as Republican paragraphs "
                         f"(data/README.md). {RESTORE}")
    return df


GSS_COLUMNS = ["age", "sex", "educ", "degree", "race", "rincom16", "partyid", "polviews"]
NAT_ITEMS = ["natspac", "natenvir", "natheal", "natcity", "natcrime", "natdrug", "nateduc",
             "natrace", "natarms", "nataid", "natfare", "natroad", "natsoc", "natmass",
             "natpark", "natchld", "natsci", "natenrgy"]


def load_gss(data_dir: PathLike = None) -> pd.DataFrame:
    """GSS 2018 spending items (stevedata ``gss_spending``): 2348 respondents.

    All columns ``Int64`` (``<NA>`` = missing). ``sex`` 1 = female, 0 = male; ``educ`` years;
    ``degree`` 0-4; ``race`` 1 white, 2 black, 3 other; ``rincom16`` 1-26; ``partyid`` 0 strong
    Democrat .. 6 strong Republican, 7 other party; ``polviews`` 1 extremely liberal .. 7
    extremely conservative; ``nat*``: -1 too much, 0 about right, 1 too little spending.

    >>> gss = load_gss()                                 # doctest: +SKIP
    >>> gss["natenvir"].value_counts()                   # doctest: +SKIP
    """
    filename = "gss2018_spending.csv"
    schema = {"respondent_id": "int", **{c: "Int64" for c in GSS_COLUMNS + NAT_ITEMS}}
    allowed = {c: {-1, 0, 1} for c in NAT_ITEMS}
    allowed.update({"sex": {0, 1}, "degree": {0, 1, 2, 3, 4}, "race": {1, 2, 3},
                    "partyid": set(range(8)), "polviews": set(range(1, 8))})
    return _read_csv(filename, schema, data_dir, id_column="respondent_id",
                     allowed_values=allowed)


def load_article(data_dir: PathLike = None) -> dict:
    """The OHIP-NL article (BMC Oral Health 2008, CC BY 2.0) as a dict.

    Keys: ``title``, ``authors`` (list of str), ``year`` (int), ``journal``, ``doi``, ``license``,
    ``copyright``, ``source``, ``abstract`` (str; structured parts separated by blank lines)
    and ``sections``: a DataFrame with one row per paragraph in reading order, columns
    ``paragraph`` (int64, 0-based), ``section`` (str, heading or "Table N caption"),
    ``text`` (str).

    >>> art = load_article()                             # doctest: +SKIP
    >>> art["sections"].groupby("section", sort=False).size()   # doctest: +SKIP
    """
    filename = "ohip_nl_article.json"
    text = _decode(read_verified(filename, data_dir), filename)
    try:
        art = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"{filename} is not valid JSON ({err}). {RESTORE}") from None
    keys = {"title", "authors", "year", "journal", "doi", "license", "abstract", "sections"}
    if not isinstance(art, dict) or not keys <= set(art):
        missing = sorted(keys - set(art)) if isinstance(art, dict) else sorted(keys)
        raise ValueError(f"{filename}: missing key(s) {missing}. {RESTORE}")
    sections = pd.DataFrame(art["sections"])
    try:
        validate_frame(sections, ["section", "text"], text_columns=["text"], name=filename)
    except ValueError as err:
        raise ValueError(f"{err} {RESTORE}") from None
    _check_rows(len(sections), filename)
    sections.insert(0, "paragraph", range(len(sections)))
    sections = sections.astype({"section": "str", "text": "str"})
    return {**art, "sections": sections}


def article_pdf_path(data_dir: PathLike = None) -> Path:
    """Path of the PDF rendering of the OHIP-NL article (checked against the manifest).

    >>> from pypdf import PdfReader                      # doctest: +SKIP
    >>> PdfReader(article_pdf_path()).pages[0].extract_text()[:80]   # doctest: +SKIP
    """
    filename = "ohip_nl_article.pdf"
    raw = read_verified(filename, data_dir)
    if not raw.startswith(b"%PDF"):
        raise ValueError(f"{filename} is not a PDF file. {RESTORE}")
    return _folder(data_dir) / filename


def load_debate(data_dir: PathLike = None) -> pd.DataFrame:
    """First 2016 presidential debate (Clinton-Trump, moderator Holt) as speaker turns.

    Columns (dtype): ``turn_id`` (int64, in transcript order), ``debate`` (str), ``speaker``
    (str: HOLT, CLINTON, TRUMP), ``party`` (str: Democratic/Republican/Moderator), ``text``
    (str; consecutive statements of one speaker joined with newlines).

    >>> debate = load_debate()                           # doctest: +SKIP
    >>> debate.party.value_counts()                      # doctest: +SKIP
    """
    schema = {"turn_id": "int", "debate": "str", "speaker": "str", "party": "str", "text": "str"}
    return _read_csv("debate_2016.csv", schema, data_dir, id_column="turn_id",
                     text_columns=["text", "speaker"],
                     allowed_values={"party": {"Democratic", "Republican", "Moderator"}})


MFD_FOUNDATIONS = {"care", "fairness", "loyalty", "authority", "sanctity"}


def load_mfd(data_dir: PathLike = None) -> pd.DataFrame:
    """Moral Foundations Dictionary 2.0 (Frimer et al.): 2,103 terms, one row per term.

    Columns (dtype): ``term`` (str, lower case; a word or a phrase such as "civil rights"),
    ``foundation`` (str: care, fairness, loyalty, authority, sanctity), ``polarity`` (str: virtue or
    vice). A dictionary coder counts a text's matches per foundation.

    >>> mfd = load_mfd()                                 # doctest: +SKIP
    >>> mfd.foundation.value_counts()                    # doctest: +SKIP
    """
    schema = {"term": "str", "foundation": "str", "polarity": "str"}
    return _read_csv("mfd2.csv", schema, data_dir, text_columns=["term"],
                     allowed_values={"foundation": MFD_FOUNDATIONS, "polarity": {"virtue", "vice"}})


NUMERACY_FAMILIES = {"bat_ball", "machines", "exponential_growth", "bayes", "percentages"}


def load_word_senses(data_dir: PathLike = None) -> pd.DataFrame:
    """Day 2a's sentences: 10 ambiguous words (5 homonyms, 5 polysemous) x 2 senses x 5 sentences.

    Columns (all str): ``word``, ``kind`` (``homonym`` / ``polysemous``), ``sense``, ``sentence``. Every
    sentence contains its word and the control word *yesterday* once each.

    >>> senses = load_word_senses()                                # doctest: +SKIP
    >>> senses.groupby(["kind", "word"]).sense.nunique()           # doctest: +SKIP
    """
    df = _read_csv("word_senses.csv", {"word": "str", "kind": "str", "sense": "str", "sentence": "str"}, data_dir,
                   text_columns=["word", "sense", "sentence"], allowed_values={"kind": {"homonym", "polysemous"}})
    if not df["sentence"].is_unique:
        raise ValueError(f"word_senses.csv lists a sentence twice. {RESTORE}")
    return df


def load_numeracy(kind: str = "published", data_dir: PathLike = None) -> pd.DataFrame:
    """Numeracy items with correct answers.

    ``kind="published"``: the 4 Berlin Numeracy Test and 3 Cognitive Reflection Test items;
    columns ``item_id`` (str), ``test`` (str: BNT/CRT), ``question`` (str), ``answer`` (float64),
    ``unit`` (str), ``intuitive_wrong_answer`` (float64, NaN for BNT), ``citation`` (str).
    ``kind="generated"``: 60 generated problems; columns ``item_id``, ``family`` (str: bat_ball,
    machines, exponential_growth, bayes, percentages), ``question``, ``answer`` (float64, exact
    or rounded to 2 decimals), ``unit``.

    >>> gen = load_numeracy("generated")                 # doctest: +SKIP
    >>> gen.family.value_counts()                        # doctest: +SKIP
    """
    if kind == "published":
        schema = {"item_id": "str", "test": "str", "question": "str", "answer": "float",
                  "unit": "str", "intuitive_wrong_answer": "float", "citation": "str"}
        return _read_csv("numeracy_items.csv", schema, data_dir, id_column="item_id",
                         text_columns=["question", "citation"],
                         allowed_values={"test": {"BNT", "CRT"}})
    if kind == "generated":
        schema = {"item_id": "str", "family": "str", "question": "str", "answer": "float",
                  "unit": "str"}
        return _read_csv("numeracy_generated.csv", schema, data_dir, id_column="item_id",
                         text_columns=["question"], allowed_values={"family": NUMERACY_FAMILIES},
                         min_rows=40)
    raise ValueError(f"load_numeracy(kind={kind!r}): kind must be 'published' or 'generated'.")


__all__ = ["validate_frame", "read_verified", "load_spi_items", "load_spi_responses",
           "load_sotu", "load_gss", "load_article", "article_pdf_path", "load_debate",
           "load_numeracy", "stratified_sample"]


def load_rotten_tomatoes(data_dir: PathLike = None) -> pd.DataFrame:
    """Rotten Tomatoes review snippets with the critic's verdict (Pang & Lee): 4,863 rows, 156 films.

    Columns (dtype): ``snippet_id`` (int64), ``movie`` (str; about 31 snippets per film, so resample
    films for intervals), ``verdict`` (str: ``fresh`` = positive review, ``rotten`` = negative),
    ``text`` (str, one sentence or two).

    >>> reviews = load_rotten_tomatoes()                 # doctest: +SKIP
    >>> reviews.verdict.value_counts()                   # doctest: +SKIP
    """
    schema = {"snippet_id": "int", "movie": "str", "verdict": "str", "text": "str"}
    return _read_csv("rotten_tomatoes.csv", schema, data_dir, id_column="snippet_id",
                     text_columns=["text", "movie"], allowed_values={"verdict": {"fresh", "rotten"}})


BEPS_VOTES = {"Conservative", "Labour", "Liberal Democrat"}
BEPS_RANGES = {"economic_cond_national": (1, 5), "economic_cond_household": (1, 5), "blair": (1, 5),
               "hague": (1, 5), "kennedy": (1, 5), "europe": (1, 11), "political_knowledge": (0, 3)}


def load_beps(data_dir: PathLike = None) -> pd.DataFrame:
    """British Election Panel Study 1997-2001 (carData ``BEPS``): 1525 respondents, no missing value.

    A survey coded unlike the GSS (see data/README.md). Columns (dtype): ``respondent_id`` (int64,
    1..1525), ``vote`` (str: Conservative / Labour / Liberal Democrat), ``age`` (int64, years),
    ``gender`` (str: female / male), ``economic_cond_national`` and ``economic_cond_household``
    (int64, 1-5), ``blair``, ``hague``, ``kennedy`` (int64, assessment of the party leader, 1-5),
    ``europe`` (int64, 1-11, high = Eurosceptic), ``political_knowledge`` (int64, 0-3).

    >>> beps = load_beps()                                # doctest: +SKIP
    >>> beps.groupby("vote")["europe"].mean()             # doctest: +SKIP
    """
    filename = "beps.csv"
    schema = {"respondent_id": "int", "vote": "str", "age": "int", "gender": "str",
              **{c: "int" for c in BEPS_RANGES}}
    df = _read_csv(filename, schema, data_dir, id_column="respondent_id", min_rows=1000,
                   allowed_values={"vote": BEPS_VOTES, "gender": {"female", "male"}})
    for col, (lo, hi) in BEPS_RANGES.items():
        _check_range(df, [col], lo, hi, filename)
    _check_range(df, ["age"], 18, 120, filename)
    return df
