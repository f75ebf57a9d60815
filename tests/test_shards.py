"""The plan of `make test`'s parallel shards (tests/shards.py): every notebook runs exactly once, a lesson
and its solutions share a shard, and a notebook that reads another's output runs after it."""
from __future__ import annotations

import re

import pytest

import shards  # tests/ is on sys.path (root conftest.py)

NOTEBOOKS = sorted(str(p.relative_to(shards.ROOT)) for p in shards.ROOT.glob("day_*/*.ipynb"))


def test_reference_seconds_cover_every_notebook():
    seconds = shards.reference_seconds()
    missing = sorted(set(NOTEBOOKS) - set(seconds))
    assert not missing, f"add these notebooks to the README timing table: {missing}"


@pytest.mark.parametrize("n", [1, 2, 3])
def test_every_notebook_runs_once_with_its_lesson_and_after_what_it_reads(n):
    plan = shards.plan(NOTEBOOKS, n, shards.reference_seconds())
    assert len(plan) == n
    flat = [nb for s in plan for nb in s]
    assert sorted(flat) == NOTEBOOKS and len(flat) == len(set(flat))
    shard_of = {nb: i for i, s in enumerate(plan) for nb in s}
    for nb in NOTEBOOKS:        # day_3/3c_solutions.ipynb goes where day_3/3c_instruction_tuning.ipynb goes
        lesson = nb.split("_solutions")[0]
        assert {shard_of[o] for o in NOTEBOOKS if o.startswith(lesson)} == {shard_of[nb]}, nb
    for later, earlier_set in shards.run_after(NOTEBOOKS).items():
        for earlier in earlier_set:
            s = plan[shard_of[later]]
            assert shard_of[earlier] == shard_of[later] and s.index(earlier) < s.index(later), (later, earlier)


def test_notebooks_that_load_the_3c_model_are_found():
    needs = shards.run_after(NOTEBOOKS)
    assert {nb for nb, e in needs.items() if "day_3/3c_instruction_tuning.ipynb" in e} == {
        "day_3/3d_fine_tuning.ipynb", "day_3/3e_openai_server.ipynb"}


def test_two_shards_share_the_work():
    seconds = shards.reference_seconds()
    load = [sum(seconds[nb] for nb in s) for s in shards.plan(NOTEBOOKS, 2, seconds)]
    load[0] += shards.TESTS_SECONDS
    assert max(load) < 0.65 * sum(load), load


def test_merged_tables_keep_rows_and_sum_totals(tmp_path):
    # each shard writes its table in conftest's format: names padded to its own widest name
    for d, name, wall, peak in [("a", "day_2/x.ipynb", 8.4, 1037), ("b", "day_1/a_longer_name.ipynb", 1000.4, 900)]:
        (tmp_path / d).mkdir()
        w = len(name)
        (tmp_path / d / "notebook_timings.txt").write_text(
            f"{'notebook':<{w}}  wall s  peak MB\n{name:<{w}}  {wall:6.1f}  {peak:7.0f}\n{'total':<{w}}  {wall:6.1f}\n")
    shards.merge_tables(tmp_path, [tmp_path / "a", tmp_path / "b"])
    lines = (tmp_path / "notebook_timings.txt").read_text().splitlines()
    assert [ln.split() for ln in lines] == [["notebook", "wall", "s", "peak", "MB"],
                                            ["day_1/a_longer_name.ipynb", "1000.4", "900"],
                                            ["day_2/x.ipynb", "8.4", "1037"], ["total", "1008.8"]]
    wall_ends = [lines[0].index("wall s") + len("wall s")]
    wall_ends += [list(re.finditer(r"\S+", ln))[1].end() for ln in lines[1:]]
    assert len(set(wall_ends)) == 1, lines         # one column, right-aligned, whichever shard a row came from


def test_several_shards_run_one_thread_each_unless_told_otherwise():
    assert shards.thread_settings({}, 2) == {"OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE"}
    assert shards.thread_settings({"OMP_NUM_THREADS": "2"}, 3)["OMP_NUM_THREADS"] == "2"     # the user's choice
    assert shards.thread_settings({}, 1) == {}                  # one process: PyTorch's own defaults
