"""Unit tests for helpers.survey: personas, distributions and distances, partisan gap."""
from __future__ import annotations

import pandas as pd
import pytest

from helpers.survey import (
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
