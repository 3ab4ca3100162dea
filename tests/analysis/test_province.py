"""Province runs on a real (local, two-process) Dask cluster: equality, borders, failures.

Two provinces: a hand-built one of two 2 km counties (A west, B east, a road across the border,
a pond in A 100 m from the border and a household of B 200 m past it), whose answers are worked
out by hand; and three tiny synthetic counties (``benchmarks/synthetic_province.py``) whose
results must equal the normal analyses run on one county's layers alone.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import cloudpickle
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box
from typer.testing import CliRunner

from analysis.coverage import assess_coverage
from analysis.flood import review_institutions
from analysis.province import (
    AUTHORISED_STAGES,
    CountyLayers,
    ProvinceResult,
    StageOutput,
    local_cluster_client,
    risk_stage,
    run_province,
)
from analysis.risk import assess_risk
from api.cli import app
from geo.layers import Layers
from geo.settings import ProvinceSettings, Settings
from geo.validate import validate_layers

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic_province import county_code, synthetic_province, write_province

# the stages below are defined in this test module, which workers cannot import: ship by value
cloudpickle.register_pickle_by_value(sys.modules[__name__])

DATE = dt.date(2026, 7, 15)
CRS = "EPSG:32649"
X0, Y0 = 400_000.0, 3_250_000.0
A, B = "420101", "420102"
BUFFER_M = 1_500.0


def _settings(**province: object) -> Settings:
    base = {"border_buffer_m": BUFFER_M, "workers": 2, "allowed_worker_deaths": 1, "retries": 0}
    return Settings(province=ProvinceSettings(**(base | province)))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    with local_cluster_client(_settings(worker_memory_gb=1.5)) as c:
        yield c


def _xy(x: float, y: float) -> Point:
    return Point(X0 + x, Y0 + y)


def _line(*pts: tuple[float, float]) -> LineString:
    return LineString([(X0 + x, Y0 + y) for x, y in pts])


def _box(x0: float, x1: float) -> object:
    return box(X0 + x0, Y0, X0 + x1, Y0 + 2000)


def two_counties(*, b_roads: bool = True) -> dict[str, gpd.GeoDataFrame]:
    """County A (x 0-2 km) and B (x 2-4 km); without ``b_roads`` B has no road of its own."""
    areas = gpd.GeoDataFrame(
        {
            "code": [A, f"{A}001", f"{A}001001", B, f"{B}001", f"{B}001001"],
            "name": ["甲县", "甲镇", "甲村", "乙县", "乙镇", "乙村"],
            "level": ["county", "township", "village"] * 2,
            "parent_code": ["", A, f"{A}001", "", B, f"{B}001"],
        },
        geometry=[_box(0, 2000)] * 3 + [_box(2000, 4000)] * 3,
        crs=CRS,
    )
    households = gpd.GeoDataFrame(
        {
            "id": ["HA1", "HB1"],
            "village_code": [f"{A}001001", f"{B}001001"],
            "children": [2, 4],
            "left_behind": [1, 2],
            "in_difficulty": [0, 0],
        },
        geometry=[_xy(300, 1000), _xy(2100, 1000)],
        crs=CRS,
    )
    waters = gpd.GeoDataFrame(
        {"id": ["W1", "W2"], "name": ["甲塘", "乙河"], "kind": ["pond", "river"]},
        geometry=[_xy(1900, 1100).buffer(30), _line((3000, 0), (3000, 2000))],
        crs=CRS,
    )
    # the road along y = 1 km in 500 m pieces (junctions every 500 m)
    ends = [*range(0, 4001, 500)] if b_roads else [0, 500, 1000, 1500, 1900]
    roads = gpd.GeoDataFrame(
        {"id": [f"R{i}" for i in range(len(ends) - 1)], "kind": "village_road"},
        geometry=[_line((x0, 1000), (x1, 1000)) for x0, x1 in itertools.pairwise(ends)],
        crs=CRS,
    )
    schools = gpd.GeoDataFrame(
        {"id": ["SA", "SB"], "name": ["甲小学", "乙小学"], "kind": ["primary"] * 2},
        geometry=[_xy(200, 200), _xy(3040, 1800)],
        crs=CRS,
    )
    schools["pupils"] = [100, 300]
    facilities = gpd.GeoDataFrame(
        {
            "id": ["FA", "FB"],
            "name": ["甲村儿童之家", "乙镇工作站"],
            "kind": ["children_home", "township_workstation"],
            "area_code": [f"{A}001001", f"{B}001"],
            "floor_area_m2": [40.0, 60.0],
        },
        geometry=[_xy(1000, 1000), _xy(3500, 1000)],
        crs=CRS,
    )
    return {
        "areas": areas,
        "households": households,
        "waters": waters,
        "roads": roads,
        "schools": schools,
        "facilities": facilities,
    }


def _write(frames: dict[str, gpd.GeoDataFrame], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.to_parquet(folder / f"{name}.parquet")
    return folder


def _spots(out: Path, code: str) -> gpd.GeoDataFrame:
    return gpd.read_parquet(out / "risk" / "spots" / f"county_code={code}")


def _row(result: ProvinceResult, code: str) -> pd.Series:
    counties = result.counties.set_index("county_code")
    return counties.loc[code]


# --- the hand-built province: borders, bad input, dying workers -----------------------------


class _Killer:
    """The risk stage, but county B's task kills its worker process: once, or every time."""

    def __init__(self, marker: Path | None) -> None:
        self.marker = marker

    def __call__(self, county: CountyLayers, settings: Settings, date: dt.date) -> StageOutput:
        if county.code == B and (self.marker is None or not self.marker.exists()):
            if self.marker is not None:
                self.marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        return risk_stage(county, settings, date, authorised=True)


