"""Issue 15: sweeping the parameters a role may vary and subtracting the answers singles out
nobody: no unit's child or household count differs between two allowed answers by 1 to
``min_children - 1``, gap differences are whole lattice cells, and no answer or difference of
answers gives back a household within 25 m. Shrinking the bbox of OGC requests neither.

The sweeps run as the anonymous role against ``/api/<analysis>`` (every endpoint whose answer is
an ``AnalysisOut``, found in the OpenAPI schema), one parameter at a time. The analyses do not
depend on the back end: the SQLite server is swept in full, the PostGIS one over the walking
standard of ``/api/coverage`` (the issue's 17 requests), to keep the suite short.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry.base import BaseGeometry

from geo.settings import get_settings
from tests.privacy.attack import Score, Truth, attack, score
from tests.privacy.conftest import Server
from tests.privacy.extract import Extent, geometries_of
from tests.privacy.sweep import Answer, body_json, differences, gap_pairs, sweep_values

_SWEEPS: dict[str, list[list[Answer]]] = {}
#: Households around which bboxes shrink, and the half-widths of the boxes (m).
BBOX_CENTRES = 6
BBOX_HALF_M = (1000.0, 300.0, 100.0, 30.0)


def _full(server: Server, path: str, parameter: str) -> bool:
    return server.backend == "sqlite" or (path, parameter) == ("/api/coverage", "standard_m")


def sweeps(server: Server) -> list[list[Answer]]:
    """Every sweep of every analysis endpoint (one list of answers per parameter), made once."""
    if server.url in _SWEEPS:
        return _SWEEPS[server.url]
    crawler = server.crawler("anonymous")
    try:
        areas = body_json(crawler.get("/ogc/collections/areas/items", {"limit": 1000}).body)
        villages = [
            str(f["properties"]["code"])
            for f in areas["features"]
            if f["properties"].get("level") == "village"
        ]
        out = []
        for path, op in crawler.api_paths().items():
            ref = json_ref(op)
            if not ref.endswith("AnalysisOut"):
                continue
            for parameter in op.get("parameters", []):
                name = parameter["name"]
                values = sweep_values(parameter, villages) if _full(server, path, name) else []
                answers = []
                for value in values:
                    got = crawler.get(path, {name: value, "lang": "en"})
                    assert got.status == 200, f"{got.url}: {got.status} {got.body[:300]!r}"
                    answers.append(
                        Answer(path.removeprefix("/api/"), name, value, body_json(got.body))
                    )
                if answers:
                    out.append(answers)
    finally:
        crawler.close()
    assert out, f"{server.url}: no analysis parameter to sweep in the OpenAPI schema"
    _SWEEPS[server.url] = out
    return out


def json_ref(op: dict[str, Any]) -> str:
    content = op.get("responses", {}).get("200", {}).get("content", {})
    return str(content.get("application/json", {}).get("schema", {}).get("$ref", ""))


def _label(answers: list[Answer]) -> str:
    a = answers[0]
    return f"/api/{a.analysis}?{a.parameter}={','.join(str(x.value) for x in answers)}"


def test_the_sweeps_cover_the_parameters(server: Server) -> None:
    """Not trivially passable: the walking standard and, on SQLite, dates, k and enums are swept."""
    swept = {(s[0].analysis, s[0].parameter): len(s) for s in sweeps(server)}
    assert swept.get(("coverage", "standard_m")) == 17, swept
    if server.backend == "sqlite":
        assert swept.get(("siting", "standard_m")) == 17, swept
        for key in [("risk", "date"), ("siting", "k"), ("patrol", "mode"), ("visits", "village")]:
            assert swept.get(key, 0) >= 3, f"{key} not swept: {swept}"


def test_no_two_answers_single_out_a_small_group(server: Server) -> None:
    smallest = get_settings().privacy.min_children
    found = [d for answers in sweeps(server) for d in differences(answers, smallest)]
    per = Counter(f"/api/{d.analysis} {d.parameter} {d.unit[0]}" for d in found)
    units = {(d.analysis, d.unit) for d in found}
    print(
        f"{server.backend}: {len(found)} differences of 1..{smallest - 1} over {len(units)} units"
    )
    for key, n in per.most_common():
        print(f"  {key}: {n}")
    assert not found, (
        f"{server.backend}: {len(found)} pairs of answers differ by 1..{smallest - 1} children or "
        f"households on {len(units)} units ({dict(per.most_common(12))}); e.g.:\n"
        + "\n".join(str(d) for d in found[:25])
    )


def _gap_union(answer: Answer) -> BaseGeometry:
    return shapely.union_all([g for g, _ in answer.gaps()])


def _pairs(answers: list[Answer]) -> list[tuple[Answer, Answer]]:
    return list(itertools.pairwise(answers))


def test_gap_differences_are_whole_lattice_cells(server: Server, truth: Truth) -> None:
    """The region two answers' gaps differ by is a union of privacy hexagons, nothing finer."""
    bad: list[str] = []
    singled = 0
    for answers in sweeps(server):
        if not answers[0].gaps() and not answers[-1].gaps():
            continue
        for a, b in _pairs(answers):
            for _ga, pa, _gb, pb in gap_pairs(a, b):
                if 1 <= abs(float(pa["households"]) - float(pb["households"])) < 5:
                    singled += 1
            diff = _gap_union(a).symmetric_difference(_gap_union(b))
            parts = [p for p in getattr(diff, "geoms", [diff]) if not p.is_empty and p.area > 1e-12]
            # slivers under a square metre are the overlay's rounding along shared cell edges
            odd = [p for p in truth.metric(parts) if p.area >= 1.0 and not truth.is_public(p)]
            if odd:
                bad.append(
                    f"/api/{a.analysis} {a.parameter}={a.value} vs {b.value}: {len(odd)} of "
                    f"{len(parts)} difference regions are not whole lattice cells"
                )
    print(
        f"{server.backend}: {singled} gap pairs differ by 1..4 households; {len(bad)} bad differences"
    )
    assert not bad and not singled, (
        f"{server.backend}: {singled} matched gap pairs differ by 1..4 households, and\n"
        + "\n".join(bad[:25])
    )


