"""Province layers split by county, with a border buffer, as hive-partitioned GeoParquet.

A province is too large for one machine's memory, so its layers are read in chunks
(:func:`open_layer`: ``dask_geopandas.read_parquet`` row groups, or ``dask_geopandas.read_file``
row ranges of a GeoPackage) and every chunk is cut by county on its own
(:func:`partition_chunk`): a feature goes to every county whose *reach* it intersects, the reach
being the county polygon buffered by ``province.border_buffer_m`` in the county's UTM zone, so a
spot or household near a border sees the neighbours' roads, water and facilities. Features are
kept whole (a river crossing the buffer keeps its full length, so its reaches keep their numbers).

On disk (``<root>/<layer>/county_code=<code>/part.<chunk>.parquet``) the layout is the hive
partitioning that ``dask_geopandas.read_parquet``, ``geopandas.read_parquet`` and pyarrow
read as one table with a ``county_code`` column; :func:`read_county_layers` reads one county's
part. Results are written the same way, one file per county (:func:`write_county_table`), in
WGS84 so counties in different UTM zones share one table.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely
from numpy.typing import NDArray

from geo.crs import WGS84, metric_crs_for
from geo.errors import CRSError, InputError
from geo.schemas import all_schemas

if TYPE_CHECKING:
    import dask_geopandas

__all__ = [
    "COUNTY_COLUMN",
    "ChunkCount",
    "LayerSource",
    "clear",
    "county_reaches",
    "find_province_layers",
    "open_layer",
    "owner_of",
    "partition_chunk",
    "read_county_layers",
    "read_table",
    "write_county_table",
]

#: The hive partition key of every partitioned layer and result table.
COUNTY_COLUMN = "county_code"

_PARQUET = (".parquet", ".geoparquet")


@dataclass(frozen=True)
class LayerSource:
    """Where a province layer is stored.

    Attributes
    ----------
    name
        The schema name (``households``, ``roads``...).
    path
        A GeoParquet file, a folder of GeoParquet files, or a GeoPackage.
    kind
        ``parquet`` or ``gpkg``.
    layer
        The layer's name inside a GeoPackage.
    """

    name: str
    path: Path
    kind: Literal["parquet", "gpkg"]
    layer: str | None = None


@dataclass(frozen=True)
class ChunkCount:
    """What partitioning one chunk of a layer did: rows read, rows written, rows in no county."""

    layer: str
    chunk: int
    rows: int
    written: int
    outside: int


def find_province_layers(directory: Path) -> dict[str, LayerSource]:
    """Find the layers of a province folder.

    A layer is ``<name>.parquet`` (GeoParquet), a folder ``<name>/`` of GeoParquet files (as
    ``dask_geopandas`` writes them), or ``<name>.gpkg``; failing those, a layer of that name in
    the folder's GeoPackages. Columns must carry the schema names (``tongan validate --out``
    writes them so).

    Raises
    ------
    InputError
        The folder does not exist or holds no ``areas`` layer (the counties come from it).
    """
    if not directory.is_dir():
        msg = f"--layers {str(directory)!r} is not a folder; give a folder of GeoParquet or GeoPackage layers"
        raise InputError(msg)
    gpkgs = sorted(directory.glob("*.gpkg"))
    in_gpkg: dict[str, Path] = {}
    for path in gpkgs:
        for row in pyogrio.list_layers(path):
            in_gpkg.setdefault(str(row[0]), path)
    found: dict[str, LayerSource] = {}
    for name in all_schemas():
        parquet = [directory / f"{name}{suffix}" for suffix in _PARQUET]
        folder = directory / name
        if any(p.is_file() for p in parquet):
            path = next(p for p in parquet if p.is_file())
            found[name] = LayerSource(name, path, "parquet")
        elif folder.is_dir() and any(folder.rglob("*.parquet")):
            found[name] = LayerSource(name, folder, "parquet")
        elif (directory / f"{name}.gpkg").is_file():
            found[name] = LayerSource(name, directory / f"{name}.gpkg", "gpkg", name)
        elif name in in_gpkg:
            found[name] = LayerSource(name, in_gpkg[name], "gpkg", name)
    if "areas" not in found:
        msg = (
            f"{str(directory)!r} holds no areas layer (areas.parquet or areas.gpkg); the "
            "counties of the province are read from it"
        )
        raise InputError(msg)
    return found


def open_layer(
    source: LayerSource, *, chunk_rows: int, chunk_mb: float
) -> dask_geopandas.GeoDataFrame:
    """Open a layer lazily, in chunks that stream through memory.

    Parameters
    ----------
    source
        From :func:`find_province_layers`.
    chunk_rows
        Rows per chunk of a GeoPackage.
    chunk_mb
        Bytes per chunk of GeoParquet, in MiB (row groups are combined up to it).

    Raises
    ------
    CRSError
        The layer states no CRS.
    """
    import dask_geopandas

    if source.kind == "parquet":
        frame = dask_geopandas.read_parquet(
            str(source.path), split_row_groups="infer", blocksize=int(chunk_mb * 2**20)
        )
    else:
        frame = dask_geopandas.read_file(str(source.path), layer=source.layer, chunksize=chunk_rows)
    if frame.crs is None:
        msg = (
            f"layer {source.name!r} ({source.path.name}) states no CRS; write it with one "
            "(e.g. EPSG:4326 or EPSG:4490)"
        )
        raise CRSError(msg)
    return frame


def county_reaches(areas: gpd.GeoDataFrame, *, buffer_m: float) -> gpd.GeoDataFrame:
    """The counties of a province and how far each one's partition reaches.

    Parameters
    ----------
    areas
        The areas layer (any CRS); its ``level == "county"`` rows are the counties (rows sharing
        a code are merged).
    buffer_m
        Distance past the border, measured in each county's own UTM zone.

    Returns
    -------
    GeoDataFrame
        ``code``, ``name``, ``geometry`` (the county, in the areas' CRS) and ``reach`` (the
        county buffered by ``buffer_m``, same CRS), sorted by code.

    Raises
    ------
    InputError
        The areas hold no county.
    """
    if areas.crs is None:
        msg = "the areas layer states no CRS; write it with one (e.g. EPSG:4326)"
        raise CRSError(msg)
    counties = areas.loc[(areas["level"].astype(str) == "county") & areas.geometry.notna()]
    if not len(counties):
        msg = (
            "the areas layer has no county (level = county); a province run partitions by "
            "county, so every county needs its polygon"
        )
        raise InputError(msg)
    counties = counties.assign(code=counties["code"].astype(str), name=counties["name"].astype(str))
    merged = counties.dissolve(by="code", aggfunc={"name": "first"}, sort=True).reset_index()
    reaches = []
    for i in range(len(merged)):
        one = merged.iloc[[i]]
        utm = metric_crs_for(one)
        reaches.append(one.to_crs(utm).buffer(buffer_m).to_crs(merged.crs).iloc[0])
    out = gpd.GeoDataFrame(
        {"code": merged["code"], "name": merged["name"]},
        geometry=merged.geometry.to_numpy(),
        crs=merged.crs,
    )
    out["reach"] = gpd.GeoSeries(reaches, index=out.index, crs=merged.crs)
    return out


def partition_chunk(
    chunk: gpd.GeoDataFrame,
    reaches: gpd.GeoDataFrame,
    *,
    root: Path,
    layer: str,
    index: int,
) -> ChunkCount:
    """Write one chunk of a layer into the county partitions it reaches.

    Every feature is written once for each county whose ``reach`` it intersects, to
    ``<root>/<layer>/county_code=<code>/part.<index>.parquet``; features in no reach (or without
    geometry) are counted, not written. Rewriting the same chunk replaces its files, so a retried
    task leaves no duplicates.
    """
    reach = gpd.GeoSeries(reaches["reach"].to_numpy(), crs=reaches.crs)
    if chunk.crs is not None and not pyproj.CRS.from_user_input(chunk.crs).equals(reach.crs):
        reach = reach.to_crs(chunk.crs)
    geoms = chunk.geometry.to_numpy()
    hit, county = shapely.STRtree(reach.to_numpy()).query(geoms, predicate="intersects")
    codes = reaches["code"].to_numpy()
    written = 0
    for c in np.unique(county):
        rows = np.sort(hit[county == c])
        part = chunk.iloc[rows]
        folder = root / layer / f"{COUNTY_COLUMN}={codes[c]}"
        folder.mkdir(parents=True, exist_ok=True)
        part.to_parquet(folder / f"part.{index:06d}.parquet", index=False)
        written += len(part)
    return ChunkCount(
        layer=layer,
        chunk=index,
        rows=len(chunk),
        written=written,
        outside=len(chunk) - len(np.unique(hit)),
    )


def read_county_layers(root: Path, code: str) -> dict[str, gpd.GeoDataFrame]:
    """Read one county's partition of every layer (its own features and its reach's).

    Returns
    -------
    dict
        Layer name -> GeoDataFrame in the stored CRS, rows in the order of the source; layers
        with no feature in the county's reach are absent.
    """
    frames: dict[str, gpd.GeoDataFrame] = {}
    for name in all_schemas():
        folder = root / name / f"{COUNTY_COLUMN}={code}"
        files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
        if not files:
            continue
        parts = [gpd.read_parquet(f) for f in files]
        frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        frames[name] = gpd.GeoDataFrame(frame).reset_index(drop=True)
    return frames


def covering_or_nearest(
    points: NDArray[np.object_], polygons: NDArray[np.object_]
) -> NDArray[np.int64]:
    """Position in ``polygons`` of the first polygon covering each point, else of the nearest.

    "First" is the order of ``polygons``: put them in the order that should win on a shared
    border. All -1 when there are no polygons.
    """
    out = np.full(len(points), -1, dtype=np.int64)
    if not len(points) or not len(polygons):
        return out
    tree = shapely.STRtree(polygons)
    pi, ti = tree.query(points, predicate="intersects")
    first = pd.Series(ti).groupby(pi).min()
    out[first.index.to_numpy()] = first.to_numpy()
    rest = np.flatnonzero(out < 0)
    if len(rest):
        ri, rt = tree.query_nearest(points[rest], all_matches=False)
        out[rest[ri]] = rt
    return out


def owner_of(geoms: gpd.GeoSeries, counties: gpd.GeoDataFrame) -> NDArray[np.object_]:
    """The code of the county each geometry belongs to.

    A point belongs to the county that covers it; on a shared border to the one with the
    smallest code; outside every county to the nearest. Lines and polygons go by a
    representative point (a point on the surface).

    Parameters
    ----------
    geoms
        Geometries in the CRS of ``counties``; empty ones get ``""``.
    counties
        ``code`` and the county polygons (``geometry``).
    """
    n = len(geoms)
    out = np.full(n, "", dtype=object)
    present = ~(geoms.isna().to_numpy() | geoms.is_empty.to_numpy())
    if not n or not present.any() or not len(counties):
        return out
    # in code order: the smallest code wins a border point
    order = np.argsort(counties["code"].astype(str).to_numpy(), kind="stable")
    codes = counties["code"].astype(str).to_numpy()[order]
    rows = np.flatnonzero(present)
    points = shapely.point_on_surface(geoms.to_numpy()[rows])
    out[rows] = codes[covering_or_nearest(points, counties.geometry.to_numpy()[order])]
    return out


def write_county_table(frame: pd.DataFrame, root: Path, code: str) -> Path:
    """Write one county's rows of a result table as ``<root>/county_code=<code>/part.0.parquet``.

    A GeoDataFrame is written as GeoParquet in WGS84; a plain table as Parquet. The county's
    earlier file is replaced, so a retried task leaves no duplicates.
    """
    folder = root / f"{COUNTY_COLUMN}={code}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    path = folder / "part.0.parquet"
    table = frame.reset_index(drop=True)
    if isinstance(table, gpd.GeoDataFrame):
        if table.crs is not None and len(table):
            table = table.to_crs(WGS84)
        table.to_parquet(path, index=False)
    else:
        pd.DataFrame(table).to_parquet(path, index=False)
    return path


def read_table(root: Path) -> pd.DataFrame:
    """Read a result table of every county (with its ``county_code`` column)."""
    if not root.is_dir() or not any(root.rglob("*.parquet")):
        msg = f"{str(root)!r} holds no result table"
        raise InputError(msg)
    import pyarrow.parquet as pq

    schema = pq.read_schema(next(root.rglob("*.parquet")))
    if schema.metadata and b"geo" in schema.metadata:
        return gpd.read_parquet(root)
    return pd.read_parquet(root)


def clear(*folders: Path) -> None:
    """Remove folders of partitions or result tables left by an earlier run."""
    for folder in folders:
        if folder.exists():
            shutil.rmtree(folder)
