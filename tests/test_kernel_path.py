"""The second kernel path of `make test` really changes the numbers, and notebook kernels use it.

PyTorch picks vectorised CPU kernels by what the CPU supports (`torch.backends.cpu.get_cpu_capability()`);
`ATEN_CPU_CAPABILITY=default` forces the plain, non-vectorised ones. `make test` re-executes Day 1
that way (`make test-kernel-path`; 4a and others with KERNEL_PATH_NOTEBOOKS=...) and compares it with
the committed outputs, so that a result which depends on the last digits of a float is found here
rather than on a student's laptop.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import pytest

KERNEL_PATH = "default"   # the Makefile's KERNEL_PATH

LOGITS = r"""
import json, sys, torch
from transformers import AutoModelForCausalLM, AutoTokenizer
name = "HuggingFaceTB/SmolLM2-135M-Instruct"
tok = AutoTokenizer.from_pretrained(name)
model = AutoModelForCausalLM.from_pretrained(name, dtype=torch.float32)
batch = tok(["The river bank was muddy after the rain, so we walked to the other bank."], return_tensors="pt")
with torch.no_grad():
    logits = model(**batch).logits[0]
torch.save(logits, sys.argv[1])
print(json.dumps({"capability": torch.backends.cpu.get_cpu_capability()}))
"""


def _logits(tmp_path, name, capability=None):
    env = {k: v for k, v in os.environ.items() if k != "ATEN_CPU_CAPABILITY"}
    if capability:
        env["ATEN_CPU_CAPABILITY"] = capability
    out = tmp_path / f"{name}.pt"
    proc = subprocess.run([sys.executable, "-c", LOGITS, str(out)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    import torch

    return torch.load(out), json.loads(proc.stdout.strip().splitlines()[-1])["capability"]


@pytest.mark.slow
def test_the_second_kernel_path_changes_the_numbers(tmp_path, hf_home):
    native, native_cap = _logits(tmp_path, "native")
    forced, forced_cap = _logits(tmp_path, "forced", KERNEL_PATH)
    assert forced_cap == KERNEL_PATH.upper(), f"ATEN_CPU_CAPABILITY={KERNEL_PATH} was not applied ({forced_cap})"
    if native_cap == forced_cap:
        pytest.skip(f"this CPU's native kernel path is already {native_cap}")
    diff = (native - forced).abs().max().item()
    # Different in the last digits (measured: up to about 8e-5 on logits of size 10-20) ...
    assert diff > 0, f"{native_cap} and {forced_cap} gave bit-identical logits: pick another path"
    # ... and only there: the same model, the same answer.
    assert diff < 1e-2
    assert (native.argmax(-1) == forced.argmax(-1)).all()


@pytest.mark.slow
def test_notebook_kernels_inherit_the_kernel_path(monkeypatch, tmp_path):
    """nbval starts kernels with this process's environment; check that the variable reaches them."""
    from nbclient import NotebookClient

    monkeypatch.setenv("ATEN_CPU_CAPABILITY", KERNEL_PATH)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import torch; print(torch.backends.cpu.get_cpu_capability())")])
    NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert nb.cells[0].outputs[0]["text"].strip() == KERNEL_PATH.upper()
