"""The tolerant notebook comparison (tests/nbcompare.py): float jitter passes, anything else fails."""
from __future__ import annotations

import pytest

from nbcompare import compare, compare_text, compare_values, numbers_agree

HTML_ROW = "<tr><th>{0}</th><td>{1}</td><td>{2}</td></tr>"

# Pairs a different CPU or kernel path may produce: the same result.
SAME = [
    ("loss -14.505", "loss -14.504"),                              # rounding boundary, last digit
    ("perplexity 10711.730", "perplexity 10711.720"),              # 1e-6 relative
    ("p = 0.000", "p = -0.000"),                                   # negative zero
    ("r = 0.4281, 0.4280", "r = 0.4282, 0.4280"),
    ("1.234e-05", "1.235e-05"),                                    # one unit, scientific notation
    ("mean 12345.6", "mean 12345.7"),                              # 8e-6 relative, 1 decimal
    ("  acc  0.50\n  n  100", "  acc  0.51\n  n  100"),            # 2 decimals: one unit allowed
    (HTML_ROW.format("zero-shot", "0.512", "12"), HTML_ROW.format("zero-shot", "0.513", "12")),
    ("           AUC    acc\nA      0.617  0.500\nB      0.598  0.560",
     "           AUC    acc\nA      0.618  0.500\nB      0.598  0.560"),
    ("SmolLM2 day_1 3a k=2", "SmolLM2 day_1 3a k=2"),
    ("             gap\nno persona  -0.000\nfull        -0.017",           # pandas pads to the widest
     "             gap\nno persona   0.000\nfull        -0.017"),
]

# Pairs that say something different: each must fail.
DIFFERENT = [
    ("Republican", "Democratic"),                                  # a changed label
    ("the answer is 42", "the answer is 43"),                     # a changed count (integers exact)
    ("accuracy 0.500", "accuracy 0.510"),                          # ten units
    ("share 0.5", "share 0.6"),                                    # one decimal: no unit allowance
    ("p 0.0012", "p 0.0015"),
    ("line one\nline two", "line one"),                            # a missing line
    ("a b c", "a b d"),                                            # a changed word
    ("0.5 0.6", "0.5"),                                            # a missing number
    (HTML_ROW.format("zero-shot", "0.512", "12"), HTML_ROW.format("few-shot", "0.512", "12")),
    (HTML_ROW.format("a", "1", "2"), HTML_ROW.format("a", "1", "2") + HTML_ROW.format("b", "3", "4")),  # shape
    ("[5 rows x 3 columns]", "[6 rows x 3 columns]"),
    ("12 unparseable", "13 unparseable"),
    ("2016", "2017"),
    ("score 3.0", "score 3.5"),
    ("full  0.5\nparty  0.4", "full  0.5 party  0.4"),                    # a line break is not padding
    ("no persona 0.1", "nopersona 0.1"),                                  # words stay words
]


@pytest.mark.parametrize("ref, new", SAME)
def test_float_jitter_passes(ref, new):
    result = compare_text(ref, new)
    assert result.ok, result.reason
    assert result.exact == (ref == new)


@pytest.mark.parametrize("ref, new", DIFFERENT)
def test_a_real_change_fails(ref, new):
    result = compare_text(ref, new)
    assert not result.ok
    assert result.reason
    assert not compare_text(new, ref).ok   # symmetric


def test_exact_match_reports_exact_and_tolerant_reports_size():
    assert compare_text("x 1.000", "x 1.000").exact
    result = compare_text("perplexity 10711.730", "perplexity 10711.720")
    assert result.ok and not result.exact and 0 < result.max_rel < 1e-5


def test_number_rules_directly():
    assert numbers_agree("12", "12") == (True, 0.0)
    assert not numbers_agree("12", "13")[0]
    assert numbers_agree("0", "0.0")[0]            # the same number, shown differently
    assert not numbers_agree("100.0", "100.1")[0]  # 1e-3 relative, one decimal


