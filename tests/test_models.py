"""The offline model cache: every model seeded, loadable by its plain Hub ID, bad inputs caught."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import models

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("hub_id", list(models.MODELS))
def test_every_offline_model_is_seeded(hub_id, hf_home):
    assert models.is_seeded(hub_id, hf_home), f"{hub_id} is not seeded: run `make setup`"
    snap = models.snapshot_dir(hub_id, hf_home)
    assert (snap / "model.safetensors").exists()
    assert not list(snap.glob("*.bin")) and not list(snap.glob("*.pt")), "safetensors only"
    ref = (snap.parent.parent / "refs" / "main").read_text()
    assert ref == snap.name


def test_seed_is_idempotent(hf_home, capsys):
    models.seed(home=hf_home)
    out = capsys.readouterr().out
    assert out.count("already seeded") == len(models.MODELS)


def test_weights_in_cache_are_the_pinned_ones(hf_home):
    for hub_id in ("sentence-transformers/all-MiniLM-L6-v2", "sentence-transformers/all-mpnet-base-v2"):
        snap = models.snapshot_dir(hub_id, hf_home)
        assert models.sha256_file(snap / "model.safetensors") == models.MODELS[hub_id].weights_sha256


def test_seed_into_fresh_cache_loads_by_hub_id_offline(tmp_path):
    """Seed MiniLM into an empty HF_HOME, then load it by its plain Hub ID in a fresh process."""
    hub_id = "sentence-transformers/all-MiniLM-L6-v2"
    models.seed([hub_id], home=tmp_path, verbose=False)
    code = ("from sentence_transformers import SentenceTransformer;"
            f"m = SentenceTransformer({hub_id!r}); print(m.encode(['a test']).shape)")
    env = {**os.environ, "HF_HOME": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "(1, 384)" in out.stdout


def test_damaged_marker_means_not_seeded(tmp_path):
    hub_id = "HuggingFaceTB/SmolLM2-135M-Instruct"
    snap = models.snapshot_dir(hub_id, tmp_path)
    snap.mkdir(parents=True)
    (snap / models._MARKER).write_text(json.dumps({"weights_sha256": "0" * 64}))
    assert not models.is_seeded(hub_id, tmp_path)
    (snap / models._MARKER).write_text("not json")
    assert not models.is_seeded(hub_id, tmp_path)


@pytest.mark.parametrize("call, exc, words", [
    (lambda tmp: models.seed(["gpt2"], home=tmp), ValueError, "not one of the offline models"),
    (lambda tmp: models.seed([], home=tmp), ValueError, "no model"),
    (lambda tmp: models._locate("no-such-model-package", "x"), FileNotFoundError, "requirements-offline.txt"),
    (lambda tmp: models._check_sha(ROOT / "pyproject.toml", "0" * 64, "demo"), ValueError, "Checksum mismatch"),
])
def test_bad_inputs(call, exc, words, tmp_path):
    with pytest.raises(exc, match=words):
        call(tmp_path)


def test_refuses_to_write_the_default_cache(monkeypatch):
    monkeypatch.delenv("HF_HOME", raising=False)
    with pytest.raises(ValueError, match="HF_HOME is not set"):
        models.hf_home()


def test_cli_check_reports_missing(tmp_path):
    assert models.main(["check", "--hf-home", str(tmp_path)]) == 1