def test_border_buffer_and_a_dead_worker_retried(client: object, tmp_path: Path) -> None:
    layers = _write(two_counties(), tmp_path / "in")
    marker = tmp_path / "killed"
    # exact counts (the authorised stages): the public ones round them (issue 15)
    stages = {**AUTHORISED_STAGES, "risk": _Killer(marker)}
    near = run_province(
        layers, tmp_path / "near", client=client, settings=_settings(), date=DATE, stages=stages
    )
    # B's risk task killed its worker once; Dask ran it again on a live worker
    assert marker.exists()
    assert near.counties["status"].tolist() == ["ok", "ok"] and near.failed == []
    assert len(_spots(tmp_path / "near", B)) == _row(near, B)["spots"] > 0

    spots = _spots(tmp_path / "near", A).sort_values("spot_id")
    # the pond's shore (188 m) makes two reaches; B's household (4 children) walks to both
    assert spots["spot_id"].tolist() == ["W1-001", "W1-002"]
    assert spots["children_near"].tolist() == [4, 4]
    assert _row(near, A)["spots"] == 2
    # coverage: A's household walks 700 m to A's children's home, B's 1,100 m (beyond 1,000 m)
    assert _row(near, A)["children_covered"] == 2 and _row(near, A)["children"] == 2
    assert _row(near, B)["children_covered"] == 0 and _row(near, B)["children"] == 4
    # flood: B's school stands 40 m from the river (high), the rest is low
    assert _row(near, B)["flood_high"] == 1 and _row(near, A)["flood_high"] == 0
    assert set(near.townships["township_code"]) == {f"{A}001", f"{B}001"}
    assert near.chunks.set_index("layer").loc["households", "outside"] == 0
    workers = near.workers
    assert (workers["peak_mb"] > 0).all() and (workers["limit_mb"] == 1536).all()
    assert workers["alive"].sum() == 2 and len(workers) >= 2  # the dead one, if it reported

    # without a buffer A does not see B's household: no reach of the pond is near anyone
    alone = run_province(
        layers,
        tmp_path / "alone",
        client=client,
        settings=_settings(border_buffer_m=0.0),
        date=DATE,
        stages={"risk": risk_stage},
    )
    assert _row(alone, A)["spots"] == 0


def _alone(province: Layers, code: str, buffer_m: float) -> tuple[Layers, object]:
    """One county's layers, clipped with plain geopandas, validated as ``tongan`` does."""
    areas = province.areas
    county = areas.loc[(areas["level"] == "county") & (areas["code"] == code)].geometry.iloc[0]
    reach = county.buffer(buffer_m)
    frames = {
        name: frame.loc[frame.intersects(reach)].reset_index(drop=True)
        for name, frame in province.items()
        if len(frame)
    }
    layers, report = validate_layers(frames, settings=Settings())
    assert report.ok, report.lines("en")
    return layers.to_metric(), county


