"""A seeded synthetic county for benchmarks, scalable in households, water length and road nodes.

The full size is the target of issue 3: 200,000 households, 2,000 km of water, a road network of
250,000 nodes over about 50 km x 50 km (UTM 49N metres, so ``Layers.to_metric()`` is a no-op).
``scale`` multiplies all three (and the area, so densities stay the same).

* roads: a jittered square grid of junctions (``road_nodes`` of them), every row and column one
  long line through its junctions, about 3 % of the blocks dropped (dead ends);
* households: hamlets of about 60 households (normal scatter, sd 150 m), 1-3 children each, some
  left-behind or in difficulty;
* waters: 90 % of the length as meandering lines (rivers, canals, streams, ditches) of about
  5 km, 10 % as pond and reservoir shores (circles of 20-60 m radius);
* equipment (one item per 40 households, a tenth damaged), fences, schools (one per 1,000
  households), incidents, known spots, and a grid of townships and villages.

Run ``python benchmarks/synthetic_county.py --scale 0.1`` to print the sizes.
"""

from __future__ import annotations

import argparse
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, box

from geo.layers import Layers

CRS = "EPSG:32649"
X0, Y0 = 400_000.0, 3_250_000.0
SEED = 20261123
FULL_HOUSEHOLDS = 200_000
FULL_WATER_KM = 2_000.0
FULL_ROAD_NODES = 250_000
ROAD_SPACING_M = 100.0
HAMLET_SIZE = 60
HAMLET_SD_M = 150.0
RIVER_LENGTH_M = 5_000.0
RIVER_STEP_M = 200.0
POND_SHARE = 0.1
HOUSEHOLDS_PER_ITEM = 40
HOUSEHOLDS_PER_SCHOOL = 1_000


def _roads(rng: np.random.Generator, n_nodes: int) -> tuple[gpd.GeoDataFrame, float]:
    side = max(int(math.sqrt(n_nodes)), 2)
    extent = (side - 1) * ROAD_SPACING_M
    jit = rng.uniform(-20, 20, size=(side, side, 2))
    ij = np.stack(np.meshgrid(np.arange(side), np.arange(side), indexing="ij"), axis=-1)
    xy = ij * ROAD_SPACING_M + jit + np.array([X0, Y0])
    lines: list[LineString] = []
    for i in range(side):
        for run in (xy[i, :, :], xy[:, i, :]):
            cuts = np.flatnonzero(rng.random(side - 1) < 0.03)
            start = 0
            for c in [*cuts.tolist(), side - 1]:
                if c > start:
                    lines.append(LineString(run[start : c + 1]))
                start = c + 1
    roads = gpd.GeoDataFrame(
        {"id": [f"r{i}" for i in range(len(lines))], "kind": "village_road"},
        geometry=lines,
        crs=CRS,
    )
    return roads, extent


