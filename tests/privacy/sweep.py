"""Parameter sweeps and differencing: what two allowed answers give away when subtracted.

The values swept come from each ``/api`` endpoint's OpenAPI parameters: a distance in metres
(``standard_m``) over 800-1200 m in steps of 25 m, an integer over its first values, every value
of an enumeration, a date over the flood season, a village code over the villages.
:func:`units` reads the counts of each answer per unit (a table row by its code, a cell by its
position, a county figure by its label) and :func:`differences` finds the units whose child or
household counts differ between two answers by 1 to ``min_children - 1``: a small group singled
out. Gaps carry no stable id; :func:`gap_pairs` matches them between answers by overlap.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

#: The standard swept (m): the issue's 17 requests.
STANDARDS = [800.0 + 25.0 * i for i in range(17)]
#: Dates over the flood season, four weeks apart.
SEASON = [dt.date(2026, 6, 1) + dt.timedelta(days=28 * i) for i in range(4)]
#: At most this many values of an integer parameter (from its minimum).
INTEGERS = 3
#: Values of a number parameter that is not a distance (hours).
NUMBERS = [4.0, 8.0]
#: Columns and figure labels that count children or households.
COUNT_WORDS = ("children", "left_behind", "in_difficulty", "households")
#: Parameters that choose the place an answer is about: its figures are that place's.
PLACE_PARAMETERS = frozenset({"village"})
#: Table columns that name a unit, in order of preference.
KEYS = ("code", "village_code", "township_code", "spot_id", "institution_id", "site_id",
        "facility_id", "chief", "place_code")  # fmt: skip


def sweep_values(parameter: dict[str, Any], villages: list[str]) -> list[object]:
    """The values of one OpenAPI query parameter an attacker tries (empty: not swept)."""
    name = parameter["name"]
    schema = parameter.get("schema", {})
    options = schema.get("anyOf", [schema])
    types = {o.get("type") for o in options}
    enums = [v for o in options for v in o.get("enum", [])]
    if name == "lang":
        return []
    if enums:
        return enums
    if any(o.get("format") == "date" for o in options):
        return [d.isoformat() for d in SEASON]
    if name.endswith("_m") and "number" in types:
        return list(STANDARDS)
    if "integer" in types:
        low = next((int(o["minimum"]) for o in options if "minimum" in o), 1)
        high = next((int(o["maximum"]) for o in options if "maximum" in o), low + INTEGERS)
        return list(range(low, min(high, low + INTEGERS - 1) + 1))
    if "number" in types:
        return list(NUMBERS)
    if name == "village":
        return list(villages)
    return []


@dataclass(frozen=True)
class Answer:
    """One answer of a sweep: the parameter value asked and the JSON it gave."""

    analysis: str
    parameter: str
    value: object
    doc: dict[str, Any]

    def tables(self) -> dict[str, Any]:
        return dict(self.doc.get("tables", {}))

    def shapes(self) -> list[BaseGeometry]:
        out = []
        for table in self.tables().values():
            if isinstance(table, dict):
                out.extend(shape(f["geometry"]) for f in table["features"] if f.get("geometry"))
        return [g for g in out if not g.is_empty]

    def gaps(self) -> list[tuple[BaseGeometry, dict[str, Any]]]:
        table = self.tables().get("gaps")
        if not isinstance(table, dict):
            return []
        return [
            (shape(f["geometry"]), f["properties"]) for f in table["features"] if f.get("geometry")
        ]


def _counts(row: dict[str, Any]) -> dict[str, float]:
    out = {}
    for col, value in row.items():
        # a share (share_children...) is a ratio of two counts that are themselves checked
        counts = any(w in str(col).lower() for w in COUNT_WORDS) and not str(col).startswith(
            "share"
        )
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if counts and number and np.isfinite(value):
            out[str(col)] = float(value)
    return out


def units(answer: Answer) -> dict[tuple[str, str], dict[str, float]]:
    """The child and household counts of an answer per unit (gaps excepted: see gap_pairs)."""
    out: dict[tuple[str, str], dict[str, float]] = {}
    # a parameter choosing the place (a village) makes each answer's figures another unit's
    where = f" @{answer.value}" if answer.parameter in PLACE_PARAMETERS else ""
    for label, value in ((f["label"], f["value"]) for f in answer.doc.get("figures", [])):
        if any(w in label.lower().replace("-", "_").replace(" ", "_") for w in COUNT_WORDS):
            with contextlib.suppress(ValueError):
                out[("figures", f"{label}{where}")] = {"value": float(str(value).replace(",", ""))}
    for name, table in answer.tables().items():
        if name == "gaps":
            continue
        if isinstance(table, dict):
            rows = [
                {**f["properties"], "_at": _where(f.get("geometry"))} for f in table["features"]
            ]
        else:
            rows = list(table)
        key = next((k for k in KEYS if rows and all(k in r for r in rows)), None)
        for i, row in enumerate(rows):
            unit = str(row[key]) if key else str(row.get("_at", i))
            counts = _counts(row)
            if counts:
                out[(name, unit)] = counts
    return out


def _where(geometry: dict[str, Any] | None) -> str:
    if not geometry:
        return "-"
    c = shape(geometry).centroid
    return f"{c.x:.5f},{c.y:.5f}"


@dataclass(frozen=True)
class Difference:
    """Two answers whose counts of one unit differ by a small number."""

    analysis: str
    parameter: str
    values: tuple[object, object]
    unit: tuple[str, str]
    column: str
    by: float

    def __str__(self) -> str:
        a, b = self.values
        return (
            f"/api/{self.analysis} {self.parameter}={a} vs {b}: {self.unit[0]} {self.unit[1]} "
            f"{self.column} differs by {self.by:g}"
        )


def differences(answers: list[Answer], smallest_group: int) -> list[Difference]:
    """Every unit and count that two answers of one sweep give differing by 1..smallest_group-1."""
    out = []
    per = [(a, units(a)) for a in answers]
    for (a, ua), (b, ub) in itertools.combinations(per, 2):
        for unit in ua.keys() & ub.keys():
            for col in ua[unit].keys() & ub[unit].keys():
                by = abs(ua[unit][col] - ub[unit][col])
                if 1 <= by <= smallest_group - 1:
                    out.append(
                        Difference(a.analysis, a.parameter, (a.value, b.value), unit, col, by)
                    )
    return out


def gap_pairs(
    a: Answer, b: Answer
) -> Iterator[tuple[BaseGeometry, dict[str, Any], BaseGeometry, dict[str, Any]]]:
    """Gaps of two answers matched by their largest overlap (each gap of ``a`` once)."""
    gb = b.gaps()
    if not gb:
        return
    tree = shapely.STRtree([g for g, _ in gb])
    for geom, props in a.gaps():
        hits = tree.query(geom, predicate="intersects")
        if not len(hits):
            continue
        best = max(hits, key=lambda i: geom.intersection(gb[i][0]).area)
        yield geom, props, gb[best][0], gb[best][1]


def body_json(body: bytes) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(body)
    return doc
