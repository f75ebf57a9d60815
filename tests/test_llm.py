"""helpers.llm and helpers.evaluation: real SmolLM2 behaviour, batching invariance, parsing, bad inputs."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers import evaluation as ev
from helpers import llm

MODEL = "HuggingFaceTB/SmolLM2-135M-Instruct"
REVIEWS = ["I loved every minute, wonderful!", "Terrible, a complete waste of time."]


@pytest.fixture(scope="module")
def chat():
    return llm.load_chat_model(MODEL)


def test_load_sets_left_padding_and_pad_token(chat):
    tok, lm = chat
    assert tok.padding_side == "left" and tok.pad_token is not None and not lm.training


def test_score_labels_probabilities_and_sensible_answers(chat):
    tok, lm = chat
    prompts = llm.chat_prompts(tok, ["Is the sentiment of this review positive or negative? Answer with one word."
                                     f"\n\nReview: {r}" for r in REVIEWS])
    probs = llm.score_labels(lm, tok, prompts, ["positive", "negative"])
    assert probs.shape == (2, 2)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-6)
    assert probs.idxmax(axis=1).tolist() == ["positive", "negative"]


def test_score_labels_without_progress_bar_gives_the_same_numbers_and_checks_the_switch(chat, capsys):
    tok, lm = chat
    prompts = llm.chat_prompts(tok, ["What is 2 + 3? Answer with a number only."])
    shown = llm.score_labels(lm, tok, prompts, ["5", "6"], normalize=False)
    assert "scoring" in capsys.readouterr().err                    # the bar is drawn by default
    hidden = llm.score_labels(lm, tok, prompts, ["5", "6"], normalize=False, progress=False)
    assert "scoring" not in capsys.readouterr().err
    np.testing.assert_allclose(shown.to_numpy(), hidden.to_numpy())
    with pytest.raises(TypeError, match="progress must be True or False"):
        llm.score_labels(lm, tok, prompts, ["5", "6"], progress="no")


def test_score_labels_does_not_depend_on_batch_size_and_handles_multitoken_labels(chat):
    tok, lm = chat
    prompts = llm.chat_prompts(tok, ["Which party? Answer Democratic or Republican.\n\nWe will cut taxes.",
                                     "Which party? Answer Democratic or Republican.\n\nHealth care for all.",
                                     "Say a colour."])
    labels = ["Democratic", "Republican", "light sea green"]  # the last label is several tokens
    assert len(tok("light sea green", add_special_tokens=False)["input_ids"]) > 1
    one = llm.score_labels(lm, tok, prompts, labels, batch_size=1, normalize=False)
    many = llm.score_labels(lm, tok, prompts, labels, batch_size=3, normalize=False)
    np.testing.assert_allclose(one.values, many.values, atol=1e-3)
    # the summed log-probability equals a hand computation for the multi-token label
    ids = tok(prompts[2] + "light sea green", return_tensors="pt", add_special_tokens=False)["input_ids"]
    n = len(tok("light sea green", add_special_tokens=False)["input_ids"])
    with torch.no_grad():
        lp = torch.log_softmax(lm(ids).logits[0].float(), -1)
    manual = sum(lp[t - 1, ids[0, t]].item() for t in range(ids.shape[1] - n, ids.shape[1]))
    assert abs(manual - one.iloc[2, 2]) < 1e-2


def _plain_label_logprobs(tok, lm, prompts, labels):
    """The definition, computed the slow and obvious way: one unpadded forward pass per (prompt, label)."""
    out = np.zeros((len(prompts), len(labels)))
    for i, prompt in enumerate(prompts):
        p = tok(prompt, add_special_tokens=False)["input_ids"]
        for j, label in enumerate(labels):
            lab = tok(label, add_special_tokens=False)["input_ids"]
            with torch.no_grad():
                lp = torch.log_softmax(lm(torch.tensor([p + lab])).logits[0].float(), -1)
            out[i, j] = sum(lp[len(p) - 1 + t, lab[t]].item() for t in range(len(lab)))
    return out


@pytest.fixture(scope="module")
def plain_reference() -> dict[str, np.ndarray]:
    """The slow one-pass-per-label reference, per prompt case; it does not depend on the batch size."""
    return {}


@pytest.mark.parametrize("case", ["shared system prompt", "no shared prefix", "identical prompts", "one prompt"])
@pytest.mark.parametrize("batch_size", [1, 2, 8])
def test_score_labels_equals_one_plain_pass_per_prompt_and_label(chat, plain_reference, case, batch_size):
    """Prefix caching, label tokens over the cache, length sorting and padding change nothing."""
    tok, lm = chat
    questions = ["Which party? Answer Democratic or Republican.\n\nWe will cut taxes and defend freedom everywhere.",
                 "Which party? Answer Democratic or Republican.\n\nHealth care for all.",
                 "Say a colour.", "Rate the meal from 1 to 5. One digit."]
    prompts = {"shared system prompt": llm.chat_prompts(tok, questions, system="You are helpful."),
               "no shared prefix": ["The cat sat on the", "Dogs are", "A", "Rate the meal from 1 to 5:"],
               "identical prompts": llm.chat_prompts(tok, questions[:1] * 3),
               "one prompt": llm.chat_prompts(tok, questions[2:3])}[case]
    # two labels share their first token ("Too"), one is several tokens, digits are single tokens
    labels = ["Democratic", "Republican", "Too little", "Too much", "light sea green", "1", "5"]
    first_token = [tok(label, add_special_tokens=False)["input_ids"][0] for label in ("Too little", "Too much")]
    assert first_token[0] == first_token[1]
    got = llm.score_labels(lm, tok, prompts, labels, batch_size=batch_size, normalize=False)
    assert list(got.columns) == labels and len(got) == len(prompts)
    if case not in plain_reference:                          # computed once per case, for the first batch size
        plain_reference[case] = _plain_label_logprobs(tok, lm, prompts, labels)
    np.testing.assert_allclose(got.to_numpy(), plain_reference[case], atol=1e-4)
    probs = llm.score_labels(lm, tok, prompts, labels, batch_size=batch_size)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-9)
    assert (probs.to_numpy() > 0).all()


def test_score_labels_keeps_the_input_order_when_lengths_differ(chat):
    tok, lm = chat
    reviews = ["Awful.", "I loved every minute of this wonderful, warm and funny film; the best evening in years!",
               "Terrible acting, a boring plot and a complete waste of two hours of my life.", "Great!"]
    prompts = llm.chat_prompts(tok, [f"Is this review positive or negative? One word.\n\nReview: {r}" for r in reviews])
    batched = llm.score_labels(lm, tok, prompts, ["positive", "negative"], batch_size=4)
    alone = [llm.score_labels(lm, tok, [p], ["positive", "negative"]).iloc[0].to_numpy() for p in prompts]
    np.testing.assert_allclose(batched.to_numpy(), np.stack(alone), atol=1e-4)


def test_score_labels_runs_in_bfloat16_and_agrees_with_float32(chat):
    """The half-precision path (GPUs, CPUs with bfloat16 units; used by `make bench`) gives the same answers."""
    tok, lm = chat
    _, lm16 = llm.load_chat_model(MODEL, dtype=torch.bfloat16)
    assert next(lm16.parameters()).dtype == torch.bfloat16
    prompts = llm.chat_prompts(tok, [f"Is this review positive or negative? One word.\n\nReview: {r}" for r in REVIEWS])
    labels = ["positive", "negative", "not sure"]
    full = llm.score_labels(lm, tok, prompts, labels)
    half = llm.score_labels(lm16, tok, prompts, labels)
    assert half.dtypes.eq(float).all()
    np.testing.assert_allclose(half.to_numpy(), full.to_numpy(), atol=0.05)
    assert half.idxmax(axis=1).tolist() == full.idxmax(axis=1).tolist() == ["positive", "negative"]


def test_batched_greedy_generation_matches_one_by_one(chat):
    tok, lm = chat
    prompts = llm.chat_prompts(tok, ["What is the capital of France?", "Name a colour.",
                                     "Say hello in German, please, in one word."])
    single = [llm.generate(lm, tok, [p], max_new_tokens=8)[0] for p in prompts]
    batched, counts = llm.generate(lm, tok, prompts, max_new_tokens=8, batch_size=3, return_token_counts=True)
    assert batched == single
    assert "Paris" in batched[0]
    assert all(1 <= c <= 8 for c in counts)
    texts, counts2, stopped = llm.generate(lm, tok, prompts, max_new_tokens=8, batch_size=3, return_token_counts=True,
                                           return_stopped=True)
    assert texts == batched and counts2 == counts
    # an answer that did not produce the end-of-sequence token used the whole budget
    assert all(c == 8 for c, s in zip(counts, stopped) if not s)
    texts_only, stopped_only = llm.generate(lm, tok, prompts[:1], max_new_tokens=1, return_stopped=True)
    assert stopped_only == [False] and len(texts_only) == 1           # one token: cut off


def test_seeded_sampling_is_reproducible(chat):
    tok, lm = chat
    prompts = llm.chat_prompts(tok, ["Tell me a word."] * 2)
    a = llm.generate(lm, tok, prompts, max_new_tokens=6, do_sample=True, seed=3)
    b = llm.generate(lm, tok, prompts, max_new_tokens=6, do_sample=True, seed=3)
    assert a == b


@pytest.mark.parametrize("text, expected", [
    ("Republican", "Republican"), ("answer: democratic.", "Democratic"),
    ("It is Democratic, not Republican", "Democratic"), ("I am not sure", None),
    ("Republicans!", None),  # not a whole-word match: counted as unparsed, not guessed
])
def test_parse_choice(text, expected):
    assert llm.parse_choice(text, ["Democratic", "Republican"]) == expected


def test_parse_choice_prefers_longer_label_at_same_position():
    assert llm.parse_choice("Democratic", ["Democrat", "Democratic"]) == "Democratic"


@pytest.mark.parametrize("text, expected", [
    ("The answer is 42.", 42.0), ("5 cents", 5.0), ("Final answer: 1,250", 1250.0),
    ("so x = 0.05", 0.05), ("It is 1/2", 0.5), ("25%", 25.0), ("First 3, then 4, then 9", 9.0),
    ("Answer: $100 after 3 steps", 100.0), ("none", None), ("−7", -7.0),
])
def test_parse_number(text, expected):
    assert llm.parse_number(text) == expected


@pytest.mark.parametrize("call, words", [
    (lambda t, m: llm.generate(m, t, [], max_new_tokens=4), "empty"),
    (lambda t, m: llm.generate(m, t, "a single string", max_new_tokens=4), "list of strings"),
    (lambda t, m: llm.generate(m, t, ["ok", "  "], max_new_tokens=4), "empty or non-string"),
    (lambda t, m: llm.generate(m, t, ["ok"], max_new_tokens=0), "positive integer"),
    (lambda t, m: llm.generate(m, t, ["ok"], do_sample=True), "seed"),
    (lambda t, m: llm.generate(m, t, ["ok"], do_sample=True, seed=1, temperature=0), "temperature"),
    (lambda t, m: llm.score_labels(m, t, ["ok"], ["a", "a"]), "duplicates"),
    (lambda t, m: llm.score_labels(m, t, ["ok"], []), "empty"),
    (lambda t, m: llm.parse_choice(None, ["a"]), "string"),
    (lambda t, m: llm.parse_number(3), "string"),
    (lambda t, m: llm.load_chat_model("no-such-org/no-such-model"), "Could not load"),
])
def test_llm_bad_inputs(chat, call, words):
    tok, lm = chat
    with pytest.raises(ValueError, match=words):
        call(tok, lm)


def test_left_padding_is_required(chat):
    tok, lm = chat
    tok.padding_side = "right"
    try:
        with pytest.raises(ValueError, match="left"):
            llm.generate(lm, tok, ["hi"], max_new_tokens=2)
    finally:
        tok.padding_side = "left"


def test_evaluate_counts_unparsed_as_errors_and_reports_baselines():
    res = ev.evaluate(["a", "a", "a", "b"], ["a", None, "b", "b"], labels=["a", "b"])
    assert res["accuracy"] == 0.5 and res["unparsed"] == 1
    assert res["accuracy_parsed"] == pytest.approx(2 / 3)
    assert res["majority_baseline"] == 0.75 and res["chance"] == 0.5
    assert res["ci_low"] < 0.5 < res["ci_high"]
    table = ev.confusion_table(["a", "a", "a", "b"], ["a", None, "b", "b"], ["a", "b"])
    assert table.loc["a", ev.UNPARSED] == 1 and table.values.sum() == 4


def test_wilson_interval_edges():
    lo, hi = ev.wilson_interval(0, 10)
    assert lo == 0 and 0 < hi < 0.35
    lo, hi = ev.wilson_interval(10, 10)
    assert hi == pytest.approx(1) and lo > 0.65


@pytest.mark.parametrize("call, words", [
    (lambda: ev.evaluate([], []), "empty"),
    (lambda: ev.evaluate(["a"], ["a", "b"]), "never drop"),
    (lambda: ev.evaluate(["a", None], ["a", "a"]), "missing labels"),
    (lambda: ev.evaluate(["a", "c"], ["a", "a"], labels=["a", "b"]), "not in labels"),
    (lambda: ev.evaluate(["a"], ["z"], labels=["a", "b"]), "not in labels"),
    (lambda: ev.wilson_interval(5, 0), "positive integer"),
    (lambda: ev.wilson_interval(11, 10), "between 0 and n"),
    (lambda: ev.results_table({}), "at least one"),
])
def test_evaluation_bad_inputs(call, words):
    with pytest.raises(ValueError, match=words):
        call()


@pytest.mark.parametrize("value, truth, expected", [
    (5.0, 5, True), (0.05, 0.05, True), (11.4, 11.45, True),      # within 1% of the answer
    (11.0, 11.45, False), (24.0, 47, False), (-5.0, 5, False),
    (0.004, 0.0, True), (0.02, 0.0, False),                         # near zero: the absolute tolerance
    (None, 5, False), (float("nan"), 5, False), (np.float32(2.0), np.int64(2), True),
])
def test_numbers_match(value, truth, expected):
    assert llm.numbers_match(value, truth) is expected


@pytest.mark.parametrize("args, error, words", [
    (("5", 5), TypeError, "parse_number first"),
    ((5.0, "5"), TypeError, "truth must be a number"),
    ((True, 1), TypeError, "value must be a number"),
    ((5.0, float("nan")), ValueError, "answer key"),
    ((5.0, 5, -0.1), ValueError, "rel_tol"),
    ((5.0, 5, 0.01, float("inf")), ValueError, "abs_tol"),
])
def test_numbers_match_bad_inputs(args, error, words):
    with pytest.raises(error, match=words):
        llm.numbers_match(*args)


def test_parse_choice_with_synonyms_reads_meaning_and_stays_strict_without():
    parse_choice = llm.parse_choice
    labels = ["Democratic", "Republican"]
    synonyms = {"Democrat": "Democratic", "Democrats": "Democratic", "Republicans": "Republican", "GOP": "Republican"}
    assert parse_choice("The president was indeed a Democrat.", labels) is None
    assert parse_choice("The president was indeed a Democrat.", labels, synonyms=synonyms) == "Democratic"
    assert parse_choice("a GOP president, not a Democrat", labels, synonyms=synonyms) == "Republican"   # earliest wins
    assert parse_choice("Democratic", labels, synonyms=synonyms) == "Democratic"       # the label itself still counts
    assert parse_choice("Democratically", labels, synonyms=synonyms) is None           # whole words only
    with pytest.raises(ValueError, match="not one of the labels"):
        parse_choice("x", labels, synonyms={"Democrat": "Liberal"})
    with pytest.raises(ValueError, match="synonyms must be a dict"):
        parse_choice("x", labels, synonyms=[("Democrat", "Democratic")])
    with pytest.raises(ValueError, match="synonyms keys must be words"):
        parse_choice("x", labels, synonyms={" Democrat": "Democratic"})
    with pytest.raises(ValueError, match="already stands for"):
        parse_choice("x", labels, synonyms={"republican": "Democratic"})


@pytest.mark.parametrize("text, expected", [
    ("The president was not a Democrat, but rather", None),
    ("The president was not a Republican, but rather a Democratic", "Democratic"),
    ("He was neither a Democrat nor a Republican.", None),
    ("Not Republican. Democratic.", "Democratic"),
    ("A Republican, not a Democrat.", "Republican"),
    ("The president was a Democrat.", "Democratic"),
])
def test_parse_choice_skips_negated_labels_when_asked(text, expected):
    labels = ["Democratic", "Republican"]
    synonyms = {"Democrat": "Democratic"}
    assert llm.parse_choice(text, labels, synonyms=synonyms, negations=True) == expected
    with pytest.raises((TypeError, ValueError), match="negations"):
        llm.parse_choice(text, labels, negations="yes")
