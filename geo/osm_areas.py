"""The ``areas`` layer from OpenStreetMap boundaries and place nodes, or from a boundary file.

OpenStreetMap maps Chinese counties (``admin_level=6``) and townships (``admin_level=8``) as
administrative boundaries, villages (``admin_level=9/10``) seldom; a village is more often a
``place=village`` node. :func:`areas_from_osm_file` takes, in order:

* the administrative polygons of the extract, each with the level of :func:`area_level`;
* where no village polygon exists, one polygon per ``place=village`` node: the Voronoi cell of
  the node within the study outline (the boundary file, else the county or township polygons).
  Such a village boundary is an approximation: the README says so and ``tongan init`` prints it;
* a ``--boundary`` file: taken as the areas when it has codes, names or levels per polygon,
  else its outline becomes the county.

Codes are the OSM elements (``relation/123``, ``node/45``): a roster names its villages, matched
by :mod:`geo.roster`, so nobody types them.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo import _osm
from geo.aliases import VALUE_ALIASES
from geo.crs import WGS84, metric_crs_for
from geo.errors import InputError
from geo.layers import empty_layer
from geo.schemas import AREAS

__all__ = ["area_level", "areas_from_boundary", "areas_from_osm_file", "village_cells"]

#: ``admin_level`` values and the Tongan level they are in China.
ADMIN_LEVELS = {"6": "county", "7": "county", "8": "township", "9": "village", "10": "village"}
#: ``place=*`` values taken as a village (an administrative 行政村 or a 社区); a ``hamlet`` is
#: a 组 of a village.
VILLAGE_PLACES = frozenset({"village"})


def area_level(tags: _osm.Tags) -> str | None:
    """Level of an administrative boundary polygon (county, township, village), else None.

    Examples
    --------
    >>> area_level({"boundary": "administrative", "admin_level": "8"})
    'township'
    >>> area_level({"boundary": "administrative", "admin_level": "4"}) is None
    True
    """
    if tags.get("boundary") != "administrative":
        return None
    return ADMIN_LEVELS.get(tags.get("admin_level", "").strip())


def _read(path: Path, layer: str, where: str) -> gpd.GeoDataFrame:
    try:
        with warnings.catch_warnings():
            for message in (r"Non closed ring detected", r"organizePolygons\(\) received"):
                warnings.filterwarnings("ignore", message=message, category=RuntimeWarning)
            return pyogrio.read_dataframe(path, layer=layer, where=where, on_invalid="fix")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        msg = f"{path}: cannot read it as OpenStreetMap data ({exc})"
        raise InputError(msg) from exc


def _tags(df: pd.DataFrame) -> list[dict[str, str]]:
    meta = {"osm_id", "osm_way_id", "other_tags", "geometry"}
    columns = [c for c in df.columns if c not in meta]
    other = df["other_tags"] if "other_tags" in df else pd.Series(None, index=df.index)
    return [
        {k: v for k, v in row.items() if isinstance(v, str) and v} | _osm.parse_other_tags(o)
        for row, o in zip(pd.DataFrame(df[columns]).to_dict("records"), other, strict=True)
    ]


def _frame(rows: list[dict[str, object]], geoms: list[object]) -> gpd.GeoDataFrame:
    if not rows:
        return empty_layer(AREAS)
    frame = pd.DataFrame(rows, columns=AREAS.column_names).astype("string")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=WGS84), crs=WGS84)


def _admin_polygons(path: Path) -> gpd.GeoDataFrame:
    df = _read(path, "multipolygons", "boundary = 'administrative'")
    rows: list[dict[str, object]] = []
    geoms: list[object] = []
    for i, tags in enumerate(_tags(df)):
        level = area_level(tags)
        geom = df.geometry.iloc[i]
        if level is None or geom is None or geom.is_empty:
            continue
        way = df["osm_way_id"].iloc[i]
        code = f"way/{way}" if pd.notna(way) else f"relation/{df['osm_id'].iloc[i]}"
        rows.append({"code": code, "name": _osm.osm_name(tags) or code, "level": level})
        geoms.append(shapely.make_valid(geom))
    return _frame(rows, geoms)


def _village_nodes(path: Path) -> gpd.GeoDataFrame:
    quoted = ", ".join(f"'{p}'" for p in sorted(VILLAGE_PLACES))
    df = _read(path, "points", f"place IN ({quoted})")
    names = [_osm.osm_name(t) for t in _tags(df)]
    keep = [i for i, n in enumerate(names) if n]
    return gpd.GeoDataFrame(
        {
            "code": [f"node/{df['osm_id'].iloc[i]}" for i in keep],
            "name": [names[i] for i in keep],
        },
        geometry=gpd.GeoSeries([df.geometry.iloc[i] for i in keep], crs=WGS84),
        crs=WGS84,
    )


def village_cells(nodes: gpd.GeoDataFrame, outline: shapely.Geometry) -> gpd.GeoSeries:
    """Each village node's Voronoi cell within the outline (WGS84 in, WGS84 out).

    The cells are computed in the outline's UTM zone so that "nearest node" means metres.
    """
    metric = metric_crs_for(gpd.GeoDataFrame(geometry=[outline], crs=WGS84))
    shape = gpd.GeoSeries([outline], crs=WGS84).to_crs(metric).iloc[0]
    points = nodes.to_crs(metric).geometry
    if len(points) == 1:
        cells = [shape]
    else:
        diagram = shapely.voronoi_polygons(shapely.MultiPoint(list(points)), extend_to=shape)
        parts = list(shapely.get_parts(diagram))
        cells = []
        for point in points:
            cell = next(c for c in parts if c.covers(point))
            cells.append(shapely.intersection(cell, shape))
    return gpd.GeoSeries(cells, index=nodes.index, crs=metric).to_crs(WGS84)


def _with_parents(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Set each area's parent: the smallest area of a higher level holding its inner point."""
    order = {"county": 0, "township": 1, "village": 2}
    areas = areas.reset_index(drop=True)
    inner = areas.geometry.representative_point()
    size = areas.to_crs(metric_crs_for(areas)).area
    parents = []
    for i in range(len(areas)):
        level = order[str(areas["level"].iloc[i])]
        best, best_size = None, float("inf")
        for j in range(len(areas)):
            higher = order[str(areas["level"].iloc[j])] < level
            if higher and areas.geometry.iloc[j].covers(inner.iloc[i]) and size.iloc[j] < best_size:
                best, best_size = str(areas["code"].iloc[j]), float(size.iloc[j])
        parents.append(best)
    areas["parent_code"] = pd.array(parents, dtype="string")
    return areas


