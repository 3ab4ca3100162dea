"""A county's starting workspace folder from an OpenStreetMap extract (``tongan init``).

:func:`init_folder` writes, into a new folder that ``tongan validate`` and every analysis read:

* ``waters.gpkg``, ``schools.gpkg``, ``roads.gpkg`` and ``facilities.gpkg`` from OSM (see
  :mod:`geo.osm`; a layer OSM has nothing for is not written, so validation names it);
* ``areas.gpkg`` from OSM boundaries and village place nodes, or from the boundary file
  (:mod:`geo.osm_areas`);
* ``templates/<layer>.xlsx`` for what OSM cannot give (:mod:`geo.templates`): filled in and
  copied next to the layers (``households.xlsx``...), they are read like any layer.

With a study outline (the boundary file, else the OSM county/township boundaries), OSM features
that do not touch it are left out, so that validation does not find them far outside.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import shapely

from geo.aliases import ColumnMap
from geo.errors import InputError
from geo.load import apply_column_map, apply_crs, read_file, write_layers
from geo.osm import Progress, layers_from_osm_file
from geo.osm_areas import areas_from_osm_file
from geo.templates import write_templates

__all__ = ["InitResult", "init_folder"]


@dataclass(frozen=True)
class InitResult:
    """What :func:`init_folder` wrote: feature counts by layer, templates and notes."""

    folder: Path
    counts: dict[str, int]
    left_out: dict[str, int]
    templates: tuple[Path, ...]
    notes: tuple[str, ...]


def _read_boundary(path: Path, crs: str | None) -> gpd.GeoDataFrame:
    frame = apply_column_map(read_file(path), "areas", ColumnMap())
    return apply_crs(frame, layer="areas", crs=crs, source=path.name)


def init_folder(
    osm: Path,
    out: Path,
    *,
    boundary: Path | None = None,
    crs: str | None = None,
    progress: Progress | None = None,
) -> InitResult:
    """Write a starting workspace folder from an OSM extract (and a boundary file).

    Raises
    ------
    InputError
        ``out`` already holds layer files (nothing is overwritten), or a file cannot be read.
    """
    existing = [p.name for p in out.glob("*") if p.suffix.lower() in {".gpkg", ".xlsx", ".csv"}]
    if existing:
        msg = (
            f"{out} already holds {', '.join(sorted(existing))}; tongan init writes only into a "
            "new or empty folder, so nothing of yours is overwritten"
        )
        raise InputError(msg)
    layers = layers_from_osm_file(osm, progress=progress)
    given = _read_boundary(boundary, crs) if boundary is not None else None
    name = boundary.stem if boundary is not None else osm.name.split(".")[0]
    if progress is not None:
        progress("building areas")
    areas, notes = areas_from_osm_file(osm, boundary=given, boundary_name=name)
    outline_parts = areas[areas["level"] != "village"] if len(areas) else areas
    left_out: dict[str, int] = {}
    if len(outline_parts):
        outline = shapely.union_all(outline_parts.geometry.to_numpy())
        shapely.prepare(outline)
        for layer, frame in layers.items():
            inside = frame.geometry.intersects(outline)
            left_out[layer] = int((~inside).sum())
            layers[layer] = frame[inside].reset_index(drop=True)
    frames = {n: f for n, f in layers.items() if len(f)}
    if len(areas):
        frames = {"areas": areas, **frames}
    out.mkdir(parents=True, exist_ok=True)
    for layer, frame in frames.items():
        write_layers({layer: frame}, out / f"{layer}.gpkg")
    villages = (
        sorted(areas.loc[areas["level"] == "village", "name"].astype(str)) if len(areas) else []
    )
    templates = write_templates(out / "templates", villages=villages)
    counts = {"areas": len(areas)} | {n: len(f) for n, f in layers.items()}
    return InitResult(out, counts, left_out, tuple(templates), tuple(notes))


def check_boundary(path: Path | None) -> None:
    """Refuse a missing boundary file early, with its name."""
    if path is not None and not path.exists():
        msg = f"boundary file {str(path)!r} does not exist"
        raise InputError(msg)