def _attack_sweep(truth: Truth, answers: list[Answer]) -> tuple[Score, Score]:
    """Households recovered from every answer of a sweep, and from the answers' differences."""
    shapes = [g for a in answers for g in a.shapes()]
    whole = score(truth, attack(truth, shapes).all_points())
    diffs: list[BaseGeometry] = []
    for a, b in _pairs(answers):
        for ga, _, gb, _ in gap_pairs(a, b):
            d = ga.symmetric_difference(gb)
            diffs.extend(p for p in getattr(d, "geoms", [d]) if not p.is_empty)
    return whole, score(truth, attack(truth, diffs).all_points())


def test_no_sweep_recovers_a_household(server: Server, truth: Truth) -> None:
    lines = []
    for answers in sweeps(server):
        whole, diff = _attack_sweep(truth, answers)
        label = _label(answers)
        print(f"{server.backend} {label}: all answers: {whole}; differences: {diff}")
        if whole.leaks:
            lines.append(f"{label} [all answers]: {whole}")
        if diff.leaks:
            lines.append(f"{label} [gap differences]: {diff}")
    assert not lines, f"{server.backend}: households recovered by sweeps:\n" + "\n".join(lines)


def test_counts_are_rounded_and_the_standard_quantised(server: Server) -> None:
    """The defences' contract: counts are multiples of ``privacy.round_base`` or withheld, and
    ``standard_m`` acts in steps of ``privacy.standard_step_m`` (the 17 standards of 800-1200 m
    give at most 6 different answers)."""
    privacy = get_settings().privacy
    base = float(getattr(privacy, "round_base", 5))
    step = float(getattr(privacy, "standard_step_m", 100))
    unrounded = Counter()
    for answers in sweeps(server):
        for a in answers:
            from tests.privacy.sweep import units

            for unit, counts in units(a).items():
                for col, value in counts.items():
                    if value % base:
                        unrounded[f"/api/{a.analysis} {unit[0]}.{col}"] += 1
        if answers[0].parameter == "standard_m":
            lo, hi = min(STANDARD_RANGE(answers)), max(STANDARD_RANGE(answers))
            most = int(hi // step - lo // step) + 2
            distinct = {repr(sorted(a.tables().items(), key=str)) for a in answers}
            assert len(distinct) <= most, (
                f"{_label(answers)}: {len(distinct)} different answers from {len(answers)} "
                f"standards: the standard is not quantised to {step:g} m"
            )
    assert not unrounded, (
        f"{server.backend}: counts not multiples of {base:g}: {dict(unrounded.most_common(20))}"
    )


def STANDARD_RANGE(answers: list[Answer]) -> list[float]:  # noqa: N802
    return [float(a.value) for a in answers]  # type: ignore[arg-type]


def test_shrinking_bboxes_recover_no_household(
    server: Server, truth: Truth, extent: Extent
) -> None:
    """Every OGC collection asked for ever smaller boxes around households gives nothing away."""
    crawler = server.crawler("anonymous")
    rng = np.random.default_rng(15)
    to_wgs = truth.to_metric  # metric -> WGS84 by the inverse transform
    lines = []
    try:
        listing = body_json(crawler.get("/ogc/collections").body)["collections"]
        centres = truth.households[rng.choice(len(truth.households), BBOX_CENTRES, replace=False)]
        for collection in listing:
            cid = collection["id"]
            shapes = []
            for (x, y), half in itertools.product(centres, BBOX_HALF_M):
                lon0, lat0 = to_wgs.transform(x - half, y - half, direction="INVERSE")
                lon1, lat1 = to_wgs.transform(x + half, y + half, direction="INVERSE")
                got = crawler.get(
                    f"/ogc/collections/{cid}/items",
                    {"bbox": f"{lon0:.6f},{lat0:.6f},{lon1:.6f},{lat1:.6f}", "limit": 1000},
                )
                assert got.status == 200, f"{got.url}: {got.status}"
                shapes.extend(geometries_of(got.kind, got.body, extent))
            s = score(truth, attack(truth, shapes).all_points())
            if s.leaks:
                lines.append(f"/ogc/collections/{cid}/items?bbox=... (shrinking): {s}")
    finally:
        crawler.close()
    assert len(listing) >= 10
    assert not lines, (
        f"{server.backend}: households recovered with shrinking bboxes:\n" + "\n".join(lines)
    )


@pytest.fixture(autouse=True)
def _no_network_beyond_loopback(server: Server) -> None:
    assert server.url.startswith("http://127.0.0.1:")
