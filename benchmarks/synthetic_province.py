"""A seeded synthetic province: N benchmark counties side by side, joined by a few border roads.

Each county is :func:`synthetic_county` (its own seed, so no two are alike) shifted east and north
on a near-square grid with ``GAP_M`` between neighbours, with administrative codes like real ones
(county ``42NNNN``, township ``+ 3 digits``, village ``+ 3 digits``) and feature ids prefixed by
the county (``c3-h17``). On top of the benchmark county each county gets what the coverage and
flood analyses look at:

* facilities: a children's home in about ``HOME_SHARE`` of the villages, a workstation in every
  township, one county institution;
* hazards: flood zones along a few rivers (one per ``RIVERS_PER_FLOOD_ZONE`` rivers);
* border roads: every ``LINK_EVERY``-th road row and column continues into the neighbour county
  (a line between the two end junctions), so walking routes cross county borders.

Run ``python benchmarks/synthetic_province.py --counties 4 --scale 0.01 --out /tmp/province``
to write the layers as GeoParquet files (the input of ``tongan province``).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic_county import CRS, SEED, synthetic_county

from geo.layers import Layers
from geo.schemas import SCHEMAS

GAP_M = 100.0
HOME_SHARE = 0.7
RIVERS_PER_FLOOD_ZONE = 8
FLOOD_ZONE_WIDTH_M = 150.0
LINK_EVERY = 5
PROVINCE_CODE = "42"


def county_code(k: int) -> str:
    """The administrative code of the ``k``-th county (0-based): ``42`` and four digits."""
    return f"{PROVINCE_CODE}{k + 1:04d}"


def _county(k: int, *, scale: float, dx: float, dy: float) -> dict[str, gpd.GeoDataFrame]:
    """County ``k``: the benchmark county shifted by (dx, dy), recoded, with facilities and hazards."""
    base = synthetic_county(scale=scale, seed=SEED + k)
    rng = np.random.default_rng(SEED + 1000 + k)
    code = county_code(k)
    prefix = f"c{k}-"
    frames: dict[str, gpd.GeoDataFrame] = {}
    for name, frame in base.items():
        if not len(frame):
            continue
        moved = frame.copy()
        moved.geometry = moved.geometry.translate(dx, dy)
        frames[name] = moved

    areas = frames["areas"]
    township_codes = {
        old: f"{code}{i + 1:03d}"
        for i, old in enumerate(areas.loc[areas["level"] == "township", "code"])
    }
    village_codes: dict[str, str] = {}
    counters: dict[str, int] = {}
    for old, parent in areas.loc[areas["level"] == "village", ["code", "parent_code"]].itertuples(
        index=False
    ):
        counters[parent] = counters.get(parent, 0) + 1
        village_codes[old] = f"{township_codes[parent]}{counters[parent]:03d}"
    recode = {"c": code, "": "", **township_codes, **village_codes}
    areas["code"] = areas["code"].map(recode)
    areas["parent_code"] = areas["parent_code"].map(recode)
    areas.loc[areas["level"] == "county", "name"] = f"县{k + 1}"
    areas["name"] = [
        f"{n}·{k + 1}" if level != "county" else n
        for n, level in zip(areas["name"], areas["level"], strict=True)
    ]
    frames["households"]["village_code"] = frames["households"]["village_code"].map(recode)
    for name, frame in frames.items():
        if name != "areas":
            frame["id"] = prefix + frame["id"].astype(str)
    frames["waters"]["river_chief"] = prefix + frames["waters"]["river_chief"].astype(str)

    villages = areas.loc[areas["level"] == "village"]
    homes = villages.loc[rng.random(len(villages)) < HOME_SHARE]
    townships = areas.loc[areas["level"] == "township"]
    county_row = areas.loc[areas["level"] == "county"]

    def near_centre(frame: gpd.GeoDataFrame) -> list[Point]:
        c = shapely.get_coordinates(frame.geometry.centroid.to_numpy())
        xy = c + rng.normal(0, 150, size=c.shape)
        return [Point(x, y) for x, y in xy]

    kinds = (
        ["children_home"] * len(homes)
        + ["township_workstation"] * len(townships)
        + ["county_institution"]
    )
    n_fac = len(kinds)
    frames["facilities"] = gpd.GeoDataFrame(
        {
            "id": [f"{prefix}f{i}" for i in range(n_fac)],
            "name": [f"设施{k + 1}-{i}" for i in range(n_fac)],
            "kind": kinds,
            "area_code": [*homes["code"], *townships["code"], code],
            "floor_area_m2": rng.uniform(20, 80, n_fac).round(0),
            "capacity": pd.array([pd.NA] * n_fac, dtype="Int64"),
        },
        geometry=near_centre(homes) + near_centre(townships) + near_centre(county_row),
        crs=CRS,
    )

    waters = frames["waters"]
    rivers = waters.loc[waters.geometry.geom_type == "LineString"]
    n_zones = max(len(rivers) // RIVERS_PER_FLOOD_ZONE, 1)
    picked = rivers.iloc[rng.choice(len(rivers), size=min(n_zones, len(rivers)), replace=False)]
    frames["hazards"] = gpd.GeoDataFrame(
        {
            "id": [f"{prefix}z{i}" for i in range(len(picked))],
            "kind": "flood_zone",
            "name": [f"行洪区{k + 1}-{i}" for i in range(len(picked))],
            "level": "high",
        },
        geometry=picked.geometry.buffer(FLOOD_ZONE_WIDTH_M / 2).to_numpy(),
        crs=CRS,
    )
    return frames


def _border_links(
    west: gpd.GeoDataFrame, east: gpd.GeoDataFrame, *, axis: int, prefix: str
) -> list[tuple[str, LineString]]:
    """Roads joining two neighbour counties: from the far end of one to the near end of the other.

    ``axis`` 0 joins a county to its east neighbour, 1 to its north neighbour. Each county's road
    vertices are its grid junctions; the links join the outermost junctions of every
    ``LINK_EVERY``-th row (or column), so they share vertices with both grids.
    """
    a = shapely.get_coordinates(west.geometry.to_numpy())
    b = shapely.get_coordinates(east.geometry.to_numpy())
    other = 1 - axis
    # the outermost junction column of ``west`` and the innermost of ``east``
    a_edge = a[a[:, axis] > a[:, axis].max() - 50]
    b_edge = b[b[:, axis] < b[:, axis].min() + 50]
    a_edge = np.unique(a_edge, axis=0)
    a_edge = a_edge[np.argsort(a_edge[:, other])][::LINK_EVERY]
    links: list[tuple[str, LineString]] = []
    if not len(b_edge):
        return links
    tree = shapely.STRtree(shapely.points(b_edge))
    nearest = tree.query_nearest(shapely.points(a_edge), all_matches=False)[1]
    for i, (p, j) in enumerate(zip(a_edge, nearest, strict=True)):
        q = b_edge[j]
        links.append((f"{prefix}{i}", LineString([tuple(p), tuple(q)])))
    return links


def synthetic_province(n_counties: int, *, scale: float = 1.0) -> Layers:
    """Build ``n_counties`` benchmark counties side by side (metric CRS, UTM 49N).

    Parameters
    ----------
    n_counties
        Counties on a near-square grid, row by row from the south-west.
    scale
        Size of each county relative to the benchmark county (1.0: 200,000 households, 2,000 km
        of water, 250,000 road nodes).
    """
    per_row = math.ceil(math.sqrt(n_counties))
    side = (max(int(math.sqrt(int(250_000 * scale))), 2) - 1) * 100.0
    step = side + GAP_M
    counties: list[dict[str, gpd.GeoDataFrame]] = []
    cells: dict[tuple[int, int], int] = {}
    for k in range(n_counties):
        row, col = divmod(k, per_row)
        cells[(row, col)] = k
        counties.append(_county(k, scale=scale, dx=col * step, dy=row * step))
    links: list[tuple[str, LineString]] = []
    for (row, col), k in cells.items():
        for axis, neighbour in ((0, (row, col + 1)), (1, (row + 1, col))):
            j = cells.get(neighbour)
            if j is not None:
                links += _border_links(
                    counties[k]["roads"],
                    counties[j]["roads"],
                    axis=axis,
                    prefix=f"link{k}-{j}-",
                )
    merged: dict[str, gpd.GeoDataFrame] = {}
    for name in SCHEMAS:
        parts = [c[name] for c in counties if name in c]
        if parts:
            merged[name] = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=CRS)
    if links:
        border = gpd.GeoDataFrame(
            {"id": [i for i, _ in links], "kind": "village_road"},
            geometry=[g for _, g in links],
            crs=CRS,
        )
        merged["roads"] = gpd.GeoDataFrame(
            pd.concat([merged["roads"], border], ignore_index=True), crs=CRS
        )
    return Layers.from_dict(merged)


def write_province(layers: Layers, out_dir: Path, *, row_group_rows: int = 50_000) -> Path:
    """Write every non-empty layer as ``<layer>.parquet`` (GeoParquet) into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in layers.items():
        if len(frame):
            frame.to_parquet(out_dir / f"{name}.parquet", row_group_size=row_group_rows)
    return out_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=4)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--out", type=Path, default=None, help="write GeoParquet layers here")
    args = parser.parse_args()
    layers = synthetic_province(args.counties, scale=args.scale)
    print(
        f"{args.counties} counties: households {len(layers.households):,}, "
        f"waters {len(layers.waters):,}, road lines {len(layers.roads):,}, "
        f"facilities {len(layers.facilities):,}, flood zones {len(layers.hazards):,}"
    )
    if args.out is not None:
        print(write_province(layers, args.out))


if __name__ == "__main__":
    main()
