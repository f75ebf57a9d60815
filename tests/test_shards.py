"""The job queue of `make test`'s parallel workers (tests/shards.py): every notebook runs exactly once, a
lesson and its solutions share a job, a notebook that reads another's output runs after it, and the
longest jobs come first."""
from __future__ import annotations

import re

import pytest

import shards  # tests/ is on sys.path (root conftest.py)
import tables

NOTEBOOKS = sorted(str(p.relative_to(shards.ROOT)) for p in shards.ROOT.glob("day_*/*.ipynb"))


def test_reference_seconds_cover_every_notebook():
    seconds = shards.reference_seconds()
    missing = sorted(set(NOTEBOOKS) - set(seconds))
    assert not missing, f"add these notebooks to the README timing table: {missing}"


def test_every_notebook_runs_once_with_its_lesson_and_after_what_it_reads():
    queue = shards.jobs(NOTEBOOKS, shards.reference_seconds(), ["tests"])
    assert [job[0] for job in queue].count("tests") == 1 and dict((j[0], j[1]) for j in queue)["tests"] == ["tests"]
    notebook_jobs = [targets for name, targets, _ in queue if name != "tests"]
    assert all(targets[0] == shards.FRESH_CHECK for targets in notebook_jobs)     # key results checked in each
    flat = [nb for targets in notebook_jobs for nb in targets[1:]]
    assert sorted(flat) == NOTEBOOKS and len(flat) == len(set(flat))
    job_of = {nb: i for i, targets in enumerate(notebook_jobs) for nb in targets[1:]}
    for nb in NOTEBOOKS:        # day_3/3c_solutions.ipynb goes where day_3/3c_instruction_tuning.ipynb goes
        lesson = nb.split("_solutions")[0]
        assert {job_of[o] for o in NOTEBOOKS if o.startswith(lesson)} == {job_of[nb]}, nb
    for later, earlier_set in shards.run_after(NOTEBOOKS).items():
        for earlier in earlier_set:
            targets = notebook_jobs[job_of[later]]
            assert job_of[earlier] == job_of[later] and targets.index(earlier) < targets.index(later), (later, earlier)
    seconds = [sec for _, _, sec in queue]
    assert seconds == sorted(seconds, reverse=True)         # longest first: the short jobs fill in at the end


def test_a_command_job_takes_its_place_in_the_queue_by_its_seconds():
    seconds = {"day_1/1_hf_ecosystem.ipynb": 100.0, "day_2/2a_contextual_embeddings.ipynb": 50.0}
    queue = shards.jobs(list(seconds), seconds, [], {"kernel path": (80, "make test-kernel-path")})
    assert [(name, targets[-1], sec) for name, targets, sec in queue] == [
        ("day_1/1", "day_1/1_hf_ecosystem.ipynb", 100.0), ("kernel path", "make test-kernel-path", 80.0),
        ("day_2/2a", "day_2/2a_contextual_embeddings.ipynb", 50.0)]
    assert dict((j[0], j[1]) for j in queue)["kernel path"] == ["make test-kernel-path"]     # the command alone


def test_the_makefile_queues_the_kernel_path_as_a_job():
    makefile = (shards.ROOT / "Makefile").read_text()
    assert '--command-job "kernel path" $(KERNEL_PATH_SECONDS)' in makefile
    assert re.search(r"^KERNEL_PATH_SECONDS \?= \d+$", makefile, re.M)


def test_command_job_arguments_are_checked(capsys):
    for bad, says in [(["--command-job", "tests", "90", "true"], "is taken"),
                      (["--command-job", "k", "ninety", "true"], "SECONDS must be a number"),
                      (["--command-job", "k", "9", "true", "--command-job", "k", "9", "true"], "is taken")]:
        with pytest.raises(SystemExit) as exc:
            shards.main([*bad, "--dry-run"])
        assert exc.value.code == 2 and says in capsys.readouterr().err, bad
    assert shards.main(["--command-job", "k", "9", "true", "--dry-run"]) == 0
    assert re.search(r"^  k +9  true$", capsys.readouterr().out, re.M)


