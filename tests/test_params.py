"""helpers.check_whole_numbers: the parameters-cell check that every notebook uses for its counts and sizes."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import check_whole_numbers


def test_good_values_pass():
    check_whole_numbers([("N_BOOT", 100, 100), ("BATCH_SIZE", 32, 1), ("LAYER", 0, 0), ("K", np.int64(3), 2)])
    check_whole_numbers([("EVAL_N", None, 20), ("CAL_N", 20, 20)], none_means="all paragraphs")


@pytest.mark.parametrize("value", [True, False, 3.0, "3", None, [3], 2, -1, np.float64(5.0)])
def test_bad_values_are_refused_naming_the_parameter_and_the_minimum(value):
    with pytest.raises(ValueError, match=r"^N_BOOT must be a whole number of at least 3, got "):
        check_whole_numbers([("BATCH_SIZE", 8, 1), ("N_BOOT", value, 3)])


def test_none_is_refused_unless_it_means_something():
    with pytest.raises(ValueError, match=r"EVAL_N must be a whole number of at least 20, got None\."):
        check_whole_numbers([("EVAL_N", None, 20)])
    with pytest.raises(ValueError, match=r"EVAL_N must be None \(all paragraphs\) or a whole number of at least 20, "
                                         r"got 10\."):
        check_whole_numbers([("EVAL_N", 10, 20)], none_means="all paragraphs")


def test_the_reason_is_in_the_message():
    with pytest.raises(ValueError, match=r"SEEDS must be a whole number of at least 2 \(the intervals are computed "
                                         r"over runs\), got 1\."):
        check_whole_numbers([("SEEDS", 1, 2)], why="the intervals are computed over runs")


def test_the_first_bad_parameter_is_named():
    with pytest.raises(ValueError, match=r"^STEPS "):
        check_whole_numbers([("GRID", 10, 3), ("STEPS", 0, 1), ("SEEDS", 0, 2)])


@pytest.mark.parametrize("specs", [
    "N_BOOT",                                   # a string, not a list of specs
    {"N_BOOT": (100, 100)},                     # a dict
    [("N_BOOT", 100)],                          # least missing
    [(100, "N_BOOT", 100)],                     # name and value swapped
    [("N_BOOT", 100, 1.5)],                     # least not a whole number
    [("", 100, 1)],                             # no name
    5,
])
def test_malformed_specs_are_a_programming_error(specs):
    with pytest.raises(TypeError, match="specs? must be"):
        check_whole_numbers(specs)


def test_empty_specs_and_bad_texts_are_refused():
    with pytest.raises(ValueError, match="specs is empty"):
        check_whole_numbers([])
    with pytest.raises(TypeError, match="none_means must be None or a non-empty string"):
        check_whole_numbers([("N", 1, 1)], none_means="")
    with pytest.raises(TypeError, match="why must be None or a non-empty string"):
        check_whole_numbers([("N", 1, 1)], why=3)


@pytest.mark.parametrize("value", [["Republican", "Democratic"], ["Democrat", "Republican"], "Democratic",
                                   ["Democratic"], ["Democratic", "Republican", "Independent"]])
def test_check_labels_refuses_another_order_or_set(value):
    from helpers.params import check_labels

    with pytest.raises(ValueError, match=r"LABELS must be \['Democratic', 'Republican'\] \(the parties"):
        check_labels("LABELS", value, ["Democratic", "Republican"], "the parties in the data")
    check_labels("LABELS", ("Democratic", "Republican"), ["Democratic", "Republican"], "the parties in the data")