def test_json_outputs_compare_by_value():
    ref = {"name": "nb", "results": {"n": 150, "gap": 0.0, "tv": 0.3414, "label": "x", "per": [0.5, 1]}}
    assert compare_values(ref, {**ref, "results": {**ref["results"], "gap": 0}}).ok     # 0 vs 0.0
    assert compare_values(ref, {**ref, "results": {**ref["results"], "tv": 0.3415}}).ok  # recorded precision
    for change in ({"n": 151}, {"tv": 0.35}, {"label": "y"}, {"per": [0.5]}, {"per": [0.5, 2]}):
        assert not compare_values(ref, {**ref, "results": {**ref["results"], **change}}).ok, change
    missing = {k: v for k, v in ref["results"].items() if k != "tv"}
    assert not compare_values(ref, {**ref, "results": missing}).ok
    assert not compare_values({"flag": True}, {"flag": 1}).ok
    assert compare(ref, ref).exact


def test_comparison_of_outputs_keeps_nbval_semantics(monkeypatch):
    """The nbval replacement: a missing output kind, an extra output and a changed one all fail."""
    import types
    from collections import defaultdict

    import nbformat

    import nbval_tolerant
    from nbval_tolerant import tolerant_compare_outputs

    stats = defaultdict(lambda: [0, 0, 0.0, None])
    monkeypatch.setattr(nbval_tolerant, "STATS", stats)   # keep the run's own summary clean

    item = types.SimpleNamespace(parent=types.SimpleNamespace(skip_compare=("metadata", "output_type", "name",
                                                                              "execution_count", "traceback")),
                                 sanitize=lambda s: s, nodeid="day_0/demo.ipynb::Cell 1", cell_num=1)

    def stream(text):
        return nbformat.v4.new_output("stream", name="stdout", text=text)

    def table(v):
        return nbformat.v4.new_output("display_data", data={"text/plain": f"acc {v}", "text/html": f"<td>{v}</td>"})

    def ok(ref, new):
        return tolerant_compare_outputs(item, new, ref)

    assert ok([stream("loss -14.505\n"), table("0.512")], [stream("loss -14.504\n"), table("0.513")])
    assert not ok([stream("a\n"), table("0.512")], [stream("a\n")])                  # missing output
    assert not ok([stream("a\n")], [stream("a\n"), table("0.5")])                    # unexpected output
    assert not ok([table("0.512"), table("0.6")], [table("0.512")])                  # one fewer table
    assert not ok([table("0.512")], [table("0.612")])
    assert "differs" in item.comparison_traceback[0]
    exact, tolerant, max_rel, cell = stats["day_0/demo.ipynb"]
    assert (exact, tolerant, cell) == (0, 3, 1) and 1e-3 < max_rel < 1e-2   # counted for the summary


def test_key_results_are_compared_with_their_own_tolerances():
    """The key-results display is compared key by key with tests/expected_results tolerances, not as text."""
    from nbval_tolerant import _compare_key_results, _key_results

    name = "day4b_solutions"                          # gap_r_across_items has tol 0.15 there, real_gap 1e-4
    committed = {"name": name, "results": {"gap_r_across_items": 0.2686, "real_gap": [0.4173, -0.5401],
                                           "items": ["natenvir", "natarms"], "n_respondents": 31}}
    drift = {"name": name, "results": dict(committed["results"], gap_r_across_items=0.2688)}
    assert _compare_key_results([committed], [drift]) == []                   # within its tolerance
    moved = {"name": name, "results": dict(committed["results"], real_gap=[0.4273, -0.5401])}
    assert _compare_key_results([committed], [moved])                          # beyond 1e-4: fails
    renamed = {"name": name, "results": dict(committed["results"], items=["natarms", "natenvir"])}
    assert _compare_key_results([committed], [renamed])                        # names exactly
    fewer = {"name": name, "results": {k: v for k, v in committed["results"].items() if k != "n_respondents"}}
    assert _compare_key_results([committed], [fewer])                          # a key missing
    other = {"name": "day4b", "results": committed["results"]}
    assert _compare_key_results([committed], [other])                          # another name
    outputs = [{"output_type": "stream", "text": "x"},
               {"output_type": "display_data", "data": {"text/plain": "table", "application/vnd.llm-course."
                                                        "key-results+json": committed}}]
    rest, payloads = _key_results(outputs)
    assert rest == outputs[:1] and payloads == [committed]
