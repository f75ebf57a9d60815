"""Code that a solutions notebook repeats from its lesson, so that it runs on its own, must stay the same.

The solutions answer a lesson's TASKs with the lesson's own prompts, answer checks, rewards and trackio
callback. Each notebook carries its own copy (a student opens one notebook at a time), so nothing but
this test ties the copies together: a change to one copy that the other does not get would make the
solutions answer a different lesson. Definitions are compared as code, with docstrings left out.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (the lesson that teaches the code, a notebook that repeats it, the names repeated)
COPIES = [
    ("day_2/2a_contextual_embeddings.ipynb", "day_2/2a_solutions.ipynb", ["attention_to_words"]),
    ("day_3/3a_prompting.ipynb", "day_3/3a_solutions.ipynb", ["question", "role_question", "draw_shots"]),
    ("day_3/3b_embeddings_linear.ipynb", "day_3/3b_solutions.ipynb", ["president_folds"]),
    ("day_3/3b_embeddings_linear.ipynb", "day_3/3d_solutions.ipynb", ["president_folds"]),
    ("day_3/3c_instruction_tuning.ipynb", "day_3/3c_solutions.ipynb", ["question", "shorten"]),
    ("day_3/3a_prompting.ipynb", "day_3/3c_instruction_tuning.ipynb", ["SYNONYMS"]),
    ("day_3/3a_prompting.ipynb", "day_3/3e_openai_server.ipynb", ["SYNONYMS"]),
    ("day_3/3e_openai_server.ipynb", "day_3/3e_solutions.ipynb", ["question"]),
    ("day_4/4b_synthetic_respondents.ipynb", "day_4/4b_solutions.ipynb",
     ["OPTIONS", "CODES", "PHRASES", "question", "user_message", "option_probs"]),
    ("day_4/4c_post_training.ipynb", "day_4/4c_solutions.ipynb",
     ["INSTRUCTION", "NUMBER_ONLY", "is_number_only", "is_correct", "completion_text", "format_reward",
      "validity_reward", "correctness_reward"]),
    ("day_4/4c_post_training.ipynb", "day_3/3c_solutions.ipynb", ["TrackioLogger", "fresh_run"]),
    ("day_4/4c_post_training.ipynb", "day_3/3d_solutions.ipynb", ["TrackioLogger", "fresh_run"]),
    ("day_5/5b_transcripts_coding_judging.ipynb", "day_5/5b_solutions.ipynb", ["given_quote", "on_topic", "shorten"]),
    ("day_5/5c_generative_agents.ipynb", "day_5/5c_solutions.ipynb",
     ["Resident", "random_placement_index", "t_interval"]),
]


def _without_docstrings(node: ast.AST) -> str:
    for n in ast.walk(node):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = n.body[0]
            if len(n.body) > 1 and isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                n.body = n.body[1:]
    return ast.unparse(node)


def definitions(notebook: str) -> dict[str, str]:
    """Top-level functions, classes and assignments of a notebook's code cells, as normalised code."""
    out = {}
    for cell in json.loads((ROOT / notebook).read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.parse("".join(cell["source"])).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                out[node.name] = _without_docstrings(node)
            elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                out[node.targets[0].id] = ast.unparse(node)
    return out


@pytest.mark.parametrize("original, copy, names", COPIES, ids=[f"{Path(c).stem}-{Path(o).stem}" for o, c, _ in COPIES])
def test_copies_equal_the_original(original, copy, names):
    first, second = definitions(original), definitions(copy)
    missing = [name for name in names if name not in first or name not in second]
    assert not missing, f"not defined in both {original} and {copy}: {missing}"
    differ = [name for name in names if first[name] != second[name]]
    assert not differ, f"{copy} repeats these from {original}, but its copies differ: {differ}"


def test_docstrings_are_ignored_and_code_is_not():
    one = ast.parse('def f(x):\n    """Say one thing."""\n    return x + 1\n').body[0]
    other = ast.parse('def f(x):\n    """Say another."""\n    return x + 1\n').body[0]
    changed = ast.parse('def f(x):\n    """Say one thing."""\n    return x + 2\n').body[0]
    assert _without_docstrings(one) == _without_docstrings(other)
    assert _without_docstrings(one) != _without_docstrings(changed)
