"""What a role without household access gets from coverage (issue 15): lattice gaps, rounded
counts, a quantised standard; authorised roles keep the detailed gaps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from analysis.coverage import assess_coverage
from analysis.privacy import _hex_ids, _hexagon
from api.server import create_app
from geo.layers import Layers
from geo.settings import Settings

COUNTS = ("households", "children", "left_behind", "in_difficulty")


@pytest.fixture(scope="module")
def sample() -> Layers:
    from geo.load import read_layers
    from geo.validate import validate_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, report = validate_layers(read_layers(SAMPLE_PATH), settings=Settings())
    assert report.ok
    return layers


@pytest.fixture(scope="module")
def anonymous(sample: Layers) -> Iterator[TestClient]:
    with TestClient(create_app(layers=sample, settings=Settings())) as c:
        yield c


def _figure(body: dict[str, Any], label: str) -> str:
    return next(f["value"] for f in body["figures"] if f["label"] == label)


def test_anonymous_coverage_uses_the_quantised_standard(anonymous: TestClient) -> None:
    body = anonymous.get("/api/coverage?standard_m=1049&lang=en").json()
    assert _figure(body, "Walking standard (m)") == "1000"
    again = anonymous.get("/api/coverage?standard_m=951&lang=en").json()
    assert again["figures"] == body["figures"]  # 951 and 1049 give the same answer


def test_anonymous_counts_are_multiples_of_the_base(anonymous: TestClient) -> None:
    body = anonymous.get("/api/coverage?lang=en").json()
    for label in ("Children", "Children within the standard", "Left-behind children uncovered"):
        assert int(_figure(body, label)) % 5 == 0
    gaps = body["tables"]["gaps"]["features"]
    assert gaps
    for name in ("villages", "townships"):
        for row in body["tables"][name]:
            for col, value in row.items():
                if value is not None and any(c in col for c in COUNTS) and "share" not in col:
                    assert value % 5 == 0, (name, col, value)
    for feature in gaps:
        props = feature["properties"]
        assert all(props[c] % 5 == 0 for c in COUNTS)
        assert props["households"] >= 5


def test_anonymous_gaps_are_lattice_cells(sample: Layers, anonymous: TestClient) -> None:
    """The OGC gap areas, back in metres, have every vertex on the 500 m lattice."""
    import geopandas as gpd

    data = anonymous.get("/ogc/collections/gap_areas/items?limit=1000").json()
    gaps = gpd.GeoDataFrame.from_features(data["features"], crs=4326).to_crs(sample.to_metric().crs)
    size = 500.0 / np.sqrt(3)
    xy = gaps.get_coordinates().to_numpy()
    q, r = _hex_ids(xy[:, 0], xy[:, 1], size)
    worst = 0.0
    for (x, y), a, b in zip(xy, q, r, strict=True):
        near = [(int(a) + dq, int(b) + dr) for dq in (-1, 0, 1) for dr in (-1, 0, 1)]
        v = np.vstack([np.asarray(_hexagon(i, j, size).exterior.coords) for i, j in near])
        worst = max(worst, float(np.hypot(v[:, 0] - x, v[:, 1] - y).min()))
    assert worst < 0.01  # metres, after a round trip through WGS84 degrees
    assert sum(f["properties"]["cells"] for f in data["features"]) >= len(data["features"])


def test_authorised_coverage_keeps_the_detailed_gaps(sample: Layers) -> None:
    settings = Settings()
    detailed = assess_coverage(sample.to_metric(), settings=settings, standard_m=1049)
    with TestClient(create_app(layers=sample, settings=settings, authorised=True)) as c:
        body = c.get("/api/coverage?standard_m=1049&lang=en").json()
    assert _figure(body, "Walking standard (m)") == "1049"
    assert _figure(body, "Children") == str(detailed.children)
    gaps = body["tables"]["gaps"]["features"]
    assert len(gaps) == len(detailed.gaps)
    assert [g["properties"]["households"] for g in gaps] == detailed.gaps["households"].tolist()


def test_anonymous_risk_spots_show_rounded_counts(anonymous: TestClient) -> None:
    body = anonymous.get("/api/risk?date=2026-07-15&lang=en").json()
    spots = [f["properties"] for f in body["tables"]["spots"]["features"]]
    assert spots
    for s in spots:
        for col in ("children_near", "near_households", "weighted_children"):
            assert s[col] is None or s[col] % 5 == 0, (col, s[col])
        if s["children_near"] is not None:
            assert f"{int(s['children_near'])} children within walking distance" in s["explanation"]


def test_anonymous_flood_and_overview_counts_are_rounded(
    sample: Layers, anonymous: TestClient
) -> None:
    flood = anonymous.get("/api/flood-review?date=2026-07-15&lang=en").json()
    inst = [f["properties"] for f in flood["tables"]["institutions"]["features"]]
    assert inst and all(p["exposed"] is None or p["exposed"] % 5 == 0 for p in inst)
    assert int(_figure(flood, "Children at high-hazard places")) % 5 == 0
    layers = anonymous.get("/maps/overview/download.csv?lang=en").content.decode("utf-8-sig")
    assert int(sample.households["children"].sum()) == 4858
    assert "4860 children:" in layers and "4858" not in layers  # rounded to 5
    ogc = anonymous.get("/ogc/collections/chosen_sites/items").json()
    for f in ogc["features"]:
        assert f["properties"]["households_gained"] % 5 == 0


def test_anonymous_siting_shares_come_from_rounded_weights(anonymous: TestClient) -> None:
    body = anonymous.get("/api/siting?standard_m=1049&lang=en").json()
    assert _figure(body, "Walking standard (m)") == "1000"
    for v in body["tables"]["villages"]:
        assert v["weight"] % 5 == 0 and v["covered_before"] % 5 == 0
        if v["weight"]:
            covered = v["share_before"] * v["weight"]
            assert covered == pytest.approx(5 * round(covered / 5), abs=1e-6)
