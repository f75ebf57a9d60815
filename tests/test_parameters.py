"""Notebooks run correctly with other values in their parameters cells, and refuse values that cannot work.

Each variant executes one notebook once with papermill, with smaller sizes, other keys or the other
embedding model, and checks that its key results are consistent with the values it was given (a result
computed on the wrong rows, or a name hard-wired where a parameter should be used, shows up here).
Day 1 has its own variant in test_papermill.py (run without a network). The refusal tests check that
a bad value stops the notebook at the parameters check, with a message that names the parameter; they
share one kernel and run each notebook's cells, with the values injected as papermill injects them,
until the first error.
"""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel
from papermill.parameterize import parameterize_notebook

from helpers.results import parse_results

ROOT = Path(__file__).resolve().parent.parent


def execute(notebook: str, params: dict, out: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    path = ROOT / notebook
    argv = [sys.executable, "-m", "papermill", str(path), str(out), "--cwd", str(path.parent), "-k", "python3",
            "--no-progress-bar", "-y", json.dumps(params)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)


def results(notebook: str, params: dict, tmp_path: Path, name: str) -> dict:
    out = tmp_path / Path(notebook).name
    proc = execute(notebook, params, out)
    assert proc.returncode == 0, f"{notebook} failed with {params}:\n{proc.stderr[-3000:]}"
    return parse_results(nbformat.read(out, as_version=4))[name]


@pytest.fixture(scope="module")
def refusal_kernel():
    """One kernel for all refusal checks: each starts from an empty namespace (%reset), while the modules
    imported by an earlier check stay loaded, which saves a kernel start and the torch import per check."""
    manager, client = start_new_kernel(kernel_name="python3")
    yield client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def is_share(x) -> bool:
    return isinstance(x, float) and 0.0 <= x <= 1.0


@pytest.mark.slow
def test_2a_other_model_and_attention_word(tmp_path):
    r = results("day_2/2a_contextual_embeddings.ipynb",
                {"MODEL": "sentence-transformers/all-mpnet-base-v2", "ATTENTION_WORD": "loan",
                 "ATTENTION_LAYER": 11, "ATTENTION_HEAD": 0}, tmp_path, "day2_contextual_embeddings")
    assert r["n_layers"] == 12                       # MPNet-base, not MiniLM-L6
    assert r["mean_pooling_matches"] is True         # the hand-written pooling matches MPNet's own encode
    assert r["bank_gap"] != pytest.approx(0.1002, abs=1e-3)      # really another model's vectors
    assert (r["attention_layer"], r["attention_head"]) == (11, 0)   # the head asked for, not the rule's
    assert r["kind_difference"] == pytest.approx(r["homonym_gap_beyond_topic"] - r["polysemous_gap_beyond_topic"])
    assert 0 < r["kind_difference_p"] <= 1 and 0 <= r["words_beyond_topic"] <= r["n_words"] == 10
    # GloVe does not depend on the transformer: the same numbers as in the reference run
    assert r["glove_analogies_right"] == 4 and r["glove_bank_lean"] == pytest.approx(-0.2778, abs=1e-3)


@pytest.mark.slow
def test_3a_small_sizes_and_one_shot_count(tmp_path):
    r = results("day_3/3a_prompting.ipynb",
                {"EVAL_N": 24, "FEWSHOT_N": 20, "CAL_N": 8, "K_SHOTS": [2], "N_BOOT": 200}, tmp_path,
                "day3_prompting")
    assert r["eval_n"] == 24 and r["fewshot_n"] == 20
    assert [k for k in r if k.startswith("fewshot_accuracy_k")] == ["fewshot_accuracy_k2"]
    # accuracies on 20 paragraphs are multiples of 1/20
    assert math.isclose(r["fewshot_accuracy_k2"] * 20, round(r["fewshot_accuracy_k2"] * 20), abs_tol=1e-3)
    for key in ["zero_shot_score_accuracy", "calibrated_accuracy", "prefill_accuracy", "share_predicted_republican"]:
        assert is_share(r[key]), key
        assert math.isclose(r[key] * 24, round(r[key] * 24), abs_tol=2e-3), key   # computed on the 24 paragraphs
    assert r["zero_shot_score_auc_ci_low"] <= r["zero_shot_score_auc"] <= r["zero_shot_score_auc_ci_high"]
    assert 0 <= r["generate_unparsed"] <= 24


@pytest.mark.slow
def test_3b_renamed_embedders_and_curve_sizes_above_the_sample(tmp_path):
    r = results("day_3/3b_embeddings_linear.ipynb",
                {"EMBEDDERS": {"Small": "sentence-transformers/all-MiniLM-L6-v2",
                               "Large": "sentence-transformers/all-mpnet-base-v2"},
                 "TRAIN_N": 200, "COMPARE_TRAIN_N": 40, "COMPARE_TEST_N": 40, "CURVE_SIZES": [300, 500]},
                tmp_path, "day3_embeddings")
    assert r["train_n"] == 200 and r["test_n"] == 1706
    # every curve size exceeds the sample: the curve is the whole sample, one point
    assert r["curve_train_n"] == [200] and r["curve_accuracy"] == [pytest.approx(r["small_accuracy"], abs=1e-4)]
    # the names of EMBEDDERS label the results; accuracies on 40 compared paragraphs are multiples of 1/40
    for key in ["compare_small_accuracy", "compare_large_accuracy"]:
        assert math.isclose(r[key] * 40, round(r[key] * 40), abs_tol=2e-3), key
    assert r["small_accuracy_ci_low"] <= r["small_accuracy"] <= r["small_accuracy_ci_high"]
    assert not any(k.startswith(("minilm", "mpnet", "compare_minilm", "compare_mpnet")) for k in r)


@pytest.mark.slow
def test_5c_small_grid(tmp_path):
    r = results("day_5/5c_generative_agents.ipynb",
                {"GRID": 10, "DENSITY": 0.7, "STEPS": 3, "SEEDS": 2, "THRESHOLD": 0.5}, tmp_path,
                "day5_generative_agents")
    assert r["n_agents"] == 70                                  # round(0.7 * 10 * 10)
    assert r["decisions_per_run"] == 70 * 3
    assert r["decisions_total"] == 2 * 2 * 70 * 3               # two model conditions x SEEDS runs
    assert all(is_share(r[k]) for k in ["move_rate_rule", "move_rate_llm", "move_rate_random", "move_rate_ablation"])
    assert r["segregation_final_llm_low"] <= r["segregation_final_llm"] <= r["segregation_final_llm_high"]
    # the scored table does not depend on the grid: the same prompts as in the reference run
    assert r["n_persona_types"] == 12 and r["p_move_mean"] == pytest.approx(0.741, abs=0.01)


@pytest.mark.parametrize("notebook, params, name", [
    ("day_1/1_hf_ecosystem.ipynb", {"TEMPERATURES": []}, "TEMPERATURES"),
    ("day_1/1_hf_ecosystem.ipynb", {"N_REVIEWS": 5}, "N_REVIEWS"),
    ("day_2/2a_contextual_embeddings.ipynb", {"ATTENTION_WORD": "river"}, "ATTENTION_WORD"),
    ("day_2/2a_contextual_embeddings.ipynb", {"ATTENTION_LAYER": 3}, "ATTENTION_LAYER"),     # without a head
    ("day_3/3a_prompting.ipynb", {"K_SHOTS": [3]}, "K_SHOTS"),
    ("day_3/3a_prompting.ipynb", {"EVAL_N": 40, "FEWSHOT_N": 60}, "FEWSHOT_N"),
    ("day_5/5c_generative_agents.ipynb", {"DENSITY": 1.2}, "DENSITY"),
    ("day_2/2b_personality_items.ipynb", {"SECOND_MODEL": "sentence-transformers/all-MiniLM-L6-v2"}, "SECOND_MODEL"),
    ("day_3/3b_embeddings_linear.ipynb", {"EMBEDDERS": {"MiniLM": "sentence-transformers/all-MiniLM-L6-v2"}},
     "EMBEDDERS"),
    ("day_3/3c_instruction_tuning.ipynb", {"TRAIN_BATCH_SIZE": 0}, "TRAIN_BATCH_SIZE"),
    ("day_3/3c_instruction_tuning.ipynb", {"LABELS": ["Republican", "Democratic"]}, "LABELS"),   # would invert the AUC
    ("day_1/1_solutions.ipynb", {"N_REVIEWS": 3000}, "N_REVIEWS"),
    ("day_3/3d_fine_tuning.ipynb", {"TUNED_MODEL_DIR": "models/day3_sotu_other-model_sft"}, "TUNED_MODEL_DIR"),
    ("day_3/3d_fine_tuning.ipynb", {"EPOCHS": 0}, "EPOCHS"),
    ("day_3/3e_openai_server.ipynb", {"N_TEXTS": 1.5}, "N_TEXTS"),
    ("day_4/4a_decoding_numeracy.ipynb", {"BATCH_SIZE": True}, "BATCH_SIZE"),
    ("day_4/4c_post_training.ipynb", {"LORA_R": True}, "LORA_R"),       # True is an int to Python, not a rank
    ("day_4/4b_synthetic_respondents.ipynb", {"ITEMS": {"environment": "the environment"}}, "ITEMS"),
    ("day_4/4c_post_training.ipynb", {"BATCH_SIZE": 9, "NUM_GENERATIONS": 3}, "BATCH_SIZE"),
    ("day_5/5a_querying_an_article.ipynb", {"TOP_K": 0}, "TOP_K"),
    ("day_5/5b_transcripts_coding_judging.ipynb", {"N_EXTRACT": 5}, "N_EXTRACT"),
])
@pytest.mark.slow
def test_bad_values_are_refused_naming_the_parameter(refusal_kernel, notebook, params, name):
    nb = parameterize_notebook(nbformat.read(ROOT / notebook, as_version=4), params)    # papermill's own injection
    kernel = refusal_kernel
    reply = kernel.execute_interactive(f"%reset -f\nimport os\nos.chdir({str((ROOT / notebook).parent)!r})",
                                       timeout=60, output_hook=lambda msg: None)
    assert reply["content"]["status"] == "ok", reply["content"]
    # the refusal must come at the check, before any model is loaded: within the first four code cells
    # (Colab set-up, parameters, injected parameters, imports and checks)
    code_cells = [c for c in nb.cells if c.cell_type == "code"][:4]
    error = None
    for cell in code_cells:
        reply = kernel.execute_interactive(cell.source, timeout=300, output_hook=lambda msg: None)
        if reply["content"]["status"] == "error":
            error = reply["content"]
            break
    assert error is not None, f"{notebook} did not refuse {params} within its first {len(code_cells)} code cells"
    assert error["ename"] == "ValueError" and name in error["evalue"], f"{error['ename']}: {error['evalue']}"
