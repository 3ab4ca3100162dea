# Two entry points do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test install lint typecheck bench sample clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## The main job on the embedded sample township.
run: install
	$(VENV)/bin/tongan validate

## Lint, type-check and the whole test suite.
test: install lint typecheck
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy

bench: install
	for b in benchmarks/bench_*.py; do $(PY) $$b || exit 1; done

## Regenerate the committed sample (the tests check it equals the generator's output).
sample: install
	$(PY) -m sample_layers.generate

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