def areas_from_boundary(boundary: gpd.GeoDataFrame, *, name: str) -> gpd.GeoDataFrame:
    """Areas from a boundary file (columns already renamed to the schema, in WGS84).

    Polygons with ``code``/``name``/``level`` are taken as they are (missing codes become
    ``B001``..., a missing level ``village`` when there are several polygons); a file with
    none of them is one county named ``name``.
    """
    frame = boundary[boundary.geometry.notna() & ~boundary.geometry.is_empty].copy()
    frame = frame[frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if frame.empty:
        msg = f"the boundary file {name!r} holds no polygon"
        raise InputError(msg)
    if not {"code", "name", "level"} & set(frame.columns):
        outline = shapely.union_all(frame.geometry.to_numpy())
        return _frame([{"code": "county", "name": name, "level": "county"}], [outline])
    n = len(frame)
    codes = (
        frame["code"].astype("string")
        if "code" in frame
        else pd.Series([pd.NA] * n, index=frame.index, dtype="string")
    )
    codes = codes.fillna(pd.Series([f"B{i + 1:03d}" for i in range(n)], index=frame.index))
    names = frame["name"].astype("string") if "name" in frame else codes
    levels = (
        frame["level"].astype("string")
        if "level" in frame
        else pd.Series("village" if n > 1 else "county", index=frame.index, dtype="string")
    )
    levels = levels.map(lambda v: VALUE_ALIASES.get(str(v).strip(), v), na_action="ignore")
    rows = [
        {"code": c, "name": nm if pd.notna(nm) else c, "level": lv}
        for c, nm, lv in zip(codes, names, levels, strict=True)
    ]
    areas = _frame(rows, list(frame.geometry))
    if "parent_code" in frame:
        areas["parent_code"] = frame["parent_code"].astype("string").to_numpy()
        return areas
    known = areas["level"].isin(["county", "township", "village"]).all()
    return _with_parents(areas) if known else areas  # validation names unknown levels


def areas_from_osm_file(
    path: Path, *, boundary: gpd.GeoDataFrame | None = None, boundary_name: str = "county"
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Build ``areas`` from an OSM extract (and a boundary file), with notes on how.

    Returns
    -------
    areas, notes
        The areas in EPSG:4326 (possibly empty) and English note codes: ``villages_from_places``
        (Voronoi cells of place nodes), ``no_villages`` (nothing to make villages from).
    """
    admin = _admin_polygons(path)
    given = areas_from_boundary(boundary, name=boundary_name) if boundary is not None else None
    parts = [f for f in (given, admin) if f is not None and len(f)]
    areas = pd.concat(parts, ignore_index=True) if parts else empty_layer(AREAS)
    notes: list[str] = []
    if not (areas["level"] == "village").any():
        nodes = _village_nodes(path)
        outline_parts = areas[areas["level"] != "village"]
        if len(nodes) and len(outline_parts):
            outline = shapely.union_all(outline_parts.geometry.to_numpy())
            nodes = nodes[nodes.geometry.within(outline)]
        if len(nodes) and len(outline_parts):
            cells = village_cells(nodes, outline)
            villages = _frame(
                [
                    {"code": c, "name": n, "level": "village"}
                    for c, n in zip(nodes["code"], nodes["name"], strict=True)
                ],
                list(cells),
            )
            areas = pd.concat([areas, villages], ignore_index=True)
            notes.append("villages_from_places")
        else:
            notes.append("no_villages")
    if len(areas):
        areas = gpd.GeoDataFrame(areas, geometry="geometry", crs=WGS84)
        if "parent_code" not in areas or areas["parent_code"].isna().all():
            areas = _with_parents(areas)
    return areas, notes
