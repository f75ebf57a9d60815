"""Tests of the committed course data (data/) and its loaders (helpers/data.py).

Bad inputs are made on a copy of data/ in tmp_path; the real files are never modified.
The rebuild test is opt-in: ``pytest -m slow tests/test_data.py``.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers import data as D
from helpers.env import repo_root

ROOT = repo_root(Path(__file__).parent)
DATA = ROOT / "data"
FILES = ["beps.csv", "debate_2016.csv", "gss2018_spending.csv", "mfd2.csv", "numeracy_generated.csv",
         "rotten_tomatoes.csv", "numeracy_items.csv", "ohip_nl_article.json", "ohip_nl_article.pdf",
         "sotu_paragraphs.csv", "spi_items.csv", "spi_keys.csv", "spi_responses.csv", "word_senses.csv"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(folder: Path) -> dict[str, str]:
    out = {}
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ")
        out[name] = digest
    return out


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may damage."""
    dst = tmp_path / "data"
    dst.mkdir()
    for name in FILES + ["SHA256SUMS"]:
        shutil.copy2(DATA / name, dst / name)
    return dst


def damage(folder: Path, name: str, new_bytes: bytes, *, update_manifest: bool = True) -> None:
    """Replace a file; with update_manifest the checksum matches, so the schema check must fire."""
    (folder / name).write_bytes(new_bytes)
    if update_manifest:
        sums = manifest(folder)
        sums[name] = hashlib.sha256(new_bytes).hexdigest()
        (folder / "SHA256SUMS").write_text(
            "".join(f"{v}  {k}\n" for k, v in sorted(sums.items())), encoding="utf-8")