def _households(rng: np.random.Generator, n: int, extent: float) -> gpd.GeoDataFrame:
    n_hamlets = max(n // HAMLET_SIZE, 1)
    centres = rng.uniform(0, extent, size=(n_hamlets, 2))
    which = rng.integers(0, n_hamlets, n)
    xy = np.clip(centres[which] + rng.normal(0, HAMLET_SD_M, size=(n, 2)), 0, extent)
    children = rng.integers(1, 4, n)
    left = rng.binomial(children, 0.3)
    diff = rng.binomial(children - left, 0.05)
    return gpd.GeoDataFrame(
        {
            "id": [f"h{i}" for i in range(n)],
            "village_code": "",
            "children": children,
            "left_behind": left,
            "in_difficulty": diff,
        },
        geometry=gpd.points_from_xy(xy[:, 0] + X0, xy[:, 1] + Y0),
        crs=CRS,
    )


def _waters(rng: np.random.Generator, water_m: float, extent: float) -> gpd.GeoDataFrame:
    line_m = water_m * (1 - POND_SHARE)
    n_lines = max(round(line_m / RIVER_LENGTH_M), 1)
    steps = max(int(RIVER_LENGTH_M / RIVER_STEP_M), 2)
    start = rng.uniform(0, extent, size=(n_lines, 2))
    heading = rng.uniform(0, 2 * np.pi, n_lines)[:, None] + np.cumsum(
        rng.normal(0, 0.25, size=(n_lines, steps)), axis=1
    )
    d = RIVER_STEP_M * np.stack([np.cos(heading), np.sin(heading)], axis=-1)
    pts = np.concatenate([start[:, None, :], start[:, None, :] + np.cumsum(d, axis=1)], axis=1)
    pts = np.clip(pts, 0, extent) + np.array([X0, Y0])
    lines = list(shapely.linestrings(pts))
    pond_m = water_m * POND_SHARE
    radii: list[float] = []
    while sum(2 * np.pi * r for r in radii) < pond_m:
        radii.append(float(rng.uniform(20, 60)))
    centres = rng.uniform(0, extent, size=(len(radii), 2)) + np.array([X0, Y0])
    ponds = list(shapely.buffer(shapely.points(centres), np.array(radii), quad_segs=4))
    line_kinds = rng.choice(["river", "canal", "stream", "ditch"], n_lines, p=[0.2, 0.3, 0.2, 0.3])
    pond_kinds = rng.choice(["pond", "reservoir", "lake"], len(ponds), p=[0.9, 0.05, 0.05])
    n = n_lines + len(ponds)
    return gpd.GeoDataFrame(
        {
            "id": [f"w{i}" for i in range(n)],
            "name": [f"水{i}" for i in range(n)],
            "kind": np.concatenate([line_kinds, pond_kinds]),
            "depth_class": rng.choice(["shallow", "medium", "deep", "unknown"], n),
            "current": rng.choice(["still", "slow", "fast", "unknown"], n),
            "bank": rng.choice(["gentle", "steep", "narrow_embankment", "unknown"], n),
            "entry_points": rng.integers(0, 6, n),
            "use": rng.choice(["swimming", "fishing;washing", "none", "unknown"], n),
            "river_chief": [f"河长{i % 300}" for i in range(n)],
        },
        geometry=lines + ponds,
        crs=CRS,
    )


def synthetic_county(
    *,
    scale: float = 1.0,
    households: int = FULL_HOUSEHOLDS,
    water_km: float = FULL_WATER_KM,
    road_nodes: int = FULL_ROAD_NODES,
    seed: int = SEED,
) -> Layers:
    """Build the synthetic county's layers (metric CRS), ``scale`` times the given sizes."""
    rng = np.random.default_rng(seed)
    roads, extent = _roads(rng, int(road_nodes * scale))
    hh = _households(rng, int(households * scale), extent)
    waters = _waters(rng, water_km * 1000 * scale, extent)

    # townships and villages: a grid of about 2.5 km villages, 5 x 5 villages per township
    v_side = max(round(extent / 2500), 1)
    cell = extent / v_side
    codes, names, levels, parents, geoms = (
        ["c"],
        ["县"],
        ["county"],
        [""],
        [box(X0, Y0, X0 + extent, Y0 + extent)],
    )
    for i in range(v_side):
        for j in range(v_side):
            t = f"t{i // 5}_{j // 5}"
            if t not in codes:
                codes.append(t)
                names.append(f"镇{t}")
                levels.append("township")
                parents.append("c")
                t0, t1 = (i // 5) * 5 * cell, (j // 5) * 5 * cell
                geoms.append(
                    box(
                        X0 + t0,
                        Y0 + t1,
                        X0 + min(t0 + 5 * cell, extent),
                        Y0 + min(t1 + 5 * cell, extent),
                    )
                )
            codes.append(f"v{i}_{j}")
            names.append(f"村{i}_{j}")
            levels.append("village")
            parents.append(t)
            geoms.append(
                box(X0 + i * cell, Y0 + j * cell, X0 + (i + 1) * cell, Y0 + (j + 1) * cell)
            )
    areas = gpd.GeoDataFrame(
        {"code": codes, "name": names, "level": levels, "parent_code": parents},
        geometry=geoms,
        crs=CRS,
    )
    hx = (hh.geometry.x.to_numpy() - X0) // cell
    hy = (hh.geometry.y.to_numpy() - Y0) // cell
    hh["village_code"] = [
        f"v{int(min(a, v_side - 1))}_{int(min(b, v_side - 1))}" for a, b in zip(hx, hy, strict=True)
    ]

    # equipment: items near random points of the waters
    n_items = max(len(hh) // HOUSEHOLDS_PER_ITEM, 1)
    wi = rng.integers(0, len(waters), n_items)
    along = shapely.line_interpolate_point(
        _outline(waters.geometry.to_numpy()[wi]), rng.random(n_items), normalized=True
    )
    offs = rng.normal(0, 10, size=(n_items, 2))
    exy = shapely.get_coordinates(along) + offs
    kinds = rng.choice(
        ["warning_sign", "life_buoy", "rescue_rope", "rescue_pole", "rescue_cabinet"],
        n_items,
        p=[0.35, 0.2, 0.15, 0.15, 0.15],
    )
    equipment = gpd.GeoDataFrame(
        {
            "id": [f"e{i}" for i in range(n_items)],
            "kind": kinds,
            "condition": rng.choice(["ok", "damaged", "missing"], n_items, p=[0.85, 0.1, 0.05]),
            "last_inspected": pd.Timestamp("2026-01-01")
            + pd.to_timedelta(rng.integers(0, 180, n_items), unit="D"),
        },
        geometry=gpd.points_from_xy(exy[:, 0], exy[:, 1]),
        crs=CRS,
    )
    n_sch = max(len(hh) // HOUSEHOLDS_PER_SCHOOL, 1)
    sxy = rng.uniform(0, extent, size=(n_sch, 2)) + np.array([X0, Y0])
    schools = gpd.GeoDataFrame(
        {
            "id": [f"s{i}" for i in range(n_sch)],
            "name": [f"学校{i}" for i in range(n_sch)],
            "kind": rng.choice(["primary", "middle", "kindergarten"], n_sch),
            "pupils": rng.integers(50, 800, n_sch),
        },
        geometry=gpd.points_from_xy(sxy[:, 0], sxy[:, 1]),
        crs=CRS,
    )
    n_inc = max(len(hh) // 1000, 1)
    ixy = rng.uniform(0, extent, size=(n_inc, 2)) + np.array([X0, Y0])
    incidents = gpd.GeoDataFrame(
        {"id": [f"i{i}" for i in range(n_inc)], "date": pd.Timestamp("2024-07-01")},
        geometry=gpd.points_from_xy(ixy[:, 0], ixy[:, 1]),
        crs=CRS,
    )
    return Layers.from_dict(
        {
            "areas": areas,
            "households": hh,
            "waters": waters,
            "roads": roads,
            "equipment": equipment,
            "schools": schools,
            "incidents": incidents,
        }
    )


def _outline(geoms: np.ndarray) -> np.ndarray:
    """Lines as they are, polygons by their exterior ring."""
    out = geoms.copy()
    poly = shapely.get_type_id(geoms) == 3
    out[poly] = shapely.get_exterior_ring(geoms[poly])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    args = parser.parse_args()
    layers = synthetic_county(scale=args.scale)
    water_km = shapely.length(_outline(layers.waters.geometry.to_numpy())).sum() / 1000
    print(
        f"households {len(layers.households):,}, waters {len(layers.waters):,} "
        f"(~{water_km:,.0f} km incl. pond shores), road lines {len(layers.roads):,}, "
        f"villages {int((layers.areas['level'] == 'village').sum())}"
    )


if __name__ == "__main__":
    main()
