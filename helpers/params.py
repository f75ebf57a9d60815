"""Checks for a notebook's parameters cell: a value that cannot work stops the notebook at once, with a
message that names the parameter and says what it must be (instead of a crash, or a wrong result, far
below).

    helpers.check_whole_numbers([("N_BOOT", N_BOOT, 100), ("BATCH_SIZE", BATCH_SIZE, 1)])
    helpers.check_whole_numbers([("EVAL_N", EVAL_N, 20)], none_means="all paragraphs")
"""

from __future__ import annotations

from helpers._checks import is_int


def check_whole_numbers(specs, none_means: str | None = None, why: str | None = None) -> None:
    """Refuse every parameter that is not a whole number of at least its minimum.

    ``specs`` is a list of ``(name, value, least)``: the parameter's name as the student sees it, its
    value and the smallest value that works. ``True``/``False`` are refused (Python counts them as
    1 and 0), and so are ``3.0`` and ``"3"``. With ``none_means`` (for example ``"all paragraphs"``),
    ``None`` is accepted too and the message says what it stands for. ``why``, if given, says in the
    message why smaller values do not work.
    """
    if isinstance(specs, (str, bytes, dict)) or not hasattr(specs, "__iter__"):
        raise TypeError(f"specs must be a list of (name, value, least), got {specs!r}")
    specs = list(specs)
    if not specs:
        raise ValueError("specs is empty: list the parameters to check as (name, value, least).")
    for spec in specs:
        if not (isinstance(spec, tuple) and len(spec) == 3 and isinstance(spec[0], str) and spec[0]
                and is_int(spec[2])):
            raise TypeError(f"each spec must be (name, value, least) with a name and a whole-number least, "
                            f"got {spec!r}")
    for text, what in [(none_means, "none_means"), (why, "why")]:
        if text is not None and (not isinstance(text, str) or not text.strip()):
            raise TypeError(f"{what} must be None or a non-empty string, got {text!r}")
    for name, value, least in specs:
        if none_means is not None and value is None:
            continue
        if not is_int(value) or value < least:
            allowed = f"None ({none_means}) or " if none_means is not None else ""
            reason = f" ({why})" if why else ""
            raise ValueError(f"{name} must be {allowed}a whole number of at least {least}{reason}, got {value!r}.")


def check_labels(name: str, value, expected: list, why: str) -> None:
    """Refuse a label list other than ``expected`` (order included) where the notebook's data and scores fix it.

    >>> check_labels("LABELS", ["Republican", "Democratic"], ["Democratic", "Republican"], "the parties")
    Traceback (most recent call last):
    ...
    ValueError: LABELS must be ['Democratic', 'Republican'] (the parties), got ['Republican', 'Democratic'].
    """
    if not isinstance(value, (list, tuple)) or list(value) != list(expected):
        raise ValueError(f"{name} must be {list(expected)!r} ({why}), got {value!r}.")
