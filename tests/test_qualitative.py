"""Unit tests of helpers.qualitative: edge cases and bad inputs; the model-dependent functions run on
the real SmolLM2-135M-Instruct (no mocks)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import BaseModel, Field

from helpers import qualitative as q


class Rating(BaseModel):
    score: int = Field(ge=1, le=5)
    reason: str


# ---------------------------------------------------------------- normalising and matching

def test_normalize_text_unifies_quotes_dashes_and_space():
    assert q.normalize_text("  \u201cA\u201d \u2013 B\n\tC \u2265 1 ") == '"a" - b c >= 1'
    assert q.normalize_text("") == ""


def test_token_f1_edges():
    assert q.token_f1("same words", "Same, words!") == 1.0
    assert q.token_f1("", "anything") == 0.0
    assert q.token_f1("no overlap", "entirely different") == 0.0
    assert q.token_f1("119 patients", "a sample of 119 patients") == pytest.approx(2 * 0.4 / 1.4)


def test_matches_answer_whole_words_and_aliases():
    assert q.matches_answer("Alpha was 0.97.", "0.97")
    assert not q.matches_answer("Alpha was 0.975.", "0.97")          # no partial numbers
    assert not q.matches_answer("1190 people", "119")
    assert q.matches_answer("in Holland", ["Netherlands", "Holland"])
    assert q.matches_answer("The OHIP-NL", "OHIP")
    assert not q.matches_answer("", "x")


# ---------------------------------------------------------------- chunking and retrieval

def test_chunk_paragraphs_splits_long_paragraphs_with_overlap():
    words = " ".join(f"w{i}" for i in range(10))
    chunks = q.chunk_paragraphs(["short one", words], max_words=4, overlap=1, prefixes=["A", "B"])
    assert chunks["paragraph"].tolist() == [0, 1, 1, 1]
    assert chunks["text"].tolist() == ["A: short one", "B: w0 w1 w2 w3", "B: w3 w4 w5 w6", "B: w6 w7 w8 w9"]
    assert chunks["n_words"].max() <= 4


def test_chunk_paragraphs_exact_fit_gives_one_chunk():
    chunks = q.chunk_paragraphs(["a b c d"], max_words=4, overlap=2)
    assert chunks["text"].tolist() == ["a b c d"]


def test_top_k_orders_by_cosine_and_accepts_unnormalised_vectors():
    chunks = np.array([[0.0, 3.0], [10.0, 1.0], [1.0, 1.0]])
    hits = q.top_k(np.array([2.0, 0.0]), chunks, k=3)
    assert hits["index"].tolist() == [1, 2, 0]
    assert hits["rank"].tolist() == [1, 2, 3]
    assert hits["score"].iloc[0] == pytest.approx(10 / np.sqrt(101))


def test_top_k_accepts_torch_tensors():
    torch = pytest.importorskip("torch")
    hits = q.top_k(torch.tensor([1.0, 0.0]), torch.tensor([[0.0, 1.0], [1.0, 0.0]]), k=1)
    assert hits["index"].tolist() == [1]


# ---------------------------------------------------------------- quotes

def test_extract_quotes_straight_and_curly_min_words():
    text = 'He said "we will bring jobs back" and \u201cbelieve me, folks\u201d and "ok".'
    assert q.extract_quotes(text) == ["we will bring jobs back", "believe me, folks"]
    assert q.extract_quotes(text, min_words=4) == ["we will bring jobs back"]
    assert q.extract_quotes("no quotes here") == []


def test_verify_quote_normalises_but_stays_verbatim():
    source = "CLINTON: I think it's important.\nWe need   jobs \u2014 good jobs."
    assert q.verify_quote("we need jobs - good jobs", source)
    assert q.verify_quote("\u201cI think it\u2019s important.\u201d", source)
    assert not q.verify_quote("we need good jobs", source)       # paraphrase is not a quote


# ---------------------------------------------------------------- JSON with retry

def test_parse_json_object_variants():
    obj, err = q.parse_json_object('```json\n{"score": 4, "reason": "ok"}\n``` trailing', Rating)
    assert err is None and obj.score == 4
    assert q.parse_json_object('{"score": 4, "reason": ', Rating)[1].startswith("Invalid JSON")
    obj, err = q.parse_json_object('{"score": 9, "reason": "x"}', Rating)
    assert obj is None and "score" in err and err.startswith("Validation failed")
    assert q.parse_json_object("[1, 2]", Rating)[1].startswith("No JSON object")


# ---------------------------------------------------------------- expected score

def test_expected_score_list_array_and_frame():
    assert q.expected_score([0, 0, 0, 0, 1], [1, 2, 3, 4, 5]) == 5.0
    arr = q.expected_score(np.array([[0.5, 0.5], [1.0, 0.0]]), [1, 5])
    assert arr.tolist() == [3.0, 1.0]
    frame = pd.DataFrame({"1": [0.2, 0.0], "2": [0.8, 1.0]}, index=["a", "b"])
    s = q.expected_score(frame, [1, 2])
    assert s.index.tolist() == ["a", "b"] and s["a"] == pytest.approx(1.8)


# ---------------------------------------------------------------- bad inputs must raise

@pytest.mark.parametrize("call", [
    lambda: q.normalize_text(None),
    lambda: q.token_f1(3, "x"),
    lambda: q.matches_answer("x", []),
    lambda: q.matches_answer("x", ["ok", ""]),
    lambda: q.chunk_paragraphs("one string, not a list"),
    lambda: q.chunk_paragraphs([]),
    lambda: q.chunk_paragraphs(["a b"], max_words=0),
    lambda: q.chunk_paragraphs(["a b"], max_words=3, overlap=3),
    lambda: q.chunk_paragraphs(["a", "  "]),
    lambda: q.chunk_paragraphs(["a", "b"], prefixes=["only one"]),
    lambda: q.top_k([[1.0, 0.0]], [[1.0, 0.0]], k=1),                 # 2-D query
    lambda: q.top_k([1.0, 0.0], [[1.0, 0.0, 0.0]], k=1),              # dimension mismatch
    lambda: q.top_k([1.0, 0.0], [[1.0, 0.0]], k=2),                   # k > number of chunks
    lambda: q.top_k([0.0, 0.0], [[1.0, 0.0]], k=1),                   # zero vector
    lambda: q.top_k([1.0, 0.0], np.empty((0, 2)), k=1),
    lambda: q.extract_quotes("x", min_words=0),
    lambda: q.verify_quote("", "source"),
    lambda: q.verify_quote(" ... ", "source"),
    lambda: q.verify_quote("quote", None),
    lambda: q.parse_json_object("{}", dict),
    lambda: q.parse_json_object("{}", Rating(score=1, reason="x")),
    lambda: q.extract_with_retry("not callable", [[{"role": "user", "content": "x"}]], Rating),
    lambda: q.extract_with_retry(lambda c: c, [], Rating),
    lambda: q.extract_with_retry(lambda c: c, [[{"content": "no role"}]], Rating),
    lambda: q.extract_with_retry(lambda c: ["a", "b"], [[{"role": "user", "content": "x"}]], Rating),
    lambda: q.extract_with_retry(lambda c: ["a"], [[{"role": "user", "content": "x"}]], Rating, max_retries=-1),
    lambda: q.expected_score([0.5, 0.6], [1, 2]),                     # does not sum to 1
    lambda: q.expected_score([0.5, 0.5], [1, 2, 3]),                  # shape mismatch
    lambda: q.expected_score([1.5, -0.5], [1, 2]),                    # negative probability
    lambda: q.expected_score([1.0], []),
])
def test_bad_inputs_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


# ---------------------------------------------------------------- docstring examples stay true

def test_docstring_examples_run():
    import doctest

    result = doctest.testmod(q, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 10 and result.failed == 0


# ---------------------------------------------------------------- the real SmolLM2 (offline course model)

@pytest.fixture(scope="module")
def chat():
    from helpers.llm import load_chat_model

    return load_chat_model("HuggingFaceTB/SmolLM2-135M-Instruct")


# ---------------------------------------------------------------- JSON with retry (real SmolLM2)

RETRY_PROMPTS = ['Copy this JSON object exactly: {"score": 4, "reason": "tasty food"}',   # valid on the first try
                 "Say hello in French. One word.",                                        # no JSON at all
                 'Copy this JSON object exactly: {"score": 9, "reason": "too high"}']     # JSON, but score > 5


def _real_generate_batch(chat, seen):
    """Greedy SmolLM2 replies; records the conversations it is asked about (a spy, not a stand-in)."""
    from helpers.llm import generate

    tok, lm = chat

    def generate_batch(convs):
        seen.append([[dict(m) for m in c] for c in convs])
        prompts = [tok.apply_chat_template(c, tokenize=False, add_generation_prompt=True) for c in convs]
        return generate(lm, tok, prompts, max_new_tokens=24, batch_size=4)
    return generate_batch


def test_extract_with_retry_feeds_error_back_once(chat):
    seen = []
    convs = [[{"role": "user", "content": t}] for t in RETRY_PROMPTS]
    res = q.extract_with_retry(_real_generate_batch(chat, seen), convs, Rating, max_retries=1)
    assert list(res.columns) == ["ok", "attempts", "result", "error", "raw"] and len(res) == 3
    assert res.loc[0, "ok"] and res.loc[0, "attempts"] == 1 and res.loc[0, "result"].score == 4
    # round 1 asks everything; round 2 only the two failures, each with its reply and the error appended
    assert [len(c) for c in seen[0]] == [1, 1, 1] and len(seen) == 2
    assert [c[0]["content"] for c in seen[1]] == RETRY_PROMPTS[1:] and [len(c) for c in seen[1]] == [3, 3]
    assert seen[1][0][2]["content"].startswith("No JSON object found")
    assert seen[1][1][2]["content"].startswith("Validation failed: score")
    assert all(c[1]["role"] == "assistant" and c[2]["role"] == "user" for c in seen[1])
    assert res["attempts"].tolist()[1:] == [2, 2]
    for row in res.itertuples():                    # failures are kept, with their last error and reply
        assert row.ok == (row.result is not None) == (row.error is None)
        assert isinstance(row.raw, str)
    assert [len(c) for c in convs] == [1, 1, 1]     # the caller's conversations are not modified


def test_extract_with_retry_zero_retries(chat):
    seen = []
    convs = [[{"role": "user", "content": RETRY_PROMPTS[1]}]]
    res = q.extract_with_retry(_real_generate_batch(chat, seen), convs, Rating, max_retries=0)
    assert len(seen) == 1 and res["attempts"].tolist() == [1] and not res["ok"].any()
    assert res.loc[0, "error"].startswith("No JSON object found") and res.loc[0, "result"] is None
