"""Schemathesis against the API on the tiny study area, on SQLite or PostGIS (issues 9 and 16).

schemathesis generates requests from ``/openapi.json`` with *positive* data (values the schema
allows) for every operation and checks each response: not a 5xx, a documented status and
content type, a body matching its schema, and positive data accepted (no 400/422 for a request
the schema allows). The server runs on the tiny area (an analysis takes milliseconds) with an
admin token, so writes are exercised too. Used by ``tests/api/test_schemathesis.py`` (a short
run per back end) and ``benchmarks/fuzz_api.py`` (the long run whose counts the README gives).
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from api.data_api import API_PATHS as ANALYSES
from api.server import create_app
from geo.settings import DatabaseSettings, Settings
from geo.storage import Store
from geo.validate import validate_layers
from tests.tiny_area import TODAY, tiny_frames

#: Operations whose rules go beyond what JSON Schema can say, so a schema-valid request may
#: rightly be refused: they are checked for everything but the acceptance of positive data.
BEYOND_THE_SCHEMA: dict[str, str] = {
    "POST /api/inspections": "references to layer ids and the rules of a new item",
    "PATCH /api/inspections/{inspection_id}": "a correction is checked like a new inspection",
    "POST /api/layers/{name}": "the uploaded file's content is a layer only if it validates",
    "GET /api/patrol": "a start point must lie in the study area",
    "POST /api/patrols/verify": "the file must be a GPX track of the day, the chief one with stops",
    "POST /api/inspections/{record_id}/photos": "the file must be a JPEG, PNG or WebP image",
    "POST /api/visit-records/{record_id}/photos": "the file must be a JPEG, PNG or WebP image",
    "POST /api/visit-records": "the household must be one of the user's villages, the date past",
    "GET /api/supervision": "the month must have begun (not after the server's today)",
    "GET /api/siting": "k can be at most the number of candidate sites the layers give",
    "GET /api/visits": "a village code must be one of the layer's",
    "GET /ogc/collections/{cid}/items": "a bbox's minimum latitude comes before its maximum",
}


@dataclass
class Fuzzer:
    """A server under test, its token and what was sent."""

    schema: Any
    token: str
    statuses: Counter[int] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)

    def operations(self) -> list[Any]:
        return [result.ok() for result in self.schema.get_all_operations()]

    def operation(self, label: str) -> Any:
        return next(op for op in self.operations() if op.label == label)

    def run(
        self, operation: Any, examples: int, *, keep_going: bool = False, seed: int | None = None
    ) -> None:
        """Send ``examples`` generated requests to one operation and check every response.

        With ``keep_going`` a failed check is recorded in ``violations`` and the run goes on;
        otherwise it raises (and hypothesis shrinks it to a minimal failing request). ``seed``
        makes the run repeatable.
        """
        excluded = [positive_data_acceptance] if operation.label in BEYOND_THE_SCHEMA else []

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers={"Authorization": f"Bearer {self.token}"})
            self.statuses[response.status_code] += 1
            try:
                case.validate_response(response, excluded_checks=excluded)
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup
                if not keep_going:
                    raise
                self.violations.append(f"{operation.label}: {_summary(exc)}")

        if seed is not None:
            check = hypothesis.seed(seed)(check)
        check()

    def examples_for(self, operation: Any, per_operation: int, per_analysis: int) -> int:
        analysis = operation.path.removeprefix("/api/") in ANALYSES
        return per_analysis if analysis else per_operation


@contextmanager
def fuzzer(database: DatabaseSettings) -> Iterator[Fuzzer]:
    """A server on the tiny area with a fresh workspace on ``database``, and an admin token."""
    layers, report = validate_layers(tiny_frames(), settings=Settings(), today=TODAY)
    assert report.ok
    workspace = Path(tempfile.mkdtemp(prefix="tongan-fuzz-"))
    store = Store.open(database, workspace)
    try:
        token = store.add_user("fuzzer", "admin")
        app = create_app(layers=layers, settings=Settings(), store=store, today=TODAY)
        yield Fuzzer(schemathesis.openapi.from_asgi("/openapi.json", app), token)
    finally:
        store.close()
        shutil.rmtree(workspace, ignore_errors=True)


def _summary(exc: BaseException) -> str:
    """The failure's title, response and request (schemathesis' message, on one line)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    keep = [line for line in lines if line.startswith(("- ", "[", "`", "curl"))]
    return " | ".join(keep or lines[:3])[:600]
