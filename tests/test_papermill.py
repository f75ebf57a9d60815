"""Notebooks are not hard-wired, and they run with networking made impossible.

Day 1 is executed once with papermill, with injected parameters (another embedding model, fewer
and shorter samples, another prompt), inside a network namespace that has no network at all
(`unshare -rn`, loopback only for the kernel's own sockets). Where unshare is not available, a socket
guard (sitecustomize) makes every non-loopback connection raise instead.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from helpers.results import parse_results

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "day_1" / "1_hf_ecosystem.ipynb"
PARAMS = {"EMBEDDING_MODEL": "sentence-transformers/all-mpnet-base-v2", "N_SAMPLES": 1,
          "MAX_NEW_TOKENS": 5, "PROMPT": "The capital of Italy is", "TEMPERATURES": [1.0],
          "N_REVIEWS": 20}

GUARD = textwrap.dedent("""
    import socket
    _connect = socket.socket.connect
    def _guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if self.family == socket.AF_UNIX or str(host) in ("127.0.0.1", "::1", "localhost"):
            return _connect(self, address)
        raise OSError(f"network disabled by the course's offline test: {address}")
    socket.socket.connect = _guarded
""")


def _unshare_works() -> bool:
    if not shutil.which("unshare") or not shutil.which("ip"):
        return False
    probe = subprocess.run(["unshare", "-rn", "ip", "link", "set", "lo", "up"], capture_output=True)
    return probe.returncode == 0


def _offline_command(argv: list[str], tmp: Path) -> tuple[list[str], dict, str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    if _unshare_works():
        inner = "ip link set lo up && exec " + shlex.join(argv)
        return ["unshare", "-rn", "sh", "-c", inner], env, "unshare -rn (no network interfaces)"
    (tmp / "guard").mkdir()
    (tmp / "guard" / "sitecustomize.py").write_text(GUARD)
    env["PYTHONPATH"] = f"{tmp / 'guard'}{os.pathsep}{env.get('PYTHONPATH', '')}"
    return argv, env, "socket guard"


@pytest.fixture(scope="module")
def offline_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("papermill")
    out = tmp / "day1_injected.ipynb"
    argv = [sys.executable, "-m", "papermill", str(NOTEBOOK), str(out), "--cwd", str(NOTEBOOK.parent),
            "-k", "python3", "--no-progress-bar", "-y", json.dumps(PARAMS)]
    cmd, env, how = _offline_command(argv, tmp)
    # The same wrapper must really block the network: a connection to a public address fails.
    probe = [sys.executable, "-c", "import socket; socket.create_connection(('151.101.0.223', 443), timeout=5)"]
    pcmd, penv, _ = _offline_command(probe, tmp) if how == "unshare -rn (no network interfaces)" else (probe, env, how)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    probe_proc = subprocess.run(pcmd, env=penv, capture_output=True, text=True, timeout=60)
    return {"proc": proc, "out": out, "how": how, "probe": probe_proc}


@pytest.mark.slow
def test_network_is_really_blocked(offline_run):
    probe = offline_run["probe"]
    assert probe.returncode != 0 and ("unreachable" in probe.stderr or "network disabled" in probe.stderr), probe.stderr


@pytest.mark.slow
def test_notebook_completes_offline(offline_run):
    proc = offline_run["proc"]
    assert proc.returncode == 0, f"papermill failed under {offline_run['how']}:\n{proc.stderr[-3000:]}"


@pytest.mark.slow
def test_injected_parameters_change_the_results(offline_run):
    nb = nbformat.read(offline_run["out"], as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected, "papermill did not inject a parameters cell"
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                     if o.output_type == "stream")
    res = parse_results(nb)["day1_hf_ecosystem"]
    assert res["embedding_dim"] == 768          # all-mpnet-base-v2 instead of MiniLM (384)
    assert res["top_next_token"] == "' Rome'"   # the injected prompt
    assert "sample 2" not in text               # N_SAMPLES=1
