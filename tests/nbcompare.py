"""Compare a notebook output with its reference: words exactly, numbers within float jitter.

The same code gives float results that differ in the last digits on different CPUs (and on
PyTorch's different vectorised kernel paths). This module decides whether two outputs say the
same thing:

* everything that is not a number — words, labels, punctuation, line breaks, HTML tags, the
  table's shape — must be identical, except the width of runs of spaces: a column of a text table
  is padded to its widest number, so ``-0.000`` for ``0.000`` shifts the spaces around it;
* the numbers must be as many, in the same places;
* an **integer** (no decimal point: a count, an index, a year) must be equal;
* a **decimal** number may differ by float jitter: at most ``RTOL`` (1e-4) relative to its size,
  or — when it is shown with at least two decimals — by one unit in the last displayed digit
  (``-14.505`` vs ``-14.504``: the true value sits on a rounding boundary).

Why these bounds: float32 carries about 7 significant digits, and the differences measured between
kernel paths (SmolLM2 logits up to 8e-5 on values of size 10-20, i.e. about 5e-6 relative) stay
well below 1e-4 after the averaging, exponentiation and rounding the notebooks do. One unit of a
displayed digit is the most a rounding boundary can move a correctly rounded number by such a
small jitter. A number shown with fewer than two decimals ("0.5") gets no one-unit allowance, so
a changed proportion on a small sample still fails.

>>> compare_text("loss -14.505, 12 items", "loss -14.504, 12 items").ok
True
>>> compare_text("accuracy 0.500 (12 items)", "accuracy 0.510 (12 items)").ok
False
>>> compare_text("Republican", "Democratic").ok
False
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

RTOL = 1e-4
#: a number that does not sit inside a word ("SmolLM2", "day_1", "3a" stay text)
NUMBER = re.compile(r"(?<![\w.])[-\u2212]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?!\w)")


@dataclass(frozen=True)
class Comparison:
    """Outcome of a comparison: ``ok``, whether it was ``exact``, the largest relative number
    difference seen, and for a mismatch a short ``reason``."""

    ok: bool
    exact: bool = False
    max_rel: float = 0.0
    reason: str = ""


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    for m in NUMBER.finditer(text):
        out.append(("text", text[pos:m.start()]))
        out.append(("number", m.group()))
        pos = m.end()
    out.append(("text", text[pos:]))
    return out


def _shape(token: str) -> tuple[float, bool, int, int]:
    """(value, is_integer, decimals shown, exponent)"""
    t = token.replace("\u2212", "-")
    mantissa, _, exp = t.lower().partition("e")
    decimals = len(mantissa.split(".", 1)[1]) if "." in mantissa else 0
    return float(t), "." not in mantissa and not exp, decimals, int(exp or 0)


def numbers_agree(ref: str, new: str, rtol: float = RTOL) -> tuple[bool, float]:
    """Whether two number tokens agree under the rules above; and their relative difference."""
    a, a_int, a_dec, a_exp = _shape(ref)
    b, b_int, b_dec, b_exp = _shape(new)
    diff, size = abs(a - b), max(abs(a), abs(b))
    rel = diff / size if size else 0.0
    if a_int and b_int:
        return a == b, rel
    if diff <= rtol * size:
        return True, rel
    decimals = min(a_dec, b_dec)
    unit = 10.0 ** (max(a_exp, b_exp) - decimals)
    return decimals >= 2 and diff <= unit * (1 + 1e-9), rel


_SPACES = re.compile(r"[ \t]+")


def _same_words(ref: str, new: str) -> bool:
    """Text segments agree when only the padding spaces differ (line breaks still count)."""
    return _SPACES.sub(" ", ref).strip(" ") == _SPACES.sub(" ", new).strip(" ")


def _context(text: str, width: int = 40) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= width else text[:width] + "..."


def compare_text(ref: str, new: str, rtol: float = RTOL) -> Comparison:
    """Compare two output strings (already sanitized)."""
    if ref == new:
        return Comparison(True, exact=True)
    rt, nt = _tokens(ref), _tokens(new)
    max_rel = 0.0
    for (kind_r, r), (kind_n, n) in zip(rt, nt):
        if kind_r != kind_n:
            return Comparison(False, reason=f"{_context(r)!r} became {_context(n)!r}")
        if kind_r == "text":
            if r != n and not _same_words(r, n):
                return Comparison(False, reason=f"text {_context(r)!r} became {_context(n)!r}")
            continue
        ok, rel = numbers_agree(r, n, rtol)
        if not ok:
            why = "integers must be equal" if "." not in r + n else "beyond float jitter"
            return Comparison(False, reason=f"number {r} became {n} ({why})")
        max_rel = max(max_rel, rel)
    if len(rt) != len(nt):
        return Comparison(False, reason=f"{abs(len(rt) - len(nt)) // 2} numbers more or fewer in one output")
    return Comparison(True, exact=False, max_rel=max_rel)


def compare_values(ref, new, rtol: float = RTOL, unit: float = 1e-4, where: str = "") -> Comparison:
    """Compare JSON-like data (dicts, lists, numbers, strings) with the same rules.

    Numbers are compared by value (``0`` and ``0.0`` are the same number); a decimal may differ by
    ``rtol`` relative or by ``unit`` absolute (the precision the value was recorded with).
    """
    if isinstance(ref, dict) and isinstance(new, dict):
        if set(ref) != set(new):
            return Comparison(False, reason=f"{where or 'dict'}: keys {sorted(set(ref) ^ set(new))} differ")
        parts = [compare_values(ref[k], new[k], rtol, unit, f"{where}.{k}") for k in ref]
    elif isinstance(ref, list) and isinstance(new, list):
        if len(ref) != len(new):
            return Comparison(False, reason=f"{where or 'list'}: {len(ref)} items became {len(new)}")
        parts = [compare_values(r, n, rtol, unit, f"{where}[{i}]") for i, (r, n) in enumerate(zip(ref, new))]
    elif isinstance(ref, bool) or isinstance(new, bool) or isinstance(ref, str) or isinstance(new, str) \
            or ref is None or new is None:
        same = ref == new and type(ref) is type(new)
        return Comparison(same, exact=same, reason="" if same else f"{where}: {ref!r} became {new!r}")
    elif isinstance(ref, (int, float)) and isinstance(new, (int, float)):
        if ref == new:
            return Comparison(True, exact=True)
        diff, size = abs(ref - new), max(abs(ref), abs(new))
        rel = diff / size if size else 0.0
        if isinstance(ref, int) and isinstance(new, int):
            return Comparison(False, reason=f"{where}: {ref} became {new}")
        ok = math.isfinite(diff) and (diff <= rtol * size or diff <= unit * (1 + 1e-9))
        return Comparison(ok, max_rel=rel, reason="" if ok else f"{where}: {ref} became {new} (beyond float jitter)")
    else:
        return Comparison(False, reason=f"{where}: {type(ref).__name__} became {type(new).__name__}")
    bad = [p for p in parts if not p.ok]
    if bad:
        return bad[0]
    return Comparison(True, exact=all(p.exact for p in parts), max_rel=max([p.max_rel for p in parts], default=0.0))


def compare(ref, new) -> Comparison:
    """Compare one output value (a string, or JSON data of a rich MIME type)."""
    if isinstance(ref, str) and isinstance(new, str):
        return compare_text(ref, new)
    return compare_values(ref, new)
