"""Bad inputs to the public helpers: each is refused with a message that names the problem, or, where
the intent is unambiguous (the same labelled items in another order), handled correctly. None may
return a plausible wrong answer. The valid-input results these checks sit next to are pinned too."""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from helpers import data as hd
from helpers import env as henv
from helpers import evaluation as ev
from helpers import llm
from helpers import models as hm
from helpers import params as hp
from helpers import qualitative as q
from helpers import results as hr
from helpers import server as srv
from helpers import similarity as sim
from helpers import static_vectors as hsv
from helpers import survey as sv

CHAT_MODEL = "HuggingFaceTB/SmolLM2-135M-Instruct"
ENCODERS = ["sentence-transformers/all-MiniLM-L6-v2", "sentence-transformers/all-mpnet-base-v2"]
ITEMS = [f"item{k}" for k in range(8)]


def _frames(seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A predicted and an observed items x items matrix, labelled with the items, in the same order."""
    rng = np.random.default_rng(seed)
    observed = np.corrcoef(rng.normal(size=(len(ITEMS), 40)))
    predicted = observed + rng.normal(scale=0.05, size=observed.shape)
    predicted = (predicted + predicted.T) / 2
    return (pd.DataFrame(predicted, index=ITEMS, columns=ITEMS), pd.DataFrame(observed, index=ITEMS, columns=ITEMS))


# ------------------------------------------------------------------------------------------ alignment
def test_compare_similarity_matches_labelled_frames_by_item():
    pred, obs = _frames()
    ordered = sim.compare_similarity(pred, obs, n_boot=50, seed=1)
    order = [3, 0, 7, 1, 5, 2, 6, 4]
    shuffled = sim.compare_similarity(pred.iloc[order, order], obs, n_boot=50, seed=1)
    np.testing.assert_allclose(shuffled["r"], ordered["r"], atol=1e-12)
    assert ordered.loc[0, "r"] > 0.9                          # the comparison is not trivially equal
    # the same numbers as plain arrays in the same order
    plain = sim.compare_similarity(pred.to_numpy(), obs.to_numpy(), n_boot=50, seed=1)
    np.testing.assert_allclose(plain["r"], ordered["r"], atol=1e-12)
    # positional pairing of the shuffled values would have been far off
    wrong = sim.compare_similarity(pred.iloc[order, order].to_numpy(), obs.to_numpy(), n_boot=0)
    assert abs(wrong.loc[0, "r"] - ordered.loc[0, "r"]) > 0.3


def test_a_frame_with_columns_in_another_order_than_its_rows_is_put_in_row_order():
    pred, obs = _frames()
    ordered = sim.compare_similarity(pred, obs, n_boot=0)
    swapped_columns = pred[list(reversed(ITEMS))]
    np.testing.assert_allclose(sim.compare_similarity(swapped_columns, obs, n_boot=0)["r"], ordered["r"])
    np.testing.assert_allclose(sim.lower_triangle(obs[list(reversed(ITEMS))]), sim.lower_triangle(obs.to_numpy()))


def test_leave_one_out_matches_labels_to_rows_by_index():
    emb = pd.DataFrame([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], index=list("wxyz"))
    labels = pd.Series(["b", "b", "a", "a"], index=list("zyxw"))           # w, x are "a"; y, z are "b"
    assert sim.leave_one_out_centroid_assign(emb, labels).tolist() == ["a", "a", "b", "b"]


def test_evaluate_roc_auc_and_survey_align_labelled_series():
    y = pd.Series(["a", "b", "b"], index=[10, 11, 12])
    pred = pd.Series(["b", "b", "a"], index=[12, 11, 10])                 # the same items, reversed
    assert ev.evaluate(y, pred, labels=["a", "b"])["accuracy"] == 1.0
    assert ev.evaluate(y.tolist(), pred.tolist(), labels=["a", "b"])["accuracy"] == pytest.approx(1 / 3)
    truth = pd.Series(["a", "b", "a", "b"], index=list("pqrs"))
    assert ev.roc_auc(truth, pd.Series([0.9, 0.1, 0.8, 0.2], index=list("qpsr")), "b") == 1.0
    p = pd.Series([0.2, 0.3, 0.5], index=[-1, 0, 1])
    assert sv.total_variation(p, p.loc[[1, 0, -1]]) == 0.0
    assert sv.wasserstein_ordinal(p, p.loc[[1, -1, 0]]) == 0.0
    assert sv.total_variation(p, p.loc[[1, 0, -1]].to_numpy()) == 0.3        # plain arrays: by position
    gap = sv.partisan_gap(pd.Series([1.0, -1.0], index=["r1", "r2"]), pd.Series([6, 0], index=["r2", "r1"]))
    assert gap == 2.0


def test_default_index_still_pairs_by_position():
    """A default 0..n-1 index (e.g. score_labels' output) is positions, not ids: pair it with any rows."""
    y = pd.Series(["a", "b"] * 10, index=np.random.default_rng(0).permutation(100)[:20])
    scores = pd.Series(np.tile([0.1, 0.9], 10) + np.linspace(0, 0.05, 20))
    assert ev.roc_auc(y, scores, "b") == 1.0
    res = ev.evaluate(y, ["a", "b"] * 9 + ["a", "a"], labels=["a", "b"], scores=scores, n_boot=100)
    assert res["accuracy"] == 0.95 and res["auc"] == 1.0


def test_expected_score_takes_scores_per_label():
    probs = pd.DataFrame([[0.0, 0.0, 1.0], [0.5, 0.5, 0.0]], columns=["c", "b", "a"])
    got = q.expected_score(probs, pd.Series({"a": 1, "b": 2, "c": 3}))
    assert got.tolist() == [1.0, 2.5]
    # labels that are not the scores themselves (a rescaling) stay allowed
    five = pd.DataFrame([[0.0, 0.0, 0.0, 0.0, 1.0]], columns=["1", "2", "3", "4", "5"])
    assert q.expected_score(five, [0, 25, 50, 75, 100]).tolist() == [100.0]


def test_top_k_accepts_numpy_integers():
    assert q.top_k([1.0, 0.0], [[1.0, 0.0], [0.0, 1.0]], k=np.int64(1))["index"].tolist() == [0]


# ------------------------------------------------------------------------------------------ parse_number
@pytest.mark.parametrize("text, expected", [
    # unchanged: the documented cases and the examples Day 4a shows
    ("Answer: 25", 25.0), ("The ball costs $0.05.", 0.05), ("About 1/2 of them", 0.5), ("50%", 50.0),
    ("Step 1: 2 x 3 = 6. Step 2: 6 + 4 = 10. So the answer is 1,000 widgets.", 1000.0),
    ("I think it is five minutes.", None), ("First 100, then 47 days. Answer: **47**", 47.0),
    ("Final answer: 1,250", 1250.0), ("−7", -7.0), ("x = -3", -3.0), ("3 - 4", None), ("1,000.50", 1000.5),
    # thousands separators only in groups of three; anything else is ambiguous
    ("The answer is 1,5", None), ("numbers 1,2,3", None), ("It costs 12,50 euros", None), ("Answer: 1,0000", None),
    # a range is not one number (it used to be read as the negative second end)
    ("It takes 3-4 days", None), ("Answer: 10–12", None), ("Answer: 10 – 12 days", None), ("2023-05-01", None),
    # scientific notation
    ("Answer: 1e3", 1000.0), ("so x = 2.5e-3", 0.0025), ("1.5E2 people", 150.0),
    # a spaced dash inside arithmetic is not a range: read as before (Day 4a's chain-of-thought answers)
    ("Probability of spam = 1 - 0.001 * 1.001 ≈ 0.9999", 1.0), ("x = 10 - 2", 10.0), ("12 - 3 = 9", 9.0),
    # a bullet after a line break is not a range; typeset thousands are read
    ("Total: 25\n- 3 apples", 3.0), ("1\u2009000 people", 1000.0), ("Answer: 1\u00a0000\u00a0000", 1000000.0),
])
def test_parse_number_reads_or_refuses(text, expected):
    assert llm.parse_number(text) == expected


# ------------------------------------------------------------------------------------------ refusals
X4 = [1.0, 2.0, 3.0, 4.0]
EMB4 = [[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]]
GSS = pd.DataFrame({"age": [34, 50], "sex": [1, 0], "race": [1, 2], "degree": [3, 1], "partyid": [1, 5],
                    "polviews": [2, 6]})
DF = pd.DataFrame({"id": [1, 2, 3], "text": ["a", "b", "c"], "x": [1.0, 2.0, np.inf], "label": ["p", "n", "p"]})
PARTY = pd.DataFrame({"party": ["D", "R"] * 4, "x": range(8)})


def _other_labels():
    pred, obs = _frames()
    return pred.rename(index={"item0": "zz"}, columns={"item0": "zz"}), obs


def _asymmetric():
    pred, obs = _frames()
    bad = pred.to_numpy().copy()
    bad[0, 5] += 0.5
    return bad, obs.to_numpy()


CASES = [
    # similarity
    ("compare_similarity: other items", lambda: sim.compare_similarity(*_other_labels(), n_boot=0),
     ValueError, "different items"),
    ("compare_similarity: row labels are not the column labels",
     lambda: sim.compare_similarity(pd.DataFrame(np.eye(3), index=list("abc"), columns=list("xyz")), np.eye(3)),
     ValueError, "row labels and the column labels"),
    ("compare_similarity: duplicate labels",
     lambda: sim.compare_similarity(pd.DataFrame(np.eye(3), index=list("aab"), columns=list("aab")), np.eye(3)),
     ValueError, "duplicate row labels"),
    ("compare_similarity: not symmetric", lambda: sim.compare_similarity(*_asymmetric(), n_boot=0),
     ValueError, "not symmetric"),
    ("compare_similarity: negative seed", lambda: sim.compare_similarity(np.eye(3), np.eye(3), seed=-1),
     ValueError, "seed must be a non-negative integer"),
    ("leave_one_out: labels as one string", lambda: sim.leave_one_out_centroid_assign(EMB4, "aabb"),
     ValueError, "not a single string"),
    ("leave_one_out: one label", lambda: sim.leave_one_out_centroid_assign(EMB4, ["a"] * 4),
     ValueError, "one label only"),
    ("leave_one_out: other ids",
     lambda: sim.leave_one_out_centroid_assign(pd.DataFrame(EMB4, index=list("wxyz")),
                                               pd.Series(list("aabb"), index=list("pqrs"))),
     ValueError, "index labels differ"),
    # evaluation
    ("evaluate: labels as one string", lambda: ev.evaluate(["a", "b"], ["a", "b"], labels="ab"),
     ValueError, "not a single string"),
    ("evaluate: duplicate labels", lambda: ev.evaluate(["a", "b"], ["a", "b"], labels=["a", "a", "b"]),
     ValueError, "duplicates"),
    ("evaluate: y_true as one string", lambda: ev.evaluate("abba", "abba"), ValueError, "y_true must be"),
    ("evaluate: y_pred as one string", lambda: ev.evaluate(["a"], "a", labels=["a", "b"]),
     ValueError, "y_pred must be"),
    ("evaluate: one label", lambda: ev.evaluate(["a", "a"], ["a", "a"], labels=["a"]),
     ValueError, "at least two labels"),
    ("evaluate: one class in y_true and no labels", lambda: ev.evaluate(["a", "a"], ["a", "a"]),
     ValueError, "at least two labels"),
    ("evaluate: Series with other ids",
     lambda: ev.evaluate(pd.Series(["a", "b"], index=[10, 11]), pd.Series(["a", "b"], index=[20, 21]),
                         labels=["a", "b"]), ValueError, "index labels differ"),
    ("evaluate: clusters with other ids",
     lambda: ev.evaluate(pd.Series(["a", "b"] * 3, index=range(10, 16)), ["a", "b"] * 3, labels=["a", "b"],
                         clusters=pd.Series([1, 1, 2, 2, 3, 3], index=range(20, 26)), n_boot=100),
     ValueError, "y_true and clusters"),
    ("evaluate: text scores", lambda: ev.evaluate(["a", "b"], ["a", "b"], scores=["x", "y"], n_boot=100),
     ValueError, "scores must be numbers"),
    ("evaluate: NaN prediction", lambda: ev.evaluate(["a", "b"], ["a", np.nan], labels=["a", "b"]),
     ValueError, "with None, not NaN"),
    ("evaluate: unhashable labels", lambda: ev.evaluate([["a"], ["b"]], [["a"], ["b"]]),
     ValueError, "holds list values"),
    ("confusion_table: duplicate labels", lambda: ev.confusion_table(["a", "b"], ["a", "b"], ["a", "a", "b"]),
     ValueError, "duplicates"),
    ("confusion_table: labels as one string", lambda: ev.confusion_table(["a", "b"], ["a", "b"], "ab"),
     ValueError, "not a single string"),
    ("results_table: a list", lambda: ev.results_table([{"n": 1}]), ValueError, "must be a dict"),
    ("results_table: not from evaluate", lambda: ev.results_table({"x": {"n": 3, "accuracy": 0.5}}),
     ValueError, "not a result of evaluate"),
    ("wilson_interval: fractional successes", lambda: ev.wilson_interval(2.5, 10), ValueError, "must be an integer"),
    ("wilson_interval: confidence as text", lambda: ev.wilson_interval(2, 10, "0.95"), ValueError, "confidence"),
    ("wilson_interval: n=True", lambda: ev.wilson_interval(1, True), ValueError, "n must be a positive integer"),
    ("clopper_pearson: confidence None", lambda: ev.clopper_pearson(2, 10, None), ValueError, "confidence"),
    ("cluster_bootstrap: text seed",
     lambda: ev.cluster_bootstrap(np.mean, X4, clusters=[1, 1, 2, 2], n_boot=100, seed="x"),
     ValueError, "seed must be"),
    ("cluster_bootstrap: statistic returns a vector",
     lambda: ev.cluster_bootstrap(lambda a: a, X4, clusters=[1, 1, 2, 2], n_boot=100),
     ValueError, "must return one number"),
    ("cluster_bootstrap: other ids",
     lambda: ev.cluster_bootstrap(np.mean, pd.Series(X4, index=[5, 6, 7, 8]),
                                  clusters=pd.Series([1, 1, 2, 2], index=[1, 2, 3, 4]), n_boot=100),
     ValueError, "index labels differ"),
    ("roc_auc: y_true as one string", lambda: ev.roc_auc("abab", [0.1, 0.9, 0.2, 0.8], "b"),
     ValueError, "not a single string"),
    ("roc_auc: misspelt positive", lambda: ev.roc_auc(["a", "b", "a", "b"], [0.1, 0.9, 0.2, 0.8], "B"),
     ValueError, "positive='B' is not one of the labels"),
    ("roc_auc: text scores", lambda: ev.roc_auc(["a", "b"], ["x", "y"], "b"), ValueError, "scores must be numbers"),
    ("verdict: low above high", lambda: ev.verdict("x", 0.7, 0.4, 0.5), ValueError, "above high"),
    ("verdict: NaN interval", lambda: ev.verdict("x", float("nan"), float("nan"), 0.5),
     ValueError, "measure is undefined"),
    ("verdict: chance as text", lambda: ev.verdict("x", 0.4, 0.6, "0.5"), ValueError, "chance must be"),
    ("verdict_change: text", lambda: ev.verdict_change("x", ("a", "b", "c"), (0.5, 0.4, 0.6)),
     ValueError, "three numbers"),
    # llm (checks that run before any model call)
    ("score_labels: one label", lambda: llm.score_labels(None, None, ["p"], ["yes"]), ValueError, "one label only"),
    ("score_labels: normalize as text", lambda: llm.score_labels(None, None, ["p"], ["yes", "no"], normalize="no"),
     TypeError, "normalize must be True or False"),
    ("parse_choice: duplicate labels", lambda: llm.parse_choice("yes", ["Yes", "yes"]), ValueError, "duplicates"),
    # data
    ("validate_frame: required_columns as one string", lambda: hd.validate_frame(DF, "text"),
     ValueError, r"required_columns=\['text'\]"),
    ("validate_frame: text_columns as one string", lambda: hd.validate_frame(DF, ["text"], text_columns="text"),
     ValueError, "not a single string"),
    ("validate_frame: numeric_columns as one string", lambda: hd.validate_frame(DF, ["x"], numeric_columns="x"),
     ValueError, "not a single string"),
    ("validate_frame: inf is not a number here", lambda: hd.validate_frame(DF, ["x"], numeric_columns=["x"]),
     ValueError, "infinite"),
    ("validate_frame: allowed values as one string",
     lambda: hd.validate_frame(DF, ["label"], allowed_values={"label": "pn"}), ValueError, "must be a set"),
    ("validate_frame: allowed_values not a dict",
     lambda: hd.validate_frame(DF, ["label"], allowed_values=[("label", {"p"})]), ValueError, "must be a dict"),
    ("validate_frame: negative min_rows", lambda: hd.validate_frame(DF.iloc[:0], ["x"], min_rows=-1),
     ValueError, "min_rows"),
    ("validate_frame: id_column a list", lambda: hd.validate_frame(DF, ["id"], id_column=["id"]),
     ValueError, "one column name"),
    ("validate_frame: duplicate column names",
     lambda: hd.validate_frame(pd.DataFrame([[1, "a"]], columns=["text", "text"]), ["text"]),
     ValueError, "duplicate column"),
    ("stratified_sample: missing groups",
     lambda: hd.stratified_sample(pd.DataFrame({"party": ["D", "R", None, "D"], "x": range(4)}), 2),
     ValueError, "missing value"),
    ("stratified_sample: a group of one",
     lambda: hd.stratified_sample(pd.DataFrame({"party": ["D"] * 5 + ["R"], "x": range(6)}), 3),
     ValueError, "only one row"),
    ("stratified_sample: n leaves too few rows", lambda: hd.stratified_sample(PARTY, 7), ValueError, "n <= 6"),
    ("stratified_sample: text seed", lambda: hd.stratified_sample(PARTY, 4, seed="x"), ValueError, "seed"),
    ("read_verified: a path outside data/", lambda: hd.read_verified("../pyproject.toml"), ValueError, "data/"),
    # qualitative
    ("chunk_paragraphs: prefixes as one string", lambda: q.chunk_paragraphs(["a b", "c d"], prefixes="xy"),
     ValueError, "not a single string"),
    ("chunk_paragraphs: a missing prefix", lambda: q.chunk_paragraphs(["a b", "c d"], prefixes=[None, "x"]),
     ValueError, "non-string entries"),
    ("top_k: text vectors", lambda: q.top_k(["a", "b"], [[1.0, 0.0]], k=1), ValueError, "must be numbers"),
    ("matches_answer: gold a dict", lambda: q.matches_answer("yes", {"yes": 1}), ValueError, "gold must be"),
    ("expected_score: columns in another order than the scores",
     lambda: q.expected_score(pd.DataFrame([[0.0, 0.0, 1.0]], columns=["3", "2", "1"]), [1, 2, 3]),
     ValueError, "another column's score"),
    ("expected_score: scores for other labels",
     lambda: q.expected_score(pd.DataFrame([[0.5, 0.5]], columns=["a", "b"]), {"a": 1, "c": 2}),
     ValueError, "one score per column"),
    ("expected_score: 3-D probabilities", lambda: q.expected_score(np.ones((1, 1, 2)) / 2, [1, 2]),
     ValueError, "1-D"),
    ("extract_with_retry: conversations as one string", lambda: q.extract_with_retry(lambda c: ["{}"], "hi", dict),
     ValueError, "list of conversations"),
    ("extract_with_retry: a reply that is not text",
     lambda: q.extract_with_retry(lambda c: [None], [[{"role": "user", "content": "x"}]], dict),
     ValueError, "one string per conversation"),
    # survey
    ("build_personas: attributes as one string", lambda: sv.build_personas(GSS, "age"), ValueError, "single string"),
    ("build_personas: duplicate attributes", lambda: sv.build_personas(GSS, ["age", "age"]), ValueError, "duplicates"),
    ("build_personas: fractional age", lambda: sv.build_personas(GSS.assign(age=[34.7, 50]), ["age"]),
     ValueError, "non-whole ages"),
    ("distribution: duplicate codes", lambda: sv.distribution([0, 1, 1], codes=(-1, 0, 0, 1)),
     ValueError, "duplicates"),
    ("distribution: codes as one string", lambda: sv.distribution(["a", "b"], codes="ab"),
     ValueError, "single string"),
    ("total_variation: other codes",
     lambda: sv.total_variation(pd.Series([0.5, 0.5], index=["a", "b"]), pd.Series([0.5, 0.5], index=["a", "c"])),
     ValueError, "different codes"),
    ("total_variation: text", lambda: sv.total_variation(["a"], [1.0]), ValueError, "must be numbers"),
    ("wasserstein_ordinal: NaN code", lambda: sv.wasserstein_ordinal([0.5, 0.5], [0.5, 0.5], codes=[0, np.nan]),
     ValueError, "finite"),
    ("partisan_gap: other ids",
     lambda: sv.partisan_gap(pd.Series([1.0, -1.0], index=["r1", "r2"]), pd.Series([0, 6], index=["a", "b"])),
     ValueError, "index labels differ"),
    ("expected_scores: empty codes", lambda: sv.expected_scores(pd.DataFrame({"a": [1.0]}), {}),
     ValueError, "non-empty dict"),
    ("expected_scores: log-probabilities",
     lambda: sv.expected_scores(pd.DataFrame({"a": [-1.0], "b": [-2.0]}), {"a": 1, "b": 0}),
     ValueError, "normalize=True"),
    ("expected_scores: an option without a code",
     lambda: sv.expected_scores(pd.DataFrame({"a": [0.5], "b": [0.5]}), {"a": 1}), ValueError, "no code for"),
    # env, models, results, server
    ("repo_root: not a path", lambda: henv.repo_root(5), ValueError, "folder path"),
    ("models.seed: one string", lambda: hm.seed("sentence-transformers/all-MiniLM-L6-v2", verbose=False),
     ValueError, "not a single string"),
    ("parse_results: missing notebook", lambda: hr.parse_results("/no/such/notebook.ipynb"),
     FileNotFoundError, "does not exist"),
    ("wait_for_health: not a URL", lambda: srv.wait_for_health(5, 1), ValueError, "http"),
    ("start_server: unknown device", lambda: srv.start_server(CHAT_MODEL, device="gpu"), ValueError, "device='gpu'"),
    ("start_server: unknown dtype", lambda: srv.start_server(CHAT_MODEL, dtype="float99"), ValueError, "dtype"),
    ("free_port: host not text", lambda: srv.free_port(5), ValueError, "host must be"),
]


@pytest.mark.parametrize("call, error, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_with_a_clear_message(call, error, words):
    with pytest.raises(error, match=words):
        call()


# ------------------------------------------------------------------------------------------ llm with a tokenizer
@pytest.fixture(scope="module")
def tok():
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(CHAT_MODEL)
    tokenizer.padding_side = "left"
    return tokenizer


# a stand-in that passes the model checks; every call below is refused before the model would run
FAKE_LM = SimpleNamespace(config=None, generate=lambda **kw: None, device="cpu")


@pytest.mark.parametrize("kwargs, words", [
    ({"few_shot": "an example"}, "few_shot must be a list of"),
    ({"few_shot": ["question", "answer"]}, r"few_shot\[0\] must be a \(user, assistant\) pair"),
    ({"few_shot": [("q", None)]}, r"few_shot\[0\]"),
    ({"few_shot": [("q", "a", "extra")]}, r"few_shot\[0\]"),
    ({"few_shot": [("q", "a"), ("q2", "  ")]}, r"few_shot\[1\]"),
    ({"few_shot": {"q": "a"}}, "got dict"),
    ({"few_shot": (pair for pair in [("q", "a")])}, "got generator"),
    ({"system": 5}, "system must be a string"),
])
def test_chat_prompts_checks_few_shot_and_system(tok, kwargs, words):
    with pytest.raises(ValueError, match=words):
        llm.chat_prompts(tok, ["Is it positive?"], **kwargs)


def test_chat_prompts_still_accepts_lists_and_tuples_of_pairs(tok):
    a = llm.chat_prompts(tok, ["q"], few_shot=[("q1", "a1")])
    b = llm.chat_prompts(tok, ["q"], few_shot=(["q1", "a1"],))
    assert a == b and "a1" in a[0]


@pytest.mark.parametrize("kwargs, error, words", [
    ({"do_sample": True, "seed": 1, "top_p": 1.5}, ValueError, "top_p"),
    ({"do_sample": True, "seed": 1, "top_p": 0}, ValueError, "top_p"),
    ({"do_sample": True, "seed": 1, "temperature": float("inf")}, ValueError, "temperature"),
    ({"seed": "1"}, ValueError, "seed must be a non-negative integer"),
    ({"seed": -3}, ValueError, "seed must be a non-negative integer"),
    ({"do_sample": "no"}, TypeError, "do_sample must be True or False"),
])
def test_generate_checks_sampling_arguments(tok, kwargs, error, words):
    with pytest.raises(error, match=words):
        llm.generate(FAKE_LM, tok, ["hi"], max_new_tokens=2, **kwargs)


def test_swapped_model_and_tokenizer_are_named(tok):
    with pytest.raises(ValueError, match="in that order"):
        llm.generate(tok, FAKE_LM, ["hi"], max_new_tokens=2)
    with pytest.raises(ValueError, match="in that order"):
        llm.score_labels(tok, FAKE_LM, ["hi"], ["yes", "no"])


def test_score_labels_keeps_one_label_for_raw_log_probabilities(tok):
    """normalize=False with one label is a real log-probability (Day 5a scores single candidates)."""
    with pytest.raises(ValueError, match="must be a causal language model"):    # got past the label checks
        llm.score_labels(object(), tok, ["hi"], ["yes"], normalize=False)


# ------------------------------------------------------------------------------------------ load_chat_model
@pytest.mark.parametrize("model_id", ENCODERS)
def test_load_chat_model_refuses_an_encoder(model_id):
    with pytest.raises(ValueError, match=r"not a causal \(decoder\) language model.*causal chat model"):
        llm.load_chat_model(model_id)


def test_load_chat_model_refuses_a_bad_device():
    with pytest.raises(ValueError, match="device='gpu'"):
        llm.load_chat_model(CHAT_MODEL, device="gpu")


def test_load_chat_model_refuses_a_causal_model_with_missing_weights(tmp_path, tok):
    """A causal architecture whose checkpoint lacks weights would be completed with random ones: refused."""
    import torch
    from safetensors.torch import load_file, save_file
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(vocab_size=len(tok), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=2, tie_word_embeddings=False)
    torch.manual_seed(0)
    LlamaForCausalLM(config).save_pretrained(tmp_path)
    tok.save_pretrained(tmp_path)
    weights = load_file(tmp_path / "model.safetensors")
    del weights["lm_head.weight"]
    save_file(weights, tmp_path / "model.safetensors", metadata={"format": "pt"})
    with pytest.raises(ValueError, match=r"lacks trained weights.*lm_head"):
        llm.load_chat_model(str(tmp_path))


# ------------------------------------------------------------------------------------------ bookkeeping
def test_cases_are_distinct_and_enough():
    """Every CASES entry names a distinct problem (a copy-pasted case would test nothing new)."""
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names)) and len(CASES) >= 40


def test_notebook_examples_of_parse_number_are_unchanged():
    """Day 4a shows parse_number on hand-written answers; the saved outputs must stay what they are."""
    nb = json.loads((Path(__file__).resolve().parents[1] / "day_4" / "4a_decoding_numeracy.ipynb").read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code" and "examples = [" in "".join(c["source"]))
    namespace: dict = {"parse_number": llm.parse_number, "pd": pd}
    exec("".join(cell["source"]).split("\npd.DataFrame")[0], namespace)
    got = [llm.parse_number(t) for t in namespace["examples"]]
    assert got == [25.0, 0.05, 1000.0, 0.5, 50.0, None, 47.0]


# ================================================================================================
# Round 2 probes: one parametrised case per bad (or valid but unusual) input; each must give a clear
# answer: the right result, or a refusal whose message names the argument and says what to pass.
# ``probe_outcome`` sorts an answer into clear / unclear (an error of the wrong kind, or whose message
# does not say what to do, or a refusal of a valid input) / silent (a plausible wrong result).
# ================================================================================================
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Expect:
    """What a clear answer is: ``error`` raised with a message matching ``words``, and/or a result for
    which ``ok(result)`` is true (either counts as clear when both are given)."""

    error: type | None = None
    words: str = ""
    ok: Callable | None = None


def probe_outcome(call, expect: Expect) -> str:
    try:
        result = call()
    except Exception as exc:          # noqa: BLE001 - every exception is sorted below
        if expect.error is not None and isinstance(exc, expect.error) and re.search(expect.words, str(exc)):
            return "clear"
        return f"unclear: {type(exc).__name__}: {exc}"
    if expect.ok is not None and expect.ok(result):
        return "clear"
    return f"silent: returned {result!r:.300}"


@functools.cache
def _tok2():
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(CHAT_MODEL)
    tokenizer.padding_side = "left"
    return tokenizer


@functools.cache
def _tiny_lm(arch: str = "llama", window: int = 32):
    """A one-layer random model with the course tokenizer and a short context window (fast, real forward passes)."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    if arch == "gpt2":      # absolute position embeddings: nothing exists past the window
        return GPT2LMHeadModel(GPT2Config(vocab_size=len(_tok2()), n_embd=16, n_layer=1, n_head=2,
                                          n_positions=window)).eval()
    return LlamaForCausalLM(LlamaConfig(vocab_size=len(_tok2()), hidden_size=16, intermediate_size=32,
                                        num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2,
                                        max_position_embeddings=window)).eval()


def _n_tokens(text: str) -> int:
    return len(_tok2()(text, add_special_tokens=False)["input_ids"])


def _prompt_of(n: int) -> str:
    """A raw prompt of exactly ``n`` tokens."""
    text = "Hello"
    while _n_tokens(text) < n:
        text += " a"
    assert _n_tokens(text) == n
    return text


LONG_CHAT = "Which party said this? " + "We will cut taxes and build roads. " * 8


def _data_copy(edit: dict | None = None, names=("sotu_paragraphs.csv",)) -> Path:
    """A private copy of some data files whose manifest matches them, edited by ``edit`` {name: frame -> frame}."""
    folder = Path(tempfile.mkdtemp(prefix="probe_data_")) / "data"
    folder.mkdir()
    sums = {}
    for name in names:
        raw = (ROOT / "data" / name).read_bytes()
        if edit and name in edit:
            df = edit[name](pd.read_csv(ROOT / "data" / name, dtype=str, keep_default_na=False))
            raw = df.to_csv(index=False, lineterminator="\n").encode("utf-8")
        (folder / name).write_bytes(raw)
        sums[name] = hashlib.sha256(raw).hexdigest()
    (folder / "SHA256SUMS").write_text("".join(f"{v}  {k}\n" for k, v in sorted(sums.items())), encoding="utf-8")
    return folder


def _in_folder(folder: Path, call):
    with contextlib.chdir(folder):
        return call()


def _same_frame(a):
    return lambda b: isinstance(b, pd.DataFrame) and a().equals(b)


def _cuda_or_mps_absent() -> bool:
    import torch

    return not torch.cuda.is_available() and not torch.backends.mps.is_available()


EMB6 = [[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9], [0.7, 0.7], [0.6, 0.8]]
MSG = [[{"role": "user", "content": "x"}]]

PROBES = [
    # ---- 1. NumPy scalars where Python numbers are accepted (bools still refused)
    ("c1 seed_everything: np.int64 seed", lambda: henv.seed_everything(np.int64(3)), Expect(ok=lambda r: r is None)),
    ("c1 setup: np.int64 seed", lambda: henv.setup(seed=np.int64(1), quiet=True).seed,
     Expect(ok=lambda r: r == 1 and type(r) is int)),
    ("c1 seed_everything: np.bool_ still refused", lambda: henv.seed_everything(np.bool_(True)),
     Expect(ValueError, "seed must be a non-negative integer")),
    ("c1 stratified_sample: np.int64 n", lambda: hd.stratified_sample(PARTY, np.int64(4), seed=0),
     Expect(ok=_same_frame(lambda: hd.stratified_sample(PARTY, 4, seed=0)))),
    ("c1 stratified_sample: np.bool_ n still refused", lambda: hd.stratified_sample(PARTY, np.bool_(True)),
     Expect(ValueError, "n must be a positive integer")),
    ("c1 chunk_paragraphs: np.int64 sizes",
     lambda: q.chunk_paragraphs(["a b c d e"], max_words=np.int64(3), overlap=np.int64(1))["text"].tolist(),
     Expect(ok=lambda r: r == ["a b c", "c d e"])),
    ("c1 extract_quotes: np.int64 min_words", lambda: q.extract_quotes('He said "we will win" twice.', np.int64(2)),
     Expect(ok=lambda r: r == ["we will win"])),
    ("c1 extract_with_retry: np.int64 max_retries",
     lambda: q.extract_with_retry(lambda c: ['{"a": 1}'] * len(c), MSG, _pydantic_schema(),
                                  max_retries=np.int64(0))[["ok", "attempts"]].iloc[0].tolist(),
     Expect(ok=lambda r: r == [True, 1])),
    ("c1 compare_similarity: np.float32 ci",
     lambda: sim.compare_similarity(*_frames(), n_boot=50, ci=np.float32(0.9), seed=0)["ci_low"].tolist(),
     Expect(ok=lambda r: np.allclose(r, sim.compare_similarity(*_frames(), n_boot=50, ci=0.9, seed=0)["ci_low"],
                                     atol=1e-3))),
    ("c1 port_is_free: np.int64 port", lambda: srv.port_is_free(np.int64(srv.free_port())),
     Expect(ok=lambda r: r is True)),
    ("c1 wait_for_health: np.float32 timeout",
     lambda: srv.wait_for_health(f"http://127.0.0.1:{srv.free_port()}/health", np.float32(0.2), interval=0.05),
     Expect(TimeoutError, "did not answer")),
    ("c1 generate: np.int64 max_new_tokens and batch_size",
     lambda: llm.generate(_tiny_lm(), _tok2(), ["Hello", "Hi there"], max_new_tokens=np.int64(2),
                          batch_size=np.int64(1)),
     Expect(ok=lambda r: r == llm.generate(_tiny_lm(), _tok2(), ["Hello", "Hi there"], max_new_tokens=2,
                                           batch_size=1))),
    ("c1 generate: np.float32 temperature/top_p, np.int64 seed",
     lambda: llm.generate(_tiny_lm(), _tok2(), ["Hello"], max_new_tokens=2, do_sample=True, seed=np.int64(3),
                          temperature=np.float32(0.5), top_p=np.float32(0.5)),
     Expect(ok=lambda r: r == llm.generate(_tiny_lm(), _tok2(), ["Hello"], max_new_tokens=2, do_sample=True,
                                           seed=3, temperature=float(np.float32(0.5)), top_p=0.5))),
    ("c1 score_labels: np.int64 batch_size",
     lambda: llm.score_labels(_tiny_lm(), _tok2(), ["Hello", "Hi"], ["yes", "no"], batch_size=np.int64(1),
                              progress=False).round(6).to_numpy().tolist(),
     Expect(ok=lambda r: r == llm.score_labels(_tiny_lm(), _tok2(), ["Hello", "Hi"], ["yes", "no"], batch_size=1,
                                               progress=False).round(6).to_numpy().tolist())),
    ("c1 check_whole_numbers: np.int64 value", lambda: hp.check_whole_numbers([("N", np.int64(5), 1)]),
     Expect(ok=lambda r: r is None)),
    # ---- 2. labels of mixed types: types kept, or refused with a clear error
    ("c2 leave_one_out: integer labels come back as integers",
     lambda: sim.leave_one_out_centroid_assign(EMB4, [1, 1, 2, 2]).tolist(),
     Expect(ok=lambda r: r == [1, 1, 2, 2] and all(type(v) is int for v in r))),
    ("c2 leave_one_out: 1 and '1' are not one label",
     lambda: sim.leave_one_out_centroid_assign(EMB6, [1, "1", 1, "1", 2, 2]),
     Expect(ValueError, r"labels mix types.*int.*str")),
    ("c2 leave_one_out: a Series of integers compares equal to itself",
     lambda: (sim.leave_one_out_centroid_assign(EMB4, pd.Series([7, 7, 9, 9])) == np.array([7, 7, 9, 9])).mean(),
     Expect(ok=lambda r: r == 1.0)),
    ("c2 validate_frame: text codes against integer allowed_values",
     lambda: hd.validate_frame(pd.DataFrame({"code": ["1", "2"]}), ["code"], allowed_values={"code": {1, 2}}),
     Expect(ValueError, r"column 'code' holds str values.*allowed_values.*int")),
    ("c2 validate_frame: integer codes against text allowed_values",
     lambda: hd.validate_frame(pd.DataFrame({"code": [1, 2]}), ["code"], allowed_values={"code": {"1", "2"}}),
     Expect(ValueError, r"column 'code' holds int.*allowed_values.*str")),
    ("c2 stratified_sample: 1 and '1' in the strata column",
     lambda: hd.stratified_sample(pd.DataFrame({"party": [1, "1"] * 4, "x": range(8)}), 4),
     Expect(ValueError, r"column 'party' mixes types")),
    ("c2 compare_similarity: integer items against text items",
     lambda: sim.compare_similarity(pd.DataFrame(np.eye(3), index=[1, 2, 3], columns=[1, 2, 3]),
                                    pd.DataFrame(np.eye(3), index=list("123"), columns=list("123")), n_boot=0),
     Expect(ValueError, r"different items.*types")),
    ("c2 expected_score: integer keys for text columns",
     lambda: q.expected_score(pd.DataFrame([[0.5, 0.5]], columns=["1", "2"]), {1: 1, 2: 2}),
     Expect(ValueError, r"scores.*int.*columns.*str")),
    ("c2 parse_choice: integer labels", lambda: llm.parse_choice("1", [1, 2]),
     Expect(ValueError, r"labels\[0\] is int 1, not text.*pass strings")),
    ("c2 score_labels: integer labels", lambda: llm.score_labels(None, None, ["p"], [1, 2]),
     Expect(ValueError, r"labels\[0\] is int 1")),
    ("c2 leave_one_out: integer ids against text ids",
     lambda: sim.leave_one_out_centroid_assign(pd.DataFrame(EMB4, index=[1, 2, 3, 4]),
                                               pd.Series(list("aabb"), index=["1", "2", "3", "4"])),
     Expect(ValueError, r"index labels differ.*int.*str")),
    # ---- 3. prompts longer than the context window
    ("c3 score_labels: prompt longer than the window",
     lambda: llm.score_labels(_tiny_lm(), _tok2(), [_prompt_of(40)], ["yes", "no"], progress=False),
     Expect(ValueError, r"prompts\[0\] has 40 tokens.*context window of 32")),
    ("c3 score_labels: prompt fits, prompt + label does not",
     lambda: llm.score_labels(_tiny_lm(), _tok2(), ["Hi", _prompt_of(31)], ["yes", "light sea green"],
                              progress=False),
     Expect(ValueError, r"prompts\[1\] has 31 tokens.*label.*context window of 32")),
    ("c3 score_labels: absolute positions (GPT-2 style)",
     lambda: llm.score_labels(_tiny_lm("gpt2"), _tok2(), [_prompt_of(40)], ["yes", "no"], progress=False),
     Expect(ValueError, r"40 tokens.*context window of 32")),
    ("c3 generate: prompt longer than the window",
     lambda: llm.generate(_tiny_lm(), _tok2(), ["Hi", _prompt_of(40)], max_new_tokens=2),
     Expect(ValueError, r"prompts\[1\] has 40 tokens.*context window of 32")),
    ("c3 generate: prompt + max_new_tokens beyond the window",
     lambda: llm.generate(_tiny_lm(), _tok2(), [_prompt_of(20)], max_new_tokens=20),
     Expect(ValueError, r"20 tokens.*max_new_tokens=20.*context window of 32.*max_new_tokens=12")),
    ("c3 generate: a chat prompt beyond a GPT-2 style window",
     lambda: llm.generate(_tiny_lm("gpt2"), _tok2(), llm.chat_prompts(_tok2(), [LONG_CHAT]), max_new_tokens=2),
     Expect(ValueError, r"tokens.*context window of 32")),
    # ---- 4. labels with leading or trailing spaces
    ("c4 score_labels: leading spaces",
     lambda: llm.score_labels(_tiny_lm(), _tok2(), ["Hi"], [" Democratic", " Republican"], progress=False),
     Expect(ValueError, r"labels\[0\] ' Democratic' has a leading or trailing space.*'Democratic'")),
    ("c4 score_labels: a trailing space",
     lambda: llm.score_labels(_tiny_lm(), _tok2(), ["Hi"], ["Democratic", "Republican "], progress=False),
     Expect(ValueError, r"labels\[1\] 'Republican ' has a leading or trailing space")),
    ("c4 score_labels: a leading newline",
     lambda: llm.score_labels(_tiny_lm(), _tok2(), ["Hi"], ["\nyes", "no"], progress=False),
     Expect(ValueError, r"labels\[0\] '\\nyes' has a leading or trailing space")),
    ("c4 parse_choice: a leading space", lambda: llm.parse_choice("Democratic.", [" Democratic", "Republican"]),
     Expect(ValueError, r"labels\[0\] ' Democratic' has a leading or trailing space")),
    # ---- 5. an empty system prompt
    ("c5 chat_prompts: system='' is an empty system message, not the model's default",
     lambda: llm.chat_prompts(_tok2(), ["Hi"], system="")[0],
     Expect(ok=lambda r: "<|im_start|>system\n<|im_end|>" in r and "SmolLM" not in r)),
    ("c5 chat_prompts: system=None keeps the model's default",
     lambda: llm.chat_prompts(_tok2(), ["Hi"], system=None)[0], Expect(ok=lambda r: "SmolLM" in r)),
    # ---- 6. numbers with spaced thousands, a decimal comma, a spaced range
    ("c6 parse_number: '1 000'", lambda: llm.parse_number("1 000"), Expect(ok=lambda r: r in (None, 1000.0))),
    ("c6 parse_number: 'It costs 10 000 dollars'", lambda: llm.parse_number("It costs 10 000 dollars"),
     Expect(ok=lambda r: r in (None, 10000.0))),
    ("c6 parse_number: 'Answer: 10 000'", lambda: llm.parse_number("Answer: 10 000"),
     Expect(ok=lambda r: r in (None, 10000.0))),
    ("c6 parse_number: no-break space thousands", lambda: llm.parse_number("1\u00a0000 people"),
     Expect(ok=lambda r: r == 1000.0)),
    ("c6 parse_number: narrow no-break space thousands", lambda: llm.parse_number("Answer: 12\u202f500"),
     Expect(ok=lambda r: r == 12500.0)),
    ("c6 parse_number: '1.000,5'", lambda: llm.parse_number("It is 1.000,5"), Expect(ok=lambda r: r is None)),
    ("c6 parse_number: 'Answer: 1.234,56 euros'", lambda: llm.parse_number("Answer: 1.234,56 euros"),
     Expect(ok=lambda r: r is None)),
    ("c6 parse_number: 'Answer: 3,5'", lambda: llm.parse_number("Answer: 3,5"), Expect(ok=lambda r: r is None)),
    ("c6 parse_number: '10 - 20'", lambda: llm.parse_number("10 - 20"), Expect(ok=lambda r: r is None)),
    ("c6 parse_number: 'The answer is 10 - 20 days'", lambda: llm.parse_number("The answer is 10 - 20 days"),
     Expect(ok=lambda r: r is None)),
    ("c6 parse_number: 'between 10 - 20 people'", lambda: llm.parse_number("between 10 - 20 people"),
     Expect(ok=lambda r: r is None)),
    ("c6 parse_number: a list ending in a negative number keeps its last number",
     lambda: llm.parse_number("log p: -4.86 -3.79 -0.59"), Expect(ok=lambda r: r == -0.59)),
    ("c6 parse_number: '10 — 20' (em dash)", lambda: llm.parse_number("Answer: 10 — 20"),
     Expect(ok=lambda r: r is None)),
    # ---- 7. data files cut short, relative or file paths as data_dir
    ("c7 load_sotu: cut short, checksum rewritten",
     lambda: hd.load_sotu(data_dir=_data_copy({"sotu_paragraphs.csv": lambda df: df.iloc[:2000]})),
     Expect(ValueError, r"sotu_paragraphs\.csv has 2000 rows, expected \d+ \(data/README\.md\)")),
    ("c7 load_sotu: the test split relabelled train",
     lambda: hd.load_sotu(data_dir=_data_copy({"sotu_paragraphs.csv": lambda df: df.assign(split="train")})),
     Expect(ValueError, r"split column has \{'train'.*expected both 'train' and 'test'")),
    ("c7 load_numeracy: 50 of 60 generated problems",
     lambda: hd.load_numeracy("generated", data_dir=_data_copy({"numeracy_generated.csv": lambda df: df.iloc[:50]},
                                                               names=("numeracy_generated.csv",))),
     Expect(ValueError, r"has 50 rows, expected 60")),
    ("c7 load_gss: a respondent short",
     lambda: hd.load_gss(data_dir=_data_copy({"gss2018_spending.csv": lambda df: df.iloc[1:]},
                                             names=("gss2018_spending.csv",))),
     Expect(ValueError, r"has 2347 rows, expected 2348")),
    ("c7 load_sotu: relative data_dir from a day folder",
     lambda: _in_folder(ROOT / "day_3", lambda: hd.load_sotu(data_dir="data")),
     Expect(FileNotFoundError, r"data_dir='data'.*day_3/data.*current folder.*leave data_dir out")),
    ("c7 load_sotu: data_dir is a file",
     lambda: hd.load_sotu(data_dir=ROOT / "data" / "sotu_paragraphs.csv"),
     Expect(ValueError, r"data_dir must be a folder.*sotu_paragraphs\.csv is a file.*data_dir=.*/data'?")),
    ("c7 read_verified: a folder without the file",
     lambda: hd.read_verified("sotu_paragraphs.csv", data_dir=Path(tempfile.mkdtemp())),
     Expect(FileNotFoundError, r"sotu_paragraphs\.csv is missing.*data_dir.*leave data_dir out")),
    ("c7 load_glove: folder is a file", lambda: hsv.load_glove(ROOT / "data" / "SHA256SUMS"),
     Expect(ValueError, r"folder must be a folder.*SHA256SUMS is a file")),
    # ---- 8. a GPU device on a machine without one
    ("c8 pick_dtype: cuda without a GPU", lambda: henv.pick_dtype("cuda"),
     Expect(ValueError, r"no CUDA GPU.*device='cpu'")),
    ("c8 load_chat_model: cuda without a GPU", lambda: llm.load_chat_model(CHAT_MODEL, device="cuda"),
     Expect(ValueError, r"device='cuda'.*no CUDA GPU.*device='cpu'")),
    ("c8 load_chat_model: cuda:1 without a GPU", lambda: llm.load_chat_model(CHAT_MODEL, device="cuda:1"),
     Expect(ValueError, r"device='cuda:1'.*no CUDA GPU.*device='cpu'")),
    ("c8 load_chat_model: mps without Apple's backend", lambda: llm.load_chat_model(CHAT_MODEL, device="mps"),
     Expect(ValueError, r"device='mps'.*not available.*device='cpu'")),
    ("c8 start_server: cuda without a GPU",
     lambda: srv.start_server(CHAT_MODEL, device="cuda", timeout=5),
     Expect(ValueError, r"device='cuda'.*no CUDA GPU.*device='cpu'")),
    # ---- 9. messages name the argument and say what to pass
    ("c9 validate_frame: not a frame", lambda: hd.validate_frame([1, 2], ["x"]),
     Expect(ValueError, r"\bdf\b.*pd\.read_csv")),
    ("c9 stratified_sample: unknown column", lambda: hd.stratified_sample(PARTY, 4, by="partei"),
     Expect(ValueError, r"by='partei'.*found \['party', 'x'\]")),
    ("c9 stratified_sample: df not a frame", lambda: hd.stratified_sample([1, 2], 1),
     Expect(ValueError, r"df must be a pandas DataFrame.*pd\.DataFrame")),
    ("c9 top_k: a zero query vector", lambda: q.top_k([0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]], k=1),
     Expect(ValueError, r"query_embedding.*zero")),
    ("c9 top_k: a zero chunk vector", lambda: q.top_k([1.0, 0.0], [[1.0, 0.0], [0.0, 0.0]], k=1),
     Expect(ValueError, r"chunk_embeddings row 1.*zero")),
    ("c9 leave_one_out: an all-zero row", lambda: sim.leave_one_out_centroid_assign([[0, 0], [1, 0], [0, 1],
                                                                                    [1, 1]], list("aabb")),
     Expect(ValueError, r"embeddings row 0 is all zeros.*drop")),
    ("c9 compare_similarity: NaN below the diagonal",
     lambda: sim.compare_similarity(np.array([[1, 0, 0], [np.nan, 1, 0], [0.2, 0.3, 1]]), np.eye(3)),
     Expect(ValueError, r"predicted has NaN or infinite")),
    ("c9 score_labels: duplicate labels", lambda: llm.score_labels(None, None, ["p"], ["yes", "yes"]),
     Expect(ValueError, r"labels contain duplicates.*\['yes'\].*each label once")),
    ("c9 extract_with_retry: too many replies",
     lambda: q.extract_with_retry(lambda c: ["{}", "{}"], MSG, _pydantic_schema()),
     Expect(ValueError, r"generate_batch returned 2 replies for 1 conversations.*one reply per conversation")),
    ("c9 snapshot_dir: unknown model", lambda: hm.snapshot_dir("gpt2", home=tempfile.gettempdir()),
     Expect(ValueError, r"hub_id='gpt2' is not one of the offline models")),
    ("c9 pick_device: mps without Apple's backend", lambda: henv.pick_device("mps"),
     Expect(ValueError, r"device='mps'.*not available.*device='cpu'")),
    ("c9 verify_quote: only punctuation", lambda: q.verify_quote("...", "source text"),
     Expect(ValueError, r"quote.*no words.*pass")),
    ("c9 load_chat_model: empty model_id", lambda: llm.load_chat_model(""),
     Expect(ValueError, r"model_id must be a Hub ID.*got ''")),
]


def _pydantic_schema():
    from pydantic import BaseModel

    class Claim(BaseModel):
        a: int

    return Claim


@pytest.mark.parametrize("name, call, expect", PROBES, ids=[p[0] for p in PROBES])
def test_round2_probe_gets_a_clear_answer(name, call, expect):
    if ("cuda" in name or "mps" in name) and not _cuda_or_mps_absent():
        pytest.skip("a GPU is present")
    assert probe_outcome(call, expect) == "clear"


def test_round2_probes_are_distinct_and_enough():
    names = [p[0] for p in PROBES]
    assert len(names) == len(set(names)) and len(PROBES) >= 40


def test_data_readme_documents_the_rows_of_every_file_the_loaders_check():
    """The loaders compare each file's rows with data/README.md's table: every data file must be in it."""
    rows = hd._documented_rows(ROOT / "data" / "README.md")
    listed = [line.split("  ")[1] for line in (ROOT / "data" / "SHA256SUMS").read_text().splitlines() if line]
    assert {name for name in listed if not name.endswith(".pdf")} <= set(rows)


def test_text_labels_and_default_system_prompt_are_unchanged():
    """What the notebooks pass (text labels, system=None or a text) gives what it gave before."""
    got = sim.leave_one_out_centroid_assign(EMB4, pd.Series(["a", "a", "b", "b"]))
    assert got.dtype == object and [type(v) for v in got] == [np.str_] * 4 and got.tolist() == ["a", "a", "b", "b"]
    tok = _tok2()
    default = tok.apply_chat_template([{"role": "user", "content": "Hi"}], tokenize=False, add_generation_prompt=True)
    assert llm.chat_prompts(tok, ["Hi"]) == [default]
    own = tok.apply_chat_template([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
                                  tokenize=False, add_generation_prompt=True)
    assert llm.chat_prompts(tok, ["Hi"], system="Be brief.") == [own]
