"""Unit tests for helpers.survey: personas, distributions and distances, partisan gap."""
from __future__ import annotations

import pandas as pd
import pytest

from helpers import survey as sv
from helpers.data import load_beps, load_gss
from helpers.survey import (
    GSS_NO_GROUP,
    GSS_PARTY_GROUPS,
    PERSONA_VARIANTS,
    build_personas,
    distribution,
    expected_scores,
    partisan_gap,
    party_group,
    total_variation,
    wasserstein_ordinal,
)


def frame(**over):
    base = {"age": [34, 71], "sex": [1, 0], "race": [1, 2], "degree": [3, 0], "partyid": [1, 6], "polviews": [2, 7]}
    base.update(over)
    return pd.DataFrame(base)


def test_full_persona_mentions_every_attribute():
    p = build_personas(frame())
    assert p[0] == ("I am a 34-year-old woman. I am white. I have a bachelor's degree. "
                    "Politically, I am a not very strong Democrat. My political views are liberal.")
    assert "71-year-old man" in p[1] and "Black" in p[1] and "strong Republican" in p[1]
    assert "extremely conservative" in p[1] and "did not finish high school" in p[1]


def test_variants_leave_out_attributes():
    demo = build_personas(frame(), PERSONA_VARIANTS["demographics"])
    party = build_personas(frame(), PERSONA_VARIANTS["party"])
    assert "Democrat" not in demo[0] and "liberal" not in demo[0]
    assert "woman" not in party[0] and "34" not in party[0] and "Democrat" in party[0]
    assert build_personas(frame(), ["age"])[0] == "I am 34 years old."
    assert build_personas(frame(), ["sex"])[1] == "I am a man."


def test_party_group_codes():
    g = party_group([0, 2, 3, 4, 6, 7, None])
    assert g.tolist()[:5] == ["Democrat", "Democrat", "Independent", "Republican", "Republican"]
    assert pd.isna(g.iloc[5]) and pd.isna(g.iloc[6])


def test_distribution_fills_absent_codes():
    d = distribution(pd.Series([1, 1, 0, None], dtype="Int64"))
    assert d.tolist() == pytest.approx([0.0, 1 / 3, 2 / 3])


def test_distances():
    assert total_variation([1, 0, 0], [0, 0, 1]) == 1.0
    assert total_variation([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]) == 0.0
    assert wasserstein_ordinal([1, 0, 0], [0, 0, 1]) == 2.0
    assert wasserstein_ordinal([1, 0, 0], [0, 1, 0]) == 1.0
    assert wasserstein_ordinal([1, 0, 0], [0, 0, 1], codes=[-1, 0, 1]) == 2.0


def test_partisan_gap_and_expected_scores():
    assert partisan_gap([1, 1, 0, -1, -1], [0, 1, 3, 5, 6]) == 2.0
    probs = pd.DataFrame({"too little": [1.0, 0.5], "about right": [0.0, 0.5], "too much": [0.0, 0.0]})
    s = expected_scores(probs, {"too much": -1, "about right": 0, "too little": 1})
    assert s.tolist() == [1.0, 0.5]


