"""Generated requests against the OpenAPI schema, on SQLite and on PostGIS (issues 9 and 16).

schemathesis sends positive data (what the schema allows) to every operation and checks every
response: no 5xx, a documented status and content type, a body matching its schema, and no
400/422 for a request the schema allows, except for the few operations whose rules JSON Schema
cannot say (:data:`tests.api.fuzz.BEYOND_THE_SCHEMA`). This is the short run of ``make test``
(a few hundred requests per back end); ``python benchmarks/fuzz_api.py`` is the long one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from api.server import create_app
from geo.settings import DatabaseSettings, Settings
from geo.validate import validate_layers
from tests.api.fuzz import Fuzzer, fuzzer
from tests.conftest import POSTGRES_URL_ENV, postgres_schema
from tests.tiny_area import TODAY, tiny_frames

EXAMPLES = 30  # per operation; simple operations run out of distinct cases sooner
ANALYSIS_EXAMPLES = 6  # each a whole analysis: fewer, so the run stays within a minute or so
MIN_REQUESTS = 250  # per back end (282 measured)


def _labels() -> list[str]:
    layers, _ = validate_layers(tiny_frames(), settings=Settings(), today=TODAY)
    spec = create_app(layers=layers, settings=Settings(), today=TODAY).openapi()
    return [f"{method.upper()} {path}" for path, ops in spec["paths"].items() for method in ops]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz(request: pytest.FixtureRequest) -> Iterator[Fuzzer]:
    """A server on the tiny area with a fresh database of each back end."""
    if request.param == "sqlite":
        with fuzzer(DatabaseSettings()) as f:
            yield f
        return
    base = os.environ.get(POSTGRES_URL_ENV)
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"CI must test PostgreSQL: {POSTGRES_URL_ENV} is unset")
        pytest.skip(f"{POSTGRES_URL_ENV} is unset and make test found no PostgreSQL")
    with postgres_schema(base) as database, fuzzer(database) as f:
        yield f


@pytest.mark.parametrize("label", _labels())
def test_api_conforms_to_its_schema(fuzz: Fuzzer, label: str) -> None:
    operation = fuzz.operation(label)
    fuzz.run(operation, fuzz.examples_for(operation, EXAMPLES, ANALYSIS_EXAMPLES))


def test_enough_requests_and_no_server_error(fuzz: Fuzzer) -> None:
    sent = sum(fuzz.statuses.values())
    print(f"schemathesis: {sent} generated requests, statuses {sorted(fuzz.statuses.items())}")
    assert sent >= MIN_REQUESTS, f"only {sent} generated requests"
    assert not [s for s in fuzz.statuses if s >= 500]
