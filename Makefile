# Two commands from a fresh machine with python3 (3.11): `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## Install, then run the whole pipeline on the bundled demo corpus (writes ./chrysalide-demo/).
demo: $(STAMP)
	$(BIN)/chrysalide demo --out chrysalide-demo

## Install, lint, then run the whole test suite (browser tests use Debian's Chromium, installed if missing).
test: lint
	bash scripts/ensure-chromium.sh
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

## Install, then lint only: ruff's rules and formatting, and mypy (settings and files in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

## Benchmarks on generated study-size corpora (minutes; prints throughput and peak memory).
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

## Refresh requirements.lock from the current environment.
lock:
	$(BIN)/python -m pip freeze --exclude-editable > requirements.lock.new && mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) chrysalide-demo .pytest_cache
