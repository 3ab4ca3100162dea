"""The long schemathesis run (issue 16): 1,000+ positive-data requests per database back end.

Run: ``python benchmarks/fuzz_api.py`` (SQLite, and PostGIS when ``TONGAN_TEST_POSTGRES_URL`` is
set, e.g. by ``eval "$(.ci/postgres.sh)"``). For each back end it sends generated requests to
every operation of ``/openapi.json`` (150 per operation, 30 per analysis, fixed seed), checks
every response as ``tests/api/test_schemathesis.py`` does, and prints the number of requests,
the statuses, the 5xx count, the schema violations and the time. Target: 0 5xx and 0 violations.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' helpers

from geo.settings import DatabaseSettings
from tests.api.fuzz import fuzzer
from tests.conftest import POSTGRES_URL_ENV, postgres_schema

EXAMPLES = 150
ANALYSIS_EXAMPLES = 30
SEED = 16


def run(backend: str, database: DatabaseSettings) -> int:
    """One back end's run; returns the number of 5xx plus violations."""
    t0 = time.perf_counter()
    with fuzzer(database) as f:
        for operation in f.operations():
            examples = f.examples_for(operation, EXAMPLES, ANALYSIS_EXAMPLES)
            f.run(operation, examples, keep_going=True, seed=SEED)
    sent = sum(f.statuses.values())
    errors = sum(n for status, n in f.statuses.items() if status >= 500)
    print(
        f"{backend:10} {sent:6} requests in {time.perf_counter() - t0:5.0f} s; 5xx: {errors}; "
        f"schema violations: {len(f.violations)}; statuses {sorted(f.statuses.items())}"
    )
    for line in sorted(set(f.violations))[:20]:
        print(f"  {line}")
    return errors + len(f.violations)


def main() -> None:
    bad = run("sqlite", DatabaseSettings())
    base = os.environ.get(POSTGRES_URL_ENV)
    if base:
        with postgres_schema(base) as database:
            bad += run("postgresql", database)
    else:
        print(f'postgresql skipped: {POSTGRES_URL_ENV} is unset (eval "$(.ci/postgres.sh)")')
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