@pytest.mark.parametrize("call, message", [
    (lambda: build_personas(frame().drop(columns="race")), "lacks column"),
    (lambda: build_personas(frame(partyid=[1, 9])), "unknown code"),
    (lambda: build_personas(frame(sex=[1, None])), "missing values"),
    (lambda: build_personas(frame().iloc[:0]), "empty"),
    (lambda: build_personas(frame(), ["age", "income"]), "Unknown attribute"),
    (lambda: build_personas(frame(), []), "attributes is empty"),
    (lambda: build_personas([1, 2]), "DataFrame"),
    (lambda: build_personas(frame(age=[12, 40])), "unknown code"),
    (lambda: total_variation([0.5, 0.5], [0.2, 0.3, 0.5]), "align"),
    (lambda: total_variation([0.5, 0.6], [0.5, 0.5]), "sums to"),
    (lambda: total_variation([-0.5, 1.5], [0.5, 0.5]), "negative"),
    (lambda: wasserstein_ordinal([0.5, 0.5], [0.5, 0.5], codes=[1, 0]), "increasing"),
    (lambda: distribution([2, 0]), "not among the codes"),
    (lambda: distribution([None, None]), "No non-missing"),
    (lambda: partisan_gap([1, 0], [0, 1]), "at least one Democrat"),
    (lambda: partisan_gap([1, 0, 1], [0, 6]), "entries"),
    (lambda: party_group([0, 8]), "unknown code"),
    (lambda: expected_scores(pd.DataFrame({"a": [1.0]}), {"b": 1}), "lacks option"),
])
def test_bad_inputs_raise(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---------------------------------------------------------------------------------------------
# The GSS defaults are explicit arguments: the same results when they are spelled out
# ---------------------------------------------------------------------------------------------

def test_doctests():
    import doctest

    result = doctest.testmod(sv, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 5 and result.failed == 0


def test_gss_defaults_equal_the_explicit_gss_coding():
    gss = load_gss()
    default = party_group(gss["partyid"])
    explicit = party_group(gss["partyid"], GSS_PARTY_GROUPS, no_group=GSS_NO_GROUP)
    pd.testing.assert_series_equal(default, explicit)
    assert default.dtype == object and default.attrs == {}
    assert default.value_counts().to_dict() == {"Democrat": 1038, "Republican": 786, "Independent": 414}
    for item in ["natenvir", "natarms"]:
        assert partisan_gap(gss[item], gss["partyid"]) == partisan_gap(
            gss[item], gss["partyid"], GSS_PARTY_GROUPS, compare=("Democrat", "Republican"), no_group=[7],
            codes=(-1, 0, 1))
    sample = gss.dropna(subset=["age", "sex", "race", "degree", "partyid", "polviews"]).head(20)
    cols = ["race", "degree", "partyid", "polviews"]
    codebook = {"race": sv.RACE, "degree": sv.DEGREE, "partyid": sv.PARTYID, "polviews": sv.POLVIEWS}
    templates = {"race": "I am {}.", "degree": "I {}.", "partyid": "Politically, I am {}.",
                 "polviews": "My political views are {}."}
    assert build_personas(sample, codebook=codebook, templates=templates) == build_personas(sample, cols)


# ---------------------------------------------------------------------------------------------
# A second real survey with its own coding: the British Election Panel Study 1997-2001 (data/beps.csv)
# ---------------------------------------------------------------------------------------------

BEPS_CODEBOOK = {
    "age": lambda years: str(int(years)),
    "gender": {"female": "woman", "male": "man"},
    "vote": {"Labour": "Labour", "Conservative": "the Conservatives", "Liberal Democrat": "the Liberal Democrats"},
    "europe": lambda v: f"{int(v)} on a scale from 1 (for European integration) to 11 (Eurosceptic)",
}
BEPS_TEMPLATES = {"age": "I am {} years old.", "gender": "I am a {}.", "vote": "I vote for {}.",
                  "europe": "On Europe I place myself at {}."}
BEPS_PARTIES = {"Labour": ["Labour"], "Conservative": ["Conservative"], "Liberal Democrat": ["Liberal Democrat"]}


def test_beps_personas_with_its_own_codebook():
    beps = load_beps()
    personas = build_personas(beps, codebook=BEPS_CODEBOOK, templates=BEPS_TEMPLATES)
    assert len(personas) == 1525
    assert personas[0] == ("I am 43 years old. I am a woman. I vote for the Liberal Democrats. "
                           "On Europe I place myself at 2 on a scale from 1 (for European integration) to 11 "
                           "(Eurosceptic).")
    assert build_personas(beps.head(2), ["vote", "gender"], codebook=BEPS_CODEBOOK, templates=BEPS_TEMPLATES) == [
        "I vote for the Liberal Democrats. I am a woman.", "I vote for Labour. I am a man."]
    # a code the codebook lacks is refused, naming the column, the row and the code
    short = {**BEPS_CODEBOOK, "vote": {"Labour": "Labour", "Conservative": "the Conservatives"}}
    with pytest.raises(ValueError, match=r"Column 'vote' has unknown code\(s\) \['Liberal Democrat'\] "
                                         r"in row\(s\) \[0, 6, 21, 46, 56\]"):
        build_personas(beps, codebook=short, templates=BEPS_TEMPLATES)


def test_beps_vote_gap_with_its_own_groups_and_codes():
    beps = load_beps()
    gap = partisan_gap(beps["europe"], beps["vote"], BEPS_PARTIES, compare=("Labour", "Conservative"),
                       codes=range(1, 12))
    means = beps.groupby("vote")["europe"].mean()
    assert gap == pytest.approx(means["Labour"] - means["Conservative"]) and gap == pytest.approx(-2.889, abs=1e-3)
    lib = partisan_gap(beps["europe"], beps["vote"], BEPS_PARTIES, compare=("Liberal Democrat", "Conservative"))
    assert lib == pytest.approx(means["Liberal Democrat"] - means["Conservative"])
    blair = partisan_gap(beps["blair"], beps["vote"], BEPS_PARTIES, compare=("Labour", "Conservative"),
                         codes=range(1, 6))
    assert blair > 1                                   # Labour voters rate the Labour leader higher
    shares = distribution(beps["blair"], codes=range(1, 6))
    assert shares.index.tolist() == [1, 2, 3, 4, 5] and shares.sum() == pytest.approx(1.0)
    assert shares[3] == pytest.approx(1 / 1525)       # code 3 used once: declared, so counted, not refused
    # two groups, the third party left out on purpose: counted and reported, never silently
    with pytest.warns(UserWarning, match=r"left out 343 respondent\(s\).*\{'Liberal Democrat': 343\}"):
        two = partisan_gap(beps["europe"], beps["vote"], {"Labour": ["Labour"], "Conservative": ["Conservative"]},
                           drop_unknown=True)
    assert two == gap


def test_beps_coding_is_refused_by_the_gss_defaults():
    beps = load_beps()
    with pytest.raises(ValueError, match=r"vote has unknown code\(s\) \['Conservative', 'Labour', 'Liberal Democrat'\] "
                                         r"\(1525 respondent\(s\).*allowed 0-7.*text labels.*groups="):
        party_group(beps["vote"])
    with pytest.raises(ValueError, match=r"vote has unknown code\(s\).*allowed 0-7"):
        partisan_gap(beps["europe"], beps["vote"])
    with pytest.raises(ValueError, match=r"Values \[2, 3, 4, 5, 6\] are not among the codes \[-1, 0, 1\] "
                                         r"\(1416 of 1525"):           # code 1 exists in both codings
        distribution(beps["europe"])
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['sex', 'race', 'degree', 'partyid', 'polviews'\]"):
        build_personas(beps)
    with pytest.raises(ValueError, match=r"scores has value\(s\) \[6\.0, 7\.0, 8\.0, 9\.0, 10\.0\] that are not among "
                                         r"the codes \[1, 2, 3, 4, 5\]"):
        partisan_gap(beps["europe"], beps["vote"], BEPS_PARTIES, compare=("Labour", "Conservative"),
                     codes=range(1, 6))


# ---------------------------------------------------------------------------------------------
# New arguments and refusals, one by one
# ---------------------------------------------------------------------------------------------

def test_codebook_functions_order_and_plain_phrases():
    df = pd.DataFrame({"v": [1, 2.0], "w": ["x", "y"]}, index=["r1", "r2"])
    codebook = {"w": {"x": "I said x.", "y": "I said y."}, "v": {1: "one", 2: "two"}}
    assert build_personas(df, codebook=codebook) == ["I said x. one", "I said y. two"]   # no template: the phrase
    assert build_personas(df, ["v"], codebook=codebook, templates={"v": "I am {}."}) == ["I am one.", "I am two."]
    assert build_personas(df, codebook={"v": lambda x: f"{x:.0f}"}, templates={"v": "n={}"}) == ["n=1", "n=2"]


def test_party_group_with_own_groups_no_group_and_dropping():
    g = party_group([1, 2, 5, 9, None], {"left": [1, 2], "right": [4, 5]}, no_group=[9])
    assert g.tolist()[:3] == ["left", "left", "right"] and g.iloc[3:].isna().all() and g.attrs == {}
    with pytest.warns(UserWarning, match=r"party_group: left out 3 respondent\(s\).*\{3: 2, 8: 1\}"):
        g = party_group([1, 3, 3, 8, 5], {"left": [1, 2], "right": [4, 5]}, drop_unknown=True)
    assert g.attrs["dropped"] == {3: 2, 8: 1} and g.isna().tolist() == [False, True, True, True, False]
    mapped = party_group(pd.Series(["Democrat", "Republican"]),
                         {"Democrat": ["Democrat"], "Republican": ["Republican"]})
    assert mapped.tolist() == ["Democrat", "Republican"]


def test_partisan_gap_compare_and_codes():
    assert partisan_gap([5, 1, 3], ["L", "C", "LD"], BEPS_PARTIES | {"L": ["L"], "C": ["C"], "LD": ["LD"]},
                        compare=("LD", "C")) == 2.0
    assert partisan_gap([1, 0, -1], [0, 3, 6], codes=(-1, 0, 1)) == 2.0
    assert partisan_gap([0.5, -0.25], [1, 5]) == 0.75           # expected scores: no codes, any number


@pytest.mark.parametrize("call, message", [
    # build_personas with a codebook: column, row and code are named
    (lambda: build_personas(pd.DataFrame({"v": ["a", "b"]}, index=[10, 11]), codebook={"v": {"a": "A"}}),
     r"Column 'v' has unknown code\(s\) \['b'\] in row\(s\) \[11\]"),
    (lambda: build_personas(pd.DataFrame({"v": ["a", None]}), codebook={"v": {"a": "A"}}),
     r"Column 'v' has 1 missing values \(row\(s\) \[1\]\)"),
    (lambda: build_personas(pd.DataFrame({"v": ["1"]}), codebook={"v": {1: "one"}}), r"unknown code\(s\) \['1'\]"),
    (lambda: build_personas(pd.DataFrame({"v": [True]}), codebook={"v": {1: "one"}}), r"unknown code\(s\) \[True\]"),
    (lambda: build_personas(pd.DataFrame({"v": [1, 0]}), codebook={"v": lambda x: {1: "one"}[x]}),
     r"Column 'v', row 1: codebook\['v'\] could not describe the value 0 \(KeyError"),
    (lambda: build_personas(pd.DataFrame({"v": [1]}), codebook={"v": lambda x: 3}), "must return a phrase"),
    (lambda: build_personas(pd.DataFrame({"v": [1]}), codebook={"v": {1: "one"}}, templates={"v": "no slot"}),
     "one {} where the phrase goes"),
    (lambda: build_personas(pd.DataFrame({"v": [1]}), codebook={"v": {1: "one"}}, templates={"w": "{}"}),
     "that codebook does not describe"),
    (lambda: build_personas(pd.DataFrame({"v": [1]}), ["w"], codebook={"v": {1: "one"}}), "Unknown attribute"),
    (lambda: build_personas(pd.DataFrame({"v": [1]}), codebook={"w": {1: "one"}}), "lacks column"),
    (lambda: build_personas(pd.DataFrame({"v": [1]}), codebook={"v": {1: ""}}), "non-empty text"),
    (lambda: build_personas(pd.DataFrame({"v": [1]}), codebook={"v": "one"}), "dict {code: phrase} or a function"),
    (lambda: build_personas(pd.DataFrame({"v": [1]}), codebook={}), "non-empty dict"),
    (lambda: build_personas(pd.DataFrame({"v": [1]}), codebook={"v": {1: "a", float("nan"): "b"}}), "missing value"),
    (lambda: build_personas(frame(), ["sex"], templates={"sex": "{}"}), "templates needs codebook"),
    # the GSS default now names the rows too, and refuses True/False as codes
    (lambda: build_personas(frame(partyid=[1, 9]).set_axis(["a", "b"]), ["partyid"]),
     r"Column 'partyid' has unknown code\(s\) \[9\] in row\(s\) \['b'\]"),
    (lambda: build_personas(frame(sex=[True, False])), r"Column 'sex' has unknown code\(s\) \[False, True\]"),
    (lambda: build_personas(frame(sex=[1, None])), r"missing values \(row\(s\) \[1\]\)"),
    # distribution: values outside the declared codes are named
    (lambda: distribution([True, False, True]),
     r"Values \[False, True\] are not among the codes \[-1, 0, 1\] \(3 of 3"),
    (lambda: distribution(["a", 2, 1]), r"Values \[2, 'a'\] are not among the codes"),
    (lambda: distribution(["1", 1]), r"Values \['1'\]"),
    (lambda: distribution([1, 6], codes=range(1, 6)), r"Values \[6\] are not among the codes \[1, 2, 3, 4, 5\]"),
    (lambda: distribution([1], codes=[1, float("nan")]), "missing value"),
    (lambda: distribution(pd.DataFrame({"a": [1]})), "DataFrame"),
    # party_group: codes outside the mapping are refused unless dropped (and then reported)
    (lambda: party_group([True, 3]), r"partyid has unknown code\(s\) \[True\]"),
    (lambda: party_group(pd.Series(["Democrat", "Republican"], name="party")),
     r"party has unknown code\(s\) \['Democrat', 'Republican'\].*allowed 0-7.*text labels"),
    (lambda: party_group([1, 7], GSS_PARTY_GROUPS), r"unknown code\(s\) \[7\].*groups= covers"),
    (lambda: party_group(["Green"], {"Labour": ["Labour"]}), r"unknown code\(s\) \['Green'\].*drop_unknown=True"),
    (lambda: party_group([1], {"a": "Labour"}), "not a single string"),
    (lambda: party_group([1], {"a": [1], "b": [1]}), "in two groups"),
    (lambda: party_group([1], {"a": [1]}, no_group=[1]), "both in group"),
    (lambda: party_group([1], {"a": [1]}, no_group=2), "no_group must be a list"),
    (lambda: party_group([1], {}), "non-empty dict"),
    (lambda: party_group([1], {"a": []}), "is empty"),
    (lambda: party_group([1], {"a": [1]}, drop_unknown="yes"), "True or False"),
    # partisan_gap: groups, compare, codes, scores
    (lambda: partisan_gap([1, 0, 3], ["L", "C", "LD"], {"L": ["L"], "C": ["C"], "LD": ["LD"]}), "say which two"),
    (lambda: partisan_gap([1, 0], ["L", "C"], {"L": ["L"], "C": ["C"]}, compare=("L", "X")), "two different groups"),
    (lambda: partisan_gap([1, 0], ["L", "C"], {"L": ["L"], "C": ["C"]}, compare="L"), "single string"),
    (lambda: partisan_gap([1, 0], ["L", "L"], {"L": ["L"], "C": ["C"]}), r"at least one 'L' and one 'C'"),
    (lambda: partisan_gap([1, 2], [0, 6], codes=(-1, 0, 1)), r"scores has value\(s\) \[2\.0\] that are not among"),
    (lambda: partisan_gap([1, 0.5], [0, 6], codes=(-1, 0, 1)), r"\[0\.5\]"),
    (lambda: partisan_gap([1, 0], [0, 6], codes=("a", "b")), "codes must be numbers"),
    (lambda: partisan_gap([True, False], [0, 6]), r"scores must be numbers.*\[False, True\]"),
    (lambda: partisan_gap(["1", "0"], [0, 6]), r"scores must be numbers.*\['0', '1'\]"),
    (lambda: partisan_gap([float("inf"), 0], [0, 6]), "infinite"),
    (lambda: partisan_gap([1, 0], ["Democrat", "Republican"]), r"unknown code\(s\) \['Democrat', 'Republican'\]"),
    # expected_scores: codes are numbers, probabilities are numbers
    (lambda: expected_scores(pd.DataFrame({"a": [0.5], "b": [0.5]}), {"a": "1", "b": 0}), "option to a number"),
    (lambda: expected_scores(pd.DataFrame({"a": [0.5], "b": [0.5]}), {"a": True, "b": 0}), "option to a number"),
    (lambda: expected_scores(pd.DataFrame({"a": ["0.5"], "b": ["0.5"]}), {"a": 1, "b": 0}), "must hold numbers"),
])
def test_declared_codes_are_enforced(call, message):
    with pytest.raises(ValueError, match=message):
        call()
