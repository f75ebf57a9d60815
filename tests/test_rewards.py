"""The reward functions of Day 4c, run from the notebook's own cells (tagged "answer-checks" and
"reward-functions"), so the code students read is the code these tests check."""
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.llm import numbers_match, parse_number

NOTEBOOK = Path(__file__).resolve().parents[1] / "day_4" / "4c_post_training.ipynb"


@pytest.fixture(scope="module")
def ns():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    namespace = {"math": math, "re": re, "pd": pd, "parse_number": parse_number, "numbers_match": numbers_match}
    for tag in ["answer-checks", "reward-functions"]:
        tagged = [c for c in cells if tag in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"expected one cell tagged {tag!r} in {NOTEBOOK.name}, found {len(tagged)}"
        exec("".join(tagged[0]["source"]), namespace)
    return namespace


def chat(*texts):
    return [[{"role": "assistant", "content": t}] for t in texts]


def total(ns, text, truth):
    c = chat(text)
    return (ns["format_reward"](c)[0] + ns["validity_reward"](c)[0]
            + ns["correctness_reward"](c, answer=[truth])[0])


def test_number_only(ns):
    for good in ["42", " 42 ", "$4.50", "20%", "1,250", "-3", "0.5."]:
        assert ns["is_number_only"](good), good
    for bad in ["", "The answer is 42.", "42 minutes", "42 42", "4 2", "forty-two", "Answer: 42", "1 2 3"]:
        assert not ns["is_number_only"](bad), bad


def test_format_and_validity_rewards(ns):
    assert ns["format_reward"](chat("42", "42 days", "")) == [1.0, 0.0, 0.0]
    assert ns["validity_reward"](chat("42", "It is 42 days.", "no idea", "")) == [0.5, 0.5, 0.0, 0.0]
    # plain strings (a non-chat dataset) are scored the same way
    assert ns["format_reward"](["42", "x"]) == [1.0, 0.0]


def test_correctness_reward_exact_answer_only(ns):
    r = ns["correctness_reward"](chat("47", "47.0", "$47", "46", "47 days", "Answer: 47"), answer=[47.0] * 6)
    assert r == [2.0, 2.0, 2.0, 0.0, 0.0, 0.0]
    # tolerance as in 4a: 1% relative or 0.01 absolute
    assert ns["correctness_reward"](chat("11.45", "11.5", "12"), answer=[11.45] * 3) == [2.0, 2.0, 0.0]
    # each completion is compared with its own problem's answer
    assert ns["correctness_reward"](chat("5", "5"), answer=[5.0, 6.0]) == [2.0, 0.0]


def test_reward_hacking_listing_numbers_is_not_rewarded(ns):
    """Listing many numbers collects the naive reward; the course's rewards give it no correctness credit."""
    cheat = "1 2 3 5 8 13 21 24 34 47 55"
    assert ns["naive_correctness_reward"](chat(cheat), answer=[47.0]) == [2.0]      # the hack works on the naive reward
    assert ns["correctness_reward"](chat(cheat), answer=[47.0]) == [0.0]
    assert total(ns, cheat, 47.0) < total(ns, "47", 47.0)
    assert total(ns, cheat, 47.0) <= total(ns, "24", 47.0)   # no better than one wrong bare number


def test_rewards_rank_behaviours(ns):
    ranked = ["47", "24", "It takes 47 days.", "no idea"]
    scores = [total(ns, t, 47.0) for t in ranked]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores), scores


def test_reward_lengths_match_completions(ns):
    c = chat("1", "2", "3")
    for f in ["format_reward", "validity_reward"]:
        assert len(ns[f](c)) == 3
    assert len(ns["correctness_reward"](c, answer=[1.0, 2.0, 3.0])) == 3
