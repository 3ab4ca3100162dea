# Two entry points do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# Where `make test` looks for PostgreSQL (Debian's layout) before starting its throw-away cluster.
POSTGRES_BIN ?= /usr/lib/postgresql/*/bin/postgres

.PHONY: run test install lint typecheck bench sample clean system

# Debian packages: npm (offline map assets), chromium (browser tests), a CJK font (Chinese pages),
# PostgreSQL + PostGIS (the production database; the tests run on it via .ci/postgres.sh).
SYSTEM_PACKAGES := nodejs npm chromium fonts-wqy-microhei postgresql postgresql-postgis postgis

ASSETS := maps/assets/node_modules/.package-lock.json
# The slowest tests are listed after every run, so the suite's time stays in view.
PYTEST_ARGS ?= --durations=30

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Leaflet and folium's plugins from the npm registry, served by the map server (offline maps).
$(ASSETS): maps/assets/package.json maps/assets/package-lock.json
	npm ci --prefix maps/assets --no-audit --no-fund --ignore-scripts --loglevel=error

## Install the Debian packages that are missing (as root; otherwise say which to install).
system:
	@missing=""; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || missing="$$missing fonts-wqy-microhei"; \
	ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing="$$missing postgresql"; \
	ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || missing="$$missing postgresql-postgis"; \
	command -v shp2pgsql >/dev/null || missing="$$missing postgis"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "please install the Debian packages:$$missing" >&2; exit 1; fi; \
	fi

install: system $(STAMP) $(ASSETS)

## The main job: the interactive maps of the embedded sample township, http://127.0.0.1:8000
run: install
	$(VENV)/bin/tongan validate
	$(VENV)/bin/tongan serve

## Lint, type-check and the whole test suite, on SQLite and on PostGIS: with PostgreSQL installed
## and TONGAN_TEST_POSTGRES_URL unset, a throw-away cluster is started (or reused) by
## .ci/postgres.sh; without PostgreSQL the database tests on it skip, saying why (fail with CI set).
test: install lint typecheck
	@if [ -z "$$TONGAN_TEST_POSTGRES_URL" ] && ls $(POSTGRES_BIN) >/dev/null 2>&1; then \
	  if postgres_env="$$(.ci/postgres.sh)"; then eval "$$postgres_env"; export TONGAN_TEST_POSTGRES_URL; \
	  elif [ -n "$$CI" ]; then exit 1; \
	  else echo "make test: no PostGIS cluster (see above); the PostgreSQL tests will skip" >&2; fi; \
	fi; \
	if [ -n "$$TONGAN_TEST_POSTGRES_URL" ]; then echo "make test: PostgreSQL tests on $${TONGAN_TEST_POSTGRES_URL%%:*}://...@$${TONGAN_TEST_POSTGRES_URL##*@}" >&2; fi; \
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## mypy with pyproject.toml's [tool.mypy]: the checks of --strict on geo/ and analysis/ (issue 17).
typecheck: install
	$(VENV)/bin/mypy

bench: install
	for b in benchmarks/bench_*.py; do $(PY) $$b || exit 1; done

## Regenerate the committed sample (the tests check it equals the generator's output).
sample: install
	$(PY) -m sample_layers.generate

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
