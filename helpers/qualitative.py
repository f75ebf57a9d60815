"""Small tools for qualitative analysis with LLMs (Day 5): chunking, top-k retrieval, answer
matching, quote verification, JSON extraction with one retry, and expected scores from label
probabilities (``helpers.llm.score_labels``).

The notebooks still call the Hugging Face APIs themselves (``SentenceTransformer.encode``,
generation, label scoring); these functions only do the bookkeeping around them.

>>> chunks = chunk_paragraphs(["One short paragraph.", "Another one."], max_words=50)
>>> list(chunks["text"])
['One short paragraph.', 'Another one.']
>>> verify_quote("we  need JOBS", "Hillary said: We need jobs, good jobs.")
True
>>> expected_score([0.25, 0.25, 0.5], [1, 2, 3])
2.25
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from helpers._checks import is_int, type_clash

# Typographic characters that PDF extraction and LLMs change freely.
_TRANSLATE = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                            "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00b4": "'", "`": "'",
                            "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
                            "\u2265": ">=", "\u2264": "<="})


def _check_str(value, name: str, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, got {type(value).__name__}; pass text (str(x) for a number).")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name} is empty; pass some text.")
    return value


def normalize_text(text: str) -> str:
    """Lower-case, unify quotes/dashes (and ≥, ≤), collapse whitespace: for comparing texts.

    >>> normalize_text("  The  \u201cOHIP\u2011NL\u201d \u2013 ICC \u2265 0.75 ")
    'the "ohip-nl" - icc >= 0.75'
    """
    text = _check_str(text, "text", allow_empty=True)
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return re.sub(r"\s+", " ", text).strip().lower()


def tokens(text: str) -> list[str]:
    """Words and numbers of a normalised text (punctuation dropped): ``"ICC = 0.78."`` -> ``['icc', '0.78']``."""
    return re.findall(r"\w+(?:[.,]\d+)*", normalize_text(text))


def token_f1(prediction: str, reference: str) -> float:
    """Bag-of-words F1 between two texts (the SQuAD answer metric); 0.0 when either has no words.

    >>> round(token_f1("119 patients", "a sample of 119 patients"), 3)
    0.571
    """
    pred, ref = tokens(_check_str(prediction, "prediction", True)), tokens(_check_str(reference, "reference", True))
    common = sum((Counter(pred) & Counter(ref)).values())
    if not pred or not ref or common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def matches_answer(answer: str, gold: str | Sequence[str]) -> bool:
    """True when any accepted gold answer occurs in the answer as whole words (after normalising).

    >>> matches_answer("The study was done in the Netherlands.", ["Netherlands", "Holland"])
    True
    >>> matches_answer("about 1190 people", "119")
    False
    """
    answer = _check_str(answer, "answer", allow_empty=True)
    if not isinstance(gold, str) and (isinstance(gold, (dict, bytes)) or not isinstance(gold, Iterable)):
        raise ValueError(f"gold must be a non-empty string or a list of non-empty strings, got {gold!r}.")
    golds = [gold] if isinstance(gold, str) else list(gold)
    if not golds or any(not isinstance(g, str) or not g.strip() for g in golds):
        raise ValueError("gold must be a non-empty string or a list of non-empty strings.")
    text = " " + " ".join(tokens(answer)) + " "
    return any(" " + " ".join(tokens(g)) + " " in text for g in golds)


def chunk_paragraphs(paragraphs: Sequence[str], max_words: int = 200, overlap: int = 0,
                     prefixes: Sequence[str] | None = None) -> pd.DataFrame:
    """One chunk per paragraph; paragraphs longer than ``max_words`` are split into windows.

    Windows of ``max_words`` words overlap by ``overlap`` words. ``prefixes`` (e.g. section
    headings, one per paragraph) are put in front of every chunk as ``"prefix: text"`` so that a
    chunk still says where it comes from. Returns a DataFrame with ``paragraph`` (index into
    ``paragraphs``), ``chunk`` (0, 1, ... within the paragraph), ``n_words`` and ``text``.

    >>> chunk_paragraphs(["a b c d e"], max_words=3, overlap=1)["text"].tolist()
    ['a b c', 'c d e']
    """
    if isinstance(paragraphs, str):
        raise ValueError("paragraphs must be a list of strings, not one string; split it first "
                         "(e.g. text.split('\\n\\n')).")
    paragraphs = list(paragraphs)
    if not paragraphs:
        raise ValueError("paragraphs is empty; pass at least one paragraph.")
    if not is_int(max_words) or max_words < 1:
        raise ValueError(f"max_words must be a positive integer, got {max_words!r}.")
    if not is_int(overlap) or not 0 <= overlap < max_words:
        raise ValueError(f"overlap must be an integer with 0 <= overlap < max_words={max_words}, got {overlap!r}.")
    max_words, overlap = int(max_words), int(overlap)
    if prefixes is not None:
        if isinstance(prefixes, str):
            raise ValueError("prefixes must be a list of strings, one per paragraph, not a single string; "
                             f"for one prefix everywhere write [{prefixes!r}] * len(paragraphs).")
        prefixes = list(prefixes)
        bad = [i for i, pre in enumerate(prefixes) if not isinstance(pre, str) or not pre.strip()]
        if bad:
            raise ValueError(f"prefixes has empty or non-string entries at positions {bad[:10]} "
                             f"(e.g. {prefixes[bad[0]]!r}); give every paragraph a heading text.")
        if len(prefixes) != len(paragraphs):
            raise ValueError(f"prefixes has {len(prefixes)} entries for {len(paragraphs)} paragraphs; "
                             "give one per paragraph (or None).")
    rows = []
    for i, para in enumerate(paragraphs):
        words = _check_str(para, f"paragraphs[{i}]").split()
        step = max_words - overlap
        starts = range(0, max(len(words) - overlap, 1), step)
        for j, start in enumerate(starts):
            piece = " ".join(words[start:start + max_words])
            text = f"{prefixes[i]}: {piece}" if prefixes is not None else piece
            rows.append({"paragraph": i, "chunk": j, "n_words": len(piece.split()), "text": text})
    return pd.DataFrame(rows)


def top_k(query_embedding, chunk_embeddings, k: int = 3) -> pd.DataFrame:
    """The ``k`` chunks most similar to one query (cosine similarity), best first.

    Returns a DataFrame with ``rank`` (1..k), ``index`` (row in ``chunk_embeddings``) and
    ``score``. Works with NumPy arrays or torch tensors (moved to the CPU).

    >>> top_k([1.0, 0.0], [[0.0, 1.0], [1.0, 0.1], [0.7, 0.7]], k=2)["index"].tolist()
    [1, 2]
    """
    try:
        q = np.asarray(query_embedding.cpu() if hasattr(query_embedding, "cpu") else query_embedding, dtype=float)
        c = np.asarray(chunk_embeddings.cpu() if hasattr(chunk_embeddings, "cpu") else chunk_embeddings, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("query_embedding and chunk_embeddings must be numbers (vectors from an embedding "
                         "model such as SentenceTransformer.encode), not text.") from None
    if q.ndim != 1:
        raise ValueError(f"query_embedding must be one vector (1-D), got shape {q.shape}; pass emb[i] for one query.")
    if c.ndim != 2 or c.shape[0] == 0:
        raise ValueError(f"chunk_embeddings must be a non-empty 2-D array (chunks x dims), got shape {c.shape}.")
    if c.shape[1] != q.shape[0]:
        raise ValueError(f"query_embedding has {q.shape[0]} dimensions but chunk_embeddings have {c.shape[1]}; "
                         "embed both with the same model.")
    if not is_int(k) or not 1 <= k <= c.shape[0]:
        raise ValueError(f"k must be an integer between 1 and the number of chunks ({c.shape[0]}), got {k!r}.")
    k = int(k)
    for what, arr in [("query_embedding", q), ("chunk_embeddings", c)]:
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{what} contains NaN or infinite values; pass the encoder's output unchanged "
                             "(re-encode the texts).")
    if np.linalg.norm(q) == 0:
        raise ValueError("query_embedding is a zero vector, so it has no direction to compare; encode a non-empty "
                         "query text.")
    zero = np.flatnonzero(np.linalg.norm(c, axis=1) == 0)
    if zero.size:
        raise ValueError(f"chunk_embeddings row {zero[0]} is a zero vector ({zero.size} in all), so it has no "
                         "direction to compare; drop those chunks (e.g. empty texts) before encoding.")
    norms = np.linalg.norm(c, axis=1) * np.linalg.norm(q)
    scores = c @ q / norms
    order = np.argsort(-scores, kind="stable")[:k]
    return pd.DataFrame({"rank": np.arange(1, k + 1), "index": order, "score": scores[order]})


_QUOTE = re.compile(r'"([^"]+)"')


def extract_quotes(text: str, min_words: int = 3) -> list[str]:
    """Passages in double quotes (straight or curly) with at least ``min_words`` words.

    >>> extract_quotes('He said \u201cwe will bring back jobs\u201d and "ok".')
    ['we will bring back jobs']
    """
    text = _check_str(text, "text", allow_empty=True)
    if not is_int(min_words) or min_words < 1:
        raise ValueError(f"min_words must be a positive integer, got {min_words!r}.")
    text = text.translate(_TRANSLATE)
    return [q.strip() for q in _QUOTE.findall(text) if len(q.split()) >= min_words]


def verify_quote(quote: str, source: str) -> bool:
    """True when ``quote`` occurs verbatim in ``source``, ignoring case, whitespace, quote/dash style
    and punctuation at the quote's ends (a quote may drop a final full stop).

    >>> verify_quote("Jobs, jobs.", "We need jobs, jobs, jobs")
    True
    >>> verify_quote("we will build a wall", "We need jobs")
    False
    """
    quote = normalize_text(_check_str(quote, "quote")).strip(" .,;:!?'\"-…")
    if not quote:
        raise ValueError("quote has no words after removing punctuation; pass the quoted words themselves.")
    return quote in normalize_text(_check_str(source, "source"))


def parse_json_object(text: str, schema) -> tuple[object | None, str | None]:
    """Parse the first ``{...}`` object in ``text`` and validate it with a pydantic model class.

    Returns ``(instance, None)`` on success, ``(None, error message)`` otherwise — the message is
    what you feed back to the model for a retry. Code fences (```json) are tolerated.

    >>> from pydantic import BaseModel
    >>> class Answer(BaseModel):
    ...     n: int
    >>> parse_json_object('Sure! {"n": 3}', Answer)
    (Answer(n=3), None)
    >>> parse_json_object("no json here", Answer)[1]
    'No JSON object found: the answer must contain one {...} object.'
    """
    text = _check_str(text, "text", allow_empty=True)
    if not (isinstance(schema, type) and hasattr(schema, "model_validate")):
        raise ValueError("schema must be a pydantic BaseModel class (the class, not an instance).")
    start = text.find("{")
    if start < 0:
        return None, "No JSON object found: the answer must contain one {...} object."
    try:
        data, _ = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as err:
        return None, f"Invalid JSON: {err.msg} (at character {err.pos})."
    if not isinstance(data, dict):
        return None, "The JSON must be an object {...}, not a list or a value."
    from pydantic import ValidationError

    try:
        return schema.model_validate(data), None
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'object'}: {e['msg']}" for e in err.errors())
        return None, f"Validation failed: {problems}."


def extract_with_retry(generate_batch: Callable[[list[list[dict]]], list[str]],
                       conversations: Sequence[list[dict]], schema, max_retries: int = 1) -> pd.DataFrame:
    """Ask for JSON, validate it with ``schema``; re-ask the failures with the error message.

    ``generate_batch`` maps a list of chat conversations (lists of ``{"role", "content"}``) to one
    reply per conversation, so every round is a single batched call. A failed reply is appended to
    its conversation together with the validation error, and the model gets ``max_retries`` more
    tries. Returns one row per conversation: ``ok``, ``attempts``, ``result`` (the validated
    object or ``None``), ``error`` (last error or ``None``), ``raw`` (last reply).
    """
    if not callable(generate_batch):
        raise ValueError("generate_batch must be a function: list of conversations -> list of replies.")
    if isinstance(conversations, (str, bytes, dict)):
        raise ValueError("conversations must be a list of conversations, each a list of {'role': ..., 'content': ...} "
                         "dicts, e.g. [[{'role': 'user', 'content': 'Extract ...'}]].")
    conversations = [list(c) for c in conversations]
    if not conversations:
        raise ValueError("conversations is empty; pass at least one list of chat messages.")
    for i, conv in enumerate(conversations):
        if not conv or any(not isinstance(m, dict) or {"role", "content"} - set(m) for m in conv):
            raise ValueError(f"conversations[{i}] must be a non-empty list of {{'role': ..., 'content': ...}} dicts.")
    if not is_int(max_retries) or max_retries < 0:
        raise ValueError(f"max_retries must be a non-negative integer, got {max_retries!r}.")
    max_retries = int(max_retries)
    rows = [{"ok": False, "attempts": 0, "result": None, "error": None, "raw": None} for _ in conversations]
    todo = list(range(len(conversations)))
    for _attempt in range(max_retries + 1):
        if not todo:
            break
        replies = generate_batch([conversations[i] for i in todo])
        if isinstance(replies, (str, bytes)) or not hasattr(replies, "__len__"):
            raise ValueError(f"generate_batch must return a list of replies (one string per conversation), got "
                             f"{type(replies).__name__}.")
        if len(replies) != len(todo):
            raise ValueError(f"generate_batch returned {len(replies)} replies for {len(todo)} conversations; it "
                             "must return one reply per conversation, in the same order.")
        bad = next((r for r in replies if not isinstance(r, str)), "")
        if not isinstance(bad, str):
            raise ValueError(f"generate_batch returned a {type(bad).__name__} reply ({bad!r:.60}); it must return "
                             "one string per conversation.")
        still = []
        for i, reply in zip(todo, replies):
            obj, err = parse_json_object(reply, schema)
            rows[i].update(attempts=rows[i]["attempts"] + 1, result=obj, error=err, raw=reply, ok=obj is not None)
            if obj is None:
                conversations[i] += [{"role": "assistant", "content": reply},
                                     {"role": "user", "content": f"{err} Reply with the corrected JSON object only."}]
                still.append(i)
        todo = still
    # dtype=object keeps None as None (pandas would turn it into NaN in a text column)
    out = pd.DataFrame(rows, dtype=object)
    return out.astype({"ok": bool, "attempts": int})


def expected_score(probabilities, scores: Sequence[float]):
    """Expected rating Σ p·score from a probability distribution over rating labels.

    ``probabilities``: one distribution (list/array) or a DataFrame with one row per item (e.g.
    from ``helpers.llm.score_labels`` with labels "1".."5"); rows must sum to 1. ``scores`` are in
    the column order, or a dict/Series {column: score}; columns named by the scores themselves
    ("1".."5") must be in the order of ``scores``. Returns a float or a Series.

    >>> expected_score([0.5, 0.5], [1, 5])
    3.0
    """
    frame = isinstance(probabilities, pd.DataFrame)
    if isinstance(scores, (dict, pd.Series)):
        if not frame:
            raise ValueError("scores given per label (a dict or Series) need probabilities as a DataFrame with one "
                             "column per label; otherwise pass scores as a list in the column order.")
        keyed = pd.Series(scores)
        if set(keyed.index) != set(probabilities.columns) or keyed.index.has_duplicates:
            raise ValueError(f"scores are given for labels {list(keyed.index)} but probabilities has columns "
                             f"{list(probabilities.columns)}; give one score per column."
                             + type_clash(keyed.index, probabilities.columns, "scores", "probabilities.columns"))
        scores = keyed.loc[list(probabilities.columns)].to_numpy()
    if isinstance(scores, (str, bytes)):
        raise ValueError("scores must be a non-empty list of finite numbers, one per label.")
    try:
        s = np.asarray(scores, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("scores must be a non-empty list of finite numbers, one per label.") from None
    if s.ndim != 1 or s.size == 0 or not np.all(np.isfinite(s)):
        raise ValueError("scores must be a non-empty list of finite numbers, one per label.")
    if frame and s.size == probabilities.shape[1]:
        named = pd.to_numeric(pd.Series(probabilities.columns, dtype=object).astype(str), errors="coerce")
        named = named.to_numpy(dtype=float)
        if (not np.isnan(named).any() and np.allclose(np.sort(named), np.sort(s))
                and not np.allclose(named, s)):
            raise ValueError(f"probabilities has columns {list(probabilities.columns)} but scores are {s.tolist()} in "
                             "that order: each column would get another column's score. Reorder the columns "
                             "(probabilities[[...]]) or pass scores as a dict {column: score}.")
    try:
        p = np.asarray(probabilities, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("probabilities must be numbers: one distribution or a DataFrame with one row per "
                         "item.") from None
    if p.ndim not in (1, 2):
        raise ValueError("probabilities must be one distribution (1-D) or one row per item (2-D), "
                         f"got shape {p.shape}.")
    p2 = p if p.ndim == 2 else p.reshape(1, -1)
    if p2.shape[1] != s.size:
        raise ValueError(f"probabilities have {p2.shape[-1]} columns but there are {s.size} scores; "
                         "give one score per label.")
    if not np.all(np.isfinite(p2)) or np.any(p2 < 0) or not np.allclose(p2.sum(axis=1), 1, atol=1e-6):
        raise ValueError("probabilities must be non-negative and sum to 1 per row; use normalize=True in score_labels.")
    values = p2 @ s
    if frame:
        return pd.Series(values, index=probabilities.index, name="expected_score")
    return float(values[0]) if p.ndim == 1 else values


__all__ = ["normalize_text", "tokens", "token_f1", "matches_answer", "chunk_paragraphs", "top_k",
           "extract_quotes", "verify_quote", "parse_json_object", "extract_with_retry", "expected_score"]