def test_a_county_in_the_province_equals_the_county_run_alone(
    client: object, tmp_path: Path
) -> None:
    province = synthetic_province(2, scale=0.004)
    layers = write_province(province, tmp_path / "in", row_group_rows=700)
    settings = _settings(chunk_mb=0.001)  # a chunk per row group
    result = run_province(  # exact counts to compare: the authorised stages
        layers,
        tmp_path / "out",
        client=client,
        settings=settings,
        date=DATE,
        stages=AUTHORISED_STAGES,
    )
    assert result.counties["status"].tolist() == ["ok"] * 2
    assert result.chunks.set_index("layer").loc["households", "chunks"] == 3  # 1,600 rows / 700

    code = county_code(0)  # its neighbour lies to the east
    alone, county = _alone(province, code, BUFFER_M)

    risk = assess_risk(alone, settings=Settings(), date=DATE)
    expected = risk.spots.loc[risk.spots.intersects(county)].sort_values("spot_id")
    got = _spots(tmp_path / "out", code).to_crs(CRS).sort_values("spot_id")
    assert len(got) == len(expected) == _row(result, code)["spots"] > 0
    assert got["spot_id"].tolist() == expected["spot_id"].tolist()
    for col in ("risk", "exposure", "hazard", "mitigation", "fence_needed_m"):
        np.testing.assert_allclose(got[col], expected[col], rtol=1e-12, err_msg=col)
    for col in ("risk_class", "children_near", "missing_items", "township_code"):
        assert got[col].tolist() == expected[col].tolist(), col
    np.testing.assert_allclose(got.geometry.x, expected.geometry.x, atol=1e-3)

    # the whole province in one analysis gives the county the same risk: the buffer suffices
    whole = assess_risk(province, settings=Settings(), date=DATE).spots
    whole = whole.loc[whole.intersects(county)].sort_values("spot_id")
    assert whole["spot_id"].tolist() == expected["spot_id"].tolist()
    np.testing.assert_allclose(whole["risk"], expected["risk"], rtol=1e-12)

    cov = assess_coverage(alone, settings=Settings())
    villages = pd.read_parquet(tmp_path / "out" / "coverage" / "villages" / f"county_code={code}")
    own = cov.villages.loc[cov.villages["code"].str.startswith(code)].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        villages.reset_index(drop=True), own, check_dtype=False, check_exact=False, rtol=1e-12
    )
    assert _row(result, code)["children_covered"] == own["children_covered"].sum()

    flood = review_institutions(alone, settings=Settings(), date=DATE).institutions
    flood = flood.loc[flood.intersects(county)].sort_values("id")
    inst = gpd.read_parquet(tmp_path / "out" / "flood" / "institutions" / f"county_code={code}")
    inst = inst.sort_values("id")
    assert inst["id"].tolist() == flood["id"].tolist()
    assert inst["level"].tolist() == flood["level"].tolist()
    np.testing.assert_allclose(inst["escape_m"], flood["escape_m"], rtol=1e-12)

    towns = result.townships
    assert len(towns) == 2 and set(towns["county_code"]) == {county_code(k) for k in range(2)}
    assert towns["spots"].sum() == result.counties["spots"].sum()


# --- the command line --------------------------------------------------------------------------


def test_cli_skips_a_county_missing_a_layer_and_completes_the_other(
    client: object, tmp_path: Path
) -> None:
    layers = _write(two_counties(b_roads=False), tmp_path / "in")
    address = client.scheduler.address  # type: ignore[attr-defined]
    runner = CliRunner(env={"COLUMNS": "250"})
    out = tmp_path / "out"
    args = ["province", "--layers", str(layers), "--out", str(out), "--scheduler", address]
    result = runner.invoke(app, [*args, "--date", "2026-07-15", "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "skipped" in result.output and "required layer roads" in result.output
    counties = pd.read_csv(out / "province_counties.csv", dtype={"county_code": str})
    assert counties["status"].tolist() == ["ok", "skipped"]
    assert counties["stage"].tolist()[1] == "check"
    assert "required layer roads" in counties["reason_en"][1] and "道路" in counties["reason_zh"][1]
    assert counties["spots"].tolist()[0] == 2
    assert (out / "risk" / "spots" / f"county_code={A}").is_dir()
    assert not (out / "risk" / "spots" / f"county_code={B}").exists()
    assert (out / "province.xlsx").exists()

    missing = runner.invoke(app, ["province", "--layers", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert "is not a folder" in missing.output


class _Failing:
    """The risk stage, but county B's task raises every time (each attempt noted in a file)."""

    def __init__(self, attempts: Path) -> None:
        self.attempts = attempts

    def __call__(self, county: CountyLayers, settings: Settings, date: dt.date) -> StageOutput:
        if county.code == B:
            with self.attempts.open("a") as f:
                f.write("attempt\n")
            msg = "disk full"
            raise OSError(msg)
        return risk_stage(county, settings, date, authorised=True)


def test_a_county_whose_task_keeps_failing_is_reported_failed(
    client: object, tmp_path: Path
) -> None:
    layers = _write(two_counties(), tmp_path / "in")
    attempts = tmp_path / "attempts"
    result = run_province(
        layers, tmp_path / "out", client=client, settings=_settings(retries=1), date=DATE,
        stages={"risk": _Failing(attempts)},
    )  # fmt: skip
    assert attempts.read_text().splitlines() == ["attempt", "attempt"]  # run, then one retry
    b = _row(result, B)
    assert (b["status"], b["stage"]) == ("failed", "risk")
    assert b["reason_en"] == "risk: OSError: disk full"
    assert _row(result, A)["status"] == "ok" and _row(result, A)["spots"] == 2
    assert result.failed == [B]


def test_default_stages_give_the_public_view(client: object, tmp_path: Path) -> None:
    """Issue 15: without --authorised a county's one household near the pond (4 children) is
    withheld from the spots and the county figures, and no household rows are written."""
    layers = _write(two_counties(), tmp_path / "in")
    result = run_province(layers, tmp_path / "out", client=client, settings=_settings(), date=DATE)
    assert result.counties["status"].tolist() == ["ok", "ok"]
    spots = _spots(tmp_path / "out", A)
    assert len(spots) == 2 and spots["children_near"].isna().all()
    assert np.isnan(_row(result, B)["children"]) and np.isnan(_row(result, A)["children"])
    assert not (tmp_path / "out" / "coverage" / "households").exists()