def rewrite_csv(folder: Path, name: str, edit) -> None:
    df = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
    df = edit(df)
    damage(folder, name, df.to_csv(index=False, lineterminator="\n").encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Checksums and schemas of the committed files
# ---------------------------------------------------------------------------------------------

def test_manifest_lists_every_file_sorted():
    lines = (DATA / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    names = [line.split("  ")[1] for line in lines]
    assert names == sorted(FILES)


@pytest.mark.parametrize("name", FILES)
def test_checksum(name):
    assert sha(DATA / name) == manifest(DATA)[name], f"{name} differs from data/SHA256SUMS"


@pytest.mark.parametrize("name", FILES)
def test_readme_quotes_checksum(name):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert name in readme and manifest(DATA)[name] in readme, f"update data/README.md for {name}"


def test_total_size_is_small():
    assert sum((DATA / n).stat().st_size for n in FILES) < 10 * 1024 * 1024


def test_spi_items_schema():
    df = D.load_spi_items()
    assert list(df.columns) == ["item_id", "item", "item_scale", "B5", "L27"]
    assert len(df) == 135 and df["item_id"].is_unique
    assert df["L27"].nunique() == 27 and (df.groupby("L27").size() == 5).all()
    assert df["B5"].notna().sum() == 70


def test_spi_keys_are_the_published_scales():
    keys = D.load_spi_keys()
    items = D.load_spi_items().set_index("item_id")
    assert len(keys) == 205 and keys["scale"].nunique() == 32 and set(keys["key"]) == {-1, 1}
    facet_rows = keys[keys["scale"].isin(items["L27"])]
    domain_rows = keys[~keys["scale"].isin(items["L27"])]
    # every item is keyed in exactly its own facet; the domains are the items' B5 column
    assert sorted(facet_rows["item_id"]) == sorted(items.index)
    assert (items.loc[facet_rows["item_id"], "L27"].to_numpy() == facet_rows["scale"].to_numpy()).all()
    assert set(domain_rows["scale"]) == D.B5_DOMAINS and (domain_rows.groupby("scale").size() == 14).all()
    assert (items.loc[domain_rows["item_id"], "B5"].to_numpy() == domain_rows["scale"].to_numpy()).all()
    # a known key from the psychTools help page: "Leave a mess in my room" is reverse-keyed in Order
    order = facet_rows[facet_rows["scale"] == "Order"].set_index("item_id")["key"]
    mess = items.index[items["item"].str.contains("mess", case=False)]
    assert len(mess) == 1 and order[mess[0]] == -1


def test_word_senses_design():
    df = D.load_word_senses()
    assert len(df) == 100 and df["word"].nunique() == 10
    assert df.groupby("kind")["word"].nunique().to_dict() == {"homonym": 5, "polysemous": 5}
    assert (df.groupby("word")["sense"].nunique() == 2).all()
    assert (df.groupby(["word", "sense"]).size() == 5).all()
    words = df["sentence"].str.lower().str.findall(r"[a-z']+")
    assert all(w.count(t) == 1 and w.count("yesterday") == 1 for w, t in zip(words, df["word"]))


def test_spi_responses_schema():
    df = D.load_spi_responses()
    items = D.load_spi_items()
    assert df.shape == (4000, 139)
    assert list(df.columns[:4]) == ["respondent_id", "age", "sex", "education"]
    assert list(df.columns[4:]) == items["item_id"].tolist()
    assert (df.dtypes == "Int64").all()
    assert df["respondent_id"].tolist() == list(range(1, 4001))
    q = df[items["item_id"]]
    assert q.min().min() == 1 and q.max().max() == 6
    assert int(q.isna().sum().sum()) == 0   # data/README.md says: no missing answers


def test_sotu_schema_split_and_balance():
    df = D.load_sotu()
    assert list(df.columns) == ["paragraph_id", "address_id", "year", "president", "party",
                                "sotu_type", "paragraph_index", "text", "split"]
    assert df["year"].min() >= 1961 and (df["text"].str.len() > 200).all()
    # no president (and so no address) on both sides of the split: the party is the president's
    assert (df.groupby("president")["split"].nunique() == 1).all()
    assert (df.groupby("address_id")["split"].nunique() == 1).all()
    train = set(df.loc[df.split == "train", "president"])
    test = set(df.loc[df.split == "test", "president"])
    assert not train & test
    # 13 presidents (the two Bushes are two), half of each party's (rounded down) in test
    assert len(train | test) == 13 and {"G. H. W. Bush", "G. W. Bush"} <= train | test and "Bush" not in train | test
    per_party = df.drop_duplicates("president").groupby(["party", "split"]).size().unstack()
    assert per_party.to_dict("index") == {"Democratic": {"test": 3, "train": 3}, "Republican": {"test": 3, "train": 4}}
    # every president has one party
    assert (df.groupby("president")["party"].nunique() == 1).all()
    counts = df.groupby(["split", "party"]).size().unstack()
    assert counts.shape == (2, 2)
    for split, row in counts.iterrows():
        assert abs(row["Democratic"] - row["Republican"]) <= 0.03 * row.max(), split


def test_gss_schema():
    df = D.load_gss()
    assert len(df) == 2348 and df["respondent_id"].is_unique
    assert list(df.columns[:9]) == ["respondent_id", "age", "sex", "educ", "degree", "race",
                                    "rincom16", "partyid", "polviews"]
    nat = [c for c in df.columns if c.startswith("nat")]
    assert len(nat) == 18
    assert set(df[nat].stack().dropna().unique()) == {-1, 0, 1}


def test_beps_schema():
    df = D.load_beps()
    assert df.shape == (1525, 11) and df["respondent_id"].tolist() == list(range(1, 1526))
    assert list(df.columns) == ["respondent_id", "vote", "age", "gender", "economic_cond_national",
                                "economic_cond_household", "blair", "hague", "kennedy", "europe",
                                "political_knowledge"]
    assert df["vote"].value_counts().to_dict() == {"Labour": 720, "Conservative": 462, "Liberal Democrat": 343}
    assert df["gender"].value_counts().to_dict() == {"female": 812, "male": 713}
    assert int(df.isna().sum().sum()) == 0 and df["age"].between(24, 93).all()
    assert df["europe"].min() == 1 and df["europe"].max() == 11
    means = df.groupby("vote")["europe"].mean().round(2).to_dict()   # data/README.md quotes these
    assert means == {"Conservative": 8.66, "Labour": 5.77, "Liberal Democrat": 6.15}


def test_beps_bad_vote_and_out_of_range_rating_are_refused(copy):
    rewrite_csv(copy, "beps.csv", lambda df: df.assign(vote=df["vote"].replace({"Labour": "Lab"})))
    with pytest.raises(ValueError, match=r"beps\.csv: column 'vote' has unknown value\(s\) \['Lab'\]"):
        D.load_beps(data_dir=copy)
    rewrite_csv(copy, "beps.csv", lambda df: df.assign(vote=df["vote"].replace({"Lab": "Labour"}),
                                                       europe=df["europe"].replace({"11": "12"})))
    with pytest.raises(ValueError, match=r"beps\.csv: column 'europe' should lie in 1\.\.11"):
        D.load_beps(data_dir=copy)


def test_article_schema():
    art = D.load_article()
    assert art["doi"] == "10.1186/1472-6831-8-11" and art["year"] == 2008
    assert art["license"].startswith("CC BY 2.0") and len(art["authors"]) == 4
    sec = art["sections"]
    assert list(sec.columns) == ["paragraph", "section", "text"] and len(sec) >= 30
    assert "119 patients" in art["abstract"]


def test_article_pdf_text_is_extractable():
    from pypdf import PdfReader

    reader = PdfReader(D.article_pdf_path())
    first = reader.pages[0].extract_text()
    assert "Oral Health Impact Profile" in first
    assert "CC BY 2.0" in first and "https://doi.org/10.1186/1472-6831-8-11" in first
    assert "rendered for teaching" in first
    full = " ".join(p.extract_text() for p in reader.pages)
    assert "Test-retest reliability" in full


def test_debate_schema():
    df = D.load_debate()
    assert list(df.columns) == ["turn_id", "debate", "speaker", "party", "text"]
    assert set(df["speaker"]) == {"HOLT", "CLINTON", "TRUMP"}
    assert df["turn_id"].tolist() == list(range(1, len(df) + 1))
    assert (df["speaker"] != df["speaker"].shift()).all()  # one row per turn


def test_mfd_schema():
    df = D.load_mfd()
    assert list(df.columns) == ["term", "foundation", "polarity"]
    assert len(df) == 2103 and not df.duplicated().any()
    assert set(df["foundation"]) == D.MFD_FOUNDATIONS and set(df["polarity"]) == {"virtue", "vice"}
    assert (df["term"] == df["term"].str.lower()).all()
    assert {"compassion", "cheating", "betray", "obey", "disgust"} <= set(df["term"])


def test_rotten_tomatoes_schema():
    df = D.load_rotten_tomatoes()
    assert list(df.columns) == ["snippet_id", "movie", "verdict", "text"]
    assert len(df) == 4863 and df["snippet_id"].tolist() == list(range(1, 4864))
    assert df["verdict"].value_counts().to_dict() == {"fresh": 2453, "rotten": 2410}
    assert df["movie"].nunique() == 156 and df["text"].is_unique
    assert (df["text"].str.len() > 0).all()


def test_mfd_bad_label_is_refused(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    rewrite_csv(copy, "mfd2.csv", lambda df: df.assign(foundation=df["foundation"].replace("care", "caring")))
    with pytest.raises(ValueError, match="mfd2.csv"):
        D.load_mfd(data_dir=copy)


def test_numeracy_published():
    df = D.load_numeracy("published")
    assert df["test"].value_counts().to_dict() == {"BNT": 4, "CRT": 3}
    answers = dict(zip(df["item_id"], df["answer"]))
    assert answers == {"BNT1": 25, "BNT2a": 30, "BNT2b": 20, "BNT3": 50,
                       "CRT1": 5, "CRT2": 5, "CRT3": 47}
    assert df.loc[df.test == "CRT", "intuitive_wrong_answer"].tolist() == [10, 100, 24]


def test_numeracy_generated():
    df = D.load_numeracy("generated")
    assert len(df) >= 40 and df["item_id"].is_unique and df["question"].is_unique
    assert df["family"].nunique() == 5
    bb = df[df.family == "bat_ball"].iloc[0]
    assert "cost" in bb["question"] and bb["answer"] > 0


def test_load_numeracy_bad_kind():
    with pytest.raises(ValueError, match="kind must be"):
        D.load_numeracy("nope")


# ---------------------------------------------------------------------------------------------
# Bad inputs: each gives a clear error (file name, what is wrong, how to restore)
# ---------------------------------------------------------------------------------------------

RESTORE = r"make data"


def test_missing_file(copy):
    (copy / "gss2018_spending.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"gss2018_spending\.csv is missing.*make data"):
        D.load_gss(data_dir=copy)


def test_missing_manifest(copy):
    (copy / "SHA256SUMS").unlink()
    with pytest.raises(FileNotFoundError, match="SHA256SUMS is missing"):
        D.load_sotu(data_dir=copy)


def test_truncated_file(copy):
    raw = (copy / "sotu_paragraphs.csv").read_bytes()
    damage(copy, "sotu_paragraphs.csv", raw[: len(raw) // 2], update_manifest=False)
    with pytest.raises(ValueError, match=r"sotu_paragraphs\.csv is damaged.*sha256.*make data"):
        D.load_sotu(data_dir=copy)


def test_renamed_column(copy):
    rewrite_csv(copy, "sotu_paragraphs.csv", lambda df: df.rename(columns={"party": "Party"}))
    with pytest.raises(ValueError, match=r"sotu_paragraphs\.csv: missing column\(s\) \['party'\]"):
        D.load_sotu(data_dir=copy)


def test_wrong_dtype(copy):
    def edit(df):
        df.loc[3, "age"] = "forty"
        return df
    rewrite_csv(copy, "gss2018_spending.csv", edit)
    with pytest.raises(ValueError, match=r"gss2018_spending\.csv: column 'age' should be numeric"):
        D.load_gss(data_dir=copy)


def test_empty_frame(copy):
    rewrite_csv(copy, "debate_2016.csv", lambda df: df.iloc[:0])
    with pytest.raises(ValueError, match=r"debate_2016\.csv: has 0 rows.*make data"):
        D.load_debate(data_dir=copy)


def test_duplicate_ids(copy):
    def edit(df):
        df.loc[1, "item_id"] = df.loc[0, "item_id"]
        return df
    rewrite_csv(copy, "spi_items.csv", edit)
    with pytest.raises(ValueError, match=r"spi_items\.csv: id column 'item_id' has duplicate"):
        D.load_spi_items(data_dir=copy)


def test_unknown_split_label(copy):
    def edit(df):
        df.loc[0, "split"] = "validation"
        return df
    rewrite_csv(copy, "sotu_paragraphs.csv", edit)
    with pytest.raises(ValueError, match=r"column 'split' has unknown value\(s\) \['validation'\]"):
        D.load_sotu(data_dir=copy)


def test_non_utf8_text(copy):
    raw = (copy / "numeracy_items.csv").read_bytes().replace(b"choir", b"ch\xf6ir", 1)
    damage(copy, "numeracy_items.csv", raw)
    with pytest.raises(ValueError, match=r"numeracy_items\.csv is not valid UTF-8"):
        D.load_numeracy("published", data_dir=copy)


def test_address_on_both_sides(copy):
    def edit(df):
        first = df["address_id"].iloc[0]
        idx = df.index[df["address_id"] == first][0]
        df.loc[idx, "split"] = "test" if df.loc[idx, "split"] == "train" else "train"
        return df
    rewrite_csv(copy, "sotu_paragraphs.csv", edit)
    with pytest.raises(ValueError, match="appear in both train and test"):
        D.load_sotu(data_dir=copy)


def test_out_of_range_item(copy):
    def edit(df):
        df.loc[0, "q_253"] = "9"
        return df
    rewrite_csv(copy, "spi_responses.csv", edit)
    with pytest.raises(ValueError, match=r"column 'q_253' should lie in 1\.\.6"):
        D.load_spi_responses(data_dir=copy)


def test_broken_json(copy):
    damage(copy, "ohip_nl_article.json", b'{"title": "x"')
    with pytest.raises(ValueError, match=r"ohip_nl_article\.json is not valid JSON"):
        D.load_article(data_dir=copy)


def test_not_a_pdf(copy):
    damage(copy, "ohip_nl_article.pdf", b"hello")
    with pytest.raises(ValueError, match="not a PDF"):
        D.article_pdf_path(data_dir=copy)


# ---------------------------------------------------------------------------------------------
# validate_frame on students' own data
# ---------------------------------------------------------------------------------------------

def _student_df():
    return pd.DataFrame({"id": [1, 2, 3], "text": ["a b", "c", "d"], "label": ["x", "y", "x"],
                         "score": [0.1, 0.5, 0.9]})


def test_validate_frame_ok():
    df = _student_df()
    assert D.validate_frame(df, ["id", "text"], id_column="id", text_columns=["text"],
                            allowed_values={"label": {"x", "y"}},
                            numeric_columns=["score"]) is df


@pytest.mark.parametrize("kwargs, edit, message", [
    ({}, lambda d: d.drop(columns="text"), r"missing column\(s\) \['text'\].*Rename"),
    ({"min_rows": 5}, None, "needs at least 5"),
    ({"id_column": "id"}, lambda d: d.assign(id=[1, 1, 2]), "duplicate ids"),
    ({"text_columns": ["text"]}, lambda d: d.assign(text=["a", None, "b"]), "missing or non-text"),
    ({"text_columns": ["text"]}, lambda d: d.assign(text=["a", " ", "b"]), "empty string"),
    ({"numeric_columns": ["score"]}, lambda d: d.assign(score=["1", "2", "x"]), "pd.to_numeric"),
    ({"allowed_values": {"label": {"x"}}}, None, r"unknown value\(s\) \['y'\]"),
])
def test_validate_frame_errors(kwargs, edit, message):
    df = _student_df()
    if edit is not None:
        df = edit(df)
    with pytest.raises(ValueError, match=message):
        D.validate_frame(df, ["id", "text"], name="my_data", **kwargs)


def test_validate_frame_not_a_frame():
    with pytest.raises(ValueError, match="expected a pandas DataFrame"):
        D.validate_frame([1, 2], ["a"])


# ---------------------------------------------------------------------------------------------
# Slow: full rebuild from the packages into a temp folder
# ---------------------------------------------------------------------------------------------

def test_builders_cover_every_file():
    sys.path.insert(0, str(DATA))
    try:
        from builders import OUTPUT_FILES, SOURCES
    finally:
        sys.path.remove(str(DATA))
    assert sorted(OUTPUT_FILES) == sorted(FILES) and len(set(OUTPUT_FILES)) == len(FILES)
    for name, module in SOURCES.items():
        assert module.OUTPUTS and callable(module.build), name


def test_rebuild_one_source_without_downloads(tmp_path):
    """``--only numeracy`` needs no package: same bytes, and no partial SHA256SUMS."""
    out = tmp_path / "rebuilt"
    res = subprocess.run([sys.executable, str(DATA / "build.py"), "--out", str(out), "--only", "numeracy",
                          "--scratch", str(tmp_path / "scratch")], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert sorted(p.name for p in out.iterdir()) == ["numeracy_generated.csv", "numeracy_items.csv"]
    for name in ["numeracy_generated.csv", "numeracy_items.csv"]:
        assert sha(out / name) == sha(DATA / name), f"{name} differs after a rebuild"
    assert "SHA256SUMS not written" in res.stdout


@pytest.mark.slow
def test_rebuild_is_byte_identical(tmp_path, request):
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("opt-in rebuild test: run with `pytest -m slow tests/test_data.py`")
    out = tmp_path / "rebuilt"
    res = subprocess.run([sys.executable, str(DATA / "build.py"), "--out", str(out),
                          "--scratch", str(tmp_path / "scratch")],
                         capture_output=True, text=True, timeout=1800)
    assert res.returncode == 0, res.stdout + res.stderr
    print(res.stdout)  # the build log ends with the seconds per builder (pytest -rP shows it)
    assert (out / "SHA256SUMS").read_text() == (DATA / "SHA256SUMS").read_text()
    for name in FILES:
        assert sha(out / name) == sha(DATA / name), f"{name} differs after a rebuild"


# ---------------------------------------------------------------- stratified_sample (shared by Day 3 and the bench)

def test_stratified_sample_keeps_shares_and_is_fixed_by_the_seed():
    sotu = D.load_sotu()
    test = sotu[sotu["split"] == "test"]
    a = D.stratified_sample(test, 100, seed=42)
    b = D.stratified_sample(test, 100, seed=42)
    assert len(a) == 100 and list(a.index) == list(range(100))
    assert a["party"].value_counts().to_dict() == {"Democratic": 50, "Republican": 50}
    assert a["paragraph_id"].tolist() == b["paragraph_id"].tolist()
    assert a["paragraph_id"].tolist() != D.stratified_sample(test, 100, seed=1)["paragraph_id"].tolist()
    assert set(a["paragraph_id"]) <= set(test["paragraph_id"])
    everything = D.stratified_sample(test, None)
    assert everything["paragraph_id"].tolist() == test["paragraph_id"].tolist()
    assert D.stratified_sample(test, len(test) + 5)["paragraph_id"].tolist() == test["paragraph_id"].tolist()


@pytest.mark.parametrize("kwargs, match", [
    ({"n": 0}, "positive integer"),
    ({"n": 2.5}, "positive integer"),
    ({"n": True}, "positive integer"),
    ({"n": 1}, "at least one row per group"),
    ({"n": 4, "by": "label"}, "not in the data"),
])
def test_stratified_sample_bad_inputs(kwargs, match):
    df = pd.DataFrame({"party": ["D", "R"] * 5, "text": list("abcdefghij")})
    with pytest.raises(ValueError, match=match):
        D.stratified_sample(df, **kwargs)
    with pytest.raises(ValueError, match="DataFrame"):
        D.stratified_sample(df.to_dict(), 4)