def test_notebooks_that_load_the_3c_model_are_found():
    needs = shards.run_after(NOTEBOOKS)
    assert {nb for nb, e in needs.items() if "day_3/3c_instruction_tuning.ipynb" in e} == {
        "day_3/3d_fine_tuning.ipynb", "day_3/3e_openai_server.ipynb"}


@pytest.mark.parametrize("n", [2, 3])
def test_workers_share_the_work(n):
    queue = shards.jobs(NOTEBOOKS, shards.reference_seconds(), ["tests"])
    taken = shards.simulate(queue, n)
    assert sorted(name for names, _ in taken for name in names) == sorted(job[0] for job in queue)
    until = [end for _, end in taken]
    total = sum(job[2] for job in queue)
    assert sum(until) == pytest.approx(total)
    assert max(until) < max(total / n * 1.15, max(job[2] for job in queue)), until


def test_simulate_gives_a_free_worker_the_next_job():
    queue = [("a", [], 10.0), ("b", [], 6.0), ("c", [], 5.0), ("d", [], 1.0)]
    assert shards.simulate(queue, 2) == [(["a", "d"], 11.0), (["b", "c"], 11.0)]   # d: worker 1 is free first
    assert shards.simulate(queue, 1) == [(["a", "b", "c", "d"], 22.0)]


def test_merged_tables_keep_rows_and_sum_totals(tmp_path):
    # each job saves the numbers behind its tables; names of different lengths come from different jobs
    tables.save("notebook_timings", {"day_2/x.ipynb": [8.4, 1037.2]}, tmp_path / "a")
    tables.save("notebook_timings", {"day_1/a_longer_name.ipynb": [1000.4, None]}, tmp_path / "b")
    tables.save("notebook_comparison", {"day_2/x.ipynb": [20, 2, 3.1e-6, 7]}, tmp_path / "a")
    tables.save("notebook_comparison", {"day_1/a_longer_name.ipynb": [5, 0, 0.0, None]}, tmp_path / "b")
    (tmp_path / "c").mkdir()                                        # a job that re-executed no notebook
    shards.merge_tables(tmp_path, [tmp_path / "a", tmp_path / "b", tmp_path / "c"])
    lines = (tmp_path / "notebook_timings.txt").read_text().splitlines()
    assert [ln.split() for ln in lines] == [["notebook", "wall", "s", "peak", "MB"],
                                            ["day_1/a_longer_name.ipynb", "1000.4", "n/a"],
                                            ["day_2/x.ipynb", "8.4", "1037"], ["total", "1008.8"]]
    wall_ends = [lines[0].index("wall s") + len("wall s")]
    wall_ends += [list(re.finditer(r"\S+", ln))[1].end() for ln in lines[1:]]
    assert len(set(wall_ends)) == 1, lines         # one column, right-aligned, whichever job a row came from
    comparison = (tmp_path / "notebook_comparison.txt").read_text().splitlines()
    assert [ln.split() for ln in comparison[1:]] == [["day_1/a_longer_name.ipynb", "5", "0", "-"],
                                                     ["day_2/x.ipynb", "20", "2", "3.1e-06", "(cell", "7)"],
                                                     ["total", "25", "2"]]


def test_a_notebook_in_two_jobs_is_an_error(tmp_path):
    for d in "ab":
        tables.save("notebook_timings", {"day_2/x.ipynb": [8.4, 1037]}, tmp_path / d)
    with pytest.raises(ValueError, match="in two jobs"):
        shards.merge_tables(tmp_path, [tmp_path / "a", tmp_path / "b"])
    with pytest.raises(ValueError, match="unknown table"):
        tables.save("notebook_speed", {}, tmp_path)


def test_several_shards_run_one_thread_each_unless_told_otherwise():
    assert shards.thread_settings({}, 2) == {"OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE"}
    assert shards.thread_settings({"OMP_NUM_THREADS": "2"}, 3)["OMP_NUM_THREADS"] == "2"     # the user's choice
    assert shards.thread_settings({}, 1) == {}                  # one process: PyTorch's own defaults
