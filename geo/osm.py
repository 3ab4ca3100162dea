"""Layers from OpenStreetMap: waters, schools, roads and children's facilities.

Two sources, one conversion:

* :func:`layers_from_osm_file` reads an extract offline (``.osm`` XML or ``.osm.pbf``) through
  GDAL's OSM driver (pyogrio);
* :func:`layers_from_place` downloads a place through osmnx (Nominatim, then Overpass).

Both turn the OSM elements into one feature table (OSM id, tag dict, geometry) and hand it to
:func:`geo._osm.build_layers`, where the OSM-tag-to-schema mapping lives in small pure functions.
The layers come back in EPSG:4326 with exactly their schema's columns. OSM has nothing for
``households``, ``equipment``, ``areas``, ``hazards``, ``incidents`` and ``known_spots``: those
layers are absent from the result.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import requests

from geo import _osm
from geo.crs import WGS84
from geo.errors import InputError

__all__ = ["OSM_EXTENSIONS", "layers_from_osm_file", "layers_from_place"]

Progress = Callable[[str], None]

#: File name endings :func:`layers_from_osm_file` reads.
OSM_EXTENSIONS = (".osm", ".osm.pbf", ".pbf")

#: The tags asked from Overpass: a superset of what :mod:`geo._osm` keeps.
OSMNX_TAGS: dict[str, bool | str | list[str]] = {
    "waterway": sorted(_osm.WATERWAY_KINDS),
    "natural": "water",
    "landuse": ["reservoir", "basin"],
    "highway": sorted(_osm.HIGHWAY_KINDS),
    "amenity": ["school", "kindergarten", "social_facility", "orphanage"],
    "social_facility": True,
}

# GDAL OSM driver layers read, the OSM element type of their ``osm_id``, and the keys (with
# values, or None for any value) an element needs to be worth reading: a superset of what
# geo._osm keeps, turned into an attribute filter so GDAL drops the rest before Python sees it.
_Wanted = tuple[tuple[str, tuple[str, ...] | None], ...]
_GDAL_LAYERS: tuple[tuple[str, str, _Wanted], ...] = (
    ("lines", "way", (("highway", None), ("waterway", None))),
    (
        "multipolygons",
        "way",
        (
            ("natural", ("water",)),
            ("landuse", ("reservoir", "basin")),
            ("amenity", ("school", "kindergarten", "social_facility", "orphanage")),
            ("social_facility", None),
        ),
    ),
    ("points", "node", (("amenity", None), ("social_facility", None))),
)
# GDAL columns that are no OSM tag.
_META_COLUMNS = frozenset({"osm_id", "osm_way_id", "other_tags", "z_order", "geometry"})

# Extracts cut out of a larger file hold relations whose member ways were clipped away; GDAL
# warns for each broken ring while it builds them. The affected (multi)polygons come out fixed
# (``on_invalid="fix"``) or empty and are skipped, so these warnings carry no information.
_HARMLESS_GDAL_WARNINGS = (
    r"Non closed ring detected",
    r"organizePolygons\(\) received an unexpected geometry",
)


def layers_from_osm_file(
    path: Path, *, progress: Progress | None = None
) -> dict[str, gpd.GeoDataFrame]:
    """Read the OSM layers from an OpenStreetMap extract, offline.

    Parameters
    ----------
    path
        An OSM XML file (``.osm``) or a PBF extract (``.osm.pbf``, ``.pbf``), for example a
        county cut out of a Geofabrik download with ``osmium extract``.
    progress
        Called with a short message at each step (reading each GDAL layer, building layers).

    Returns
    -------
    dict[str, geopandas.GeoDataFrame]
        ``waters``, ``schools``, ``roads`` and ``facilities`` in EPSG:4326 with exactly their
        schema's columns and dtypes; a layer the extract has nothing for is empty (the caller
        warns). Ids are the OSM element, ``"way/123"``, ``"node/45"`` or ``"relation/7"``.

    Raises
    ------
    InputError
        The file is missing, is not an OSM file, cannot be read, or yields no usable feature.
    """
    path = Path(path)
    accepted = ", ".join(OSM_EXTENSIONS)
    if not path.name.lower().endswith(OSM_EXTENSIONS):
        msg = f"{path}: not an OpenStreetMap file; accepted extensions: {accepted}"
        raise InputError(msg)
    if not path.is_file():
        msg = f"OpenStreetMap file not found: {path} (accepted extensions: {accepted})"
        raise InputError(msg)
    tables = [_read_gdal_layer(path, *spec, progress=progress) for spec in _GDAL_LAYERS]
    features = pd.concat(tables, ignore_index=True)
    return _checked(_osm.build_layers(features, progress=progress), str(path))


def layers_from_place(
    place: str, *, progress: Progress | None = None
) -> dict[str, gpd.GeoDataFrame]:
    """Download the OSM layers of a named place through osmnx (needs the internet).

    Parameters
    ----------
    place
        A place OpenStreetMap has a boundary for, as Nominatim geocodes it, for example
        ``"平江县, 岳阳市, 湖南省"``.
    progress
        Called with a short message at each step.

    Returns
    -------
    dict[str, geopandas.GeoDataFrame]
        The same layers as :func:`layers_from_osm_file`, built by the same code.

    Raises
    ------
    InputError
        The place cannot be geocoded to a boundary, the download fails (no network, Overpass
        refusing) or the place yields no usable feature.

    Notes
    -----
    Roads are downloaded as OSM ways (``highway=*`` features), like the file reader reads them,
    rather than as an osmnx graph: ids stay ``"way/123"``, the walkability rules are those of
    :func:`geo._osm.road_kind` for both sources, and the routable graph is built later from the
    roads layer.
    """
    import osmnx as ox  # slow to import, and only this function needs it

    def fail(exc: Exception) -> InputError:
        msg = (
            f"could not download OpenStreetMap data for {place!r}: {exc}. Check the place name "
            "(it must have a boundary in OpenStreetMap, e.g. '平江县, 岳阳市, 湖南省') and the "
            "network; offline, download an extract (.osm.pbf) and import it with --file"
        )
        return InputError(msg)

    download_errors = (
        requests.RequestException,
        ox._errors.InsufficientResponseError,
        ox._errors.ResponseStatusCodeError,
    )
    if progress is not None:
        progress(f"geocoding {place!r} with Nominatim")
    try:
        boundary = ox.geocode_to_gdf(place).union_all()
    except (*download_errors, TypeError) as exc:  # TypeError: the result is no polygon
        raise fail(exc) from exc
    if progress is not None:
        progress(f"downloading OpenStreetMap features of {place!r} from Overpass")
    try:
        gdf = ox.features_from_polygon(boundary, tags=OSMNX_TAGS)
    except download_errors as exc:
        raise fail(exc) from exc
    return _checked(_osm.build_layers(features_from_osmnx(gdf), progress=progress), repr(place))


def features_from_osmnx(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Turn an osmnx features frame (indexed by element type and id) into a feature table."""
    gdf = gdf.to_crs(WGS84)
    ids = [f"{element}/{osm_id}" for element, osm_id in gdf.index]
    tag_columns = [c for c in gdf.columns if c != gdf.geometry.name]
    tags = [
        {k: v for k, v in row.items() if isinstance(v, str) and v}
        for row in pd.DataFrame(gdf[tag_columns]).to_dict("records")
    ]
    return _osm.feature_table(ids, tags, gdf.geometry)


def _read_gdal_layer(
    path: Path, layer: str, element: str, wanted: _Wanted, *, progress: Progress | None
) -> gpd.GeoDataFrame:
    """Read one layer of GDAL's OSM driver into a feature table."""
    if progress is not None:
        progress(f"reading {layer} from {path.name}")
    try:
        fields = set(pyogrio.read_info(path, layer=layer)["fields"])
        with warnings.catch_warnings():
            for message in _HARMLESS_GDAL_WARNINGS:
                warnings.filterwarnings("ignore", message=message, category=RuntimeWarning)
            df = pyogrio.read_dataframe(
                path, layer=layer, where=_where(wanted, fields), on_invalid="fix"
            )
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        msg = f"{path}: cannot read it as OpenStreetMap data ({exc})"
        raise InputError(msg) from exc
    if layer == "multipolygons":  # closed ways carry osm_way_id, relations osm_id
        is_way = df["osm_way_id"].notna()
        ids = ("way/" + df["osm_way_id"].astype(str)).where(
            is_way, "relation/" + df["osm_id"].astype(str)
        )
    else:
        ids = element + "/" + df["osm_id"].astype(str)
    tag_columns = [c for c in df.columns if c not in _META_COLUMNS]
    other = df["other_tags"] if "other_tags" in df else pd.Series(None, index=df.index)
    tags = [
        {k: v for k, v in row.items() if isinstance(v, str) and v} | _osm.parse_other_tags(o)
        for row, o in zip(pd.DataFrame(df[tag_columns]).to_dict("records"), other, strict=True)
    ]
    return _osm.feature_table(list(ids), tags, df.geometry)


def _where(wanted: _Wanted, fields: set[str]) -> str:
    """OGR SQL attribute filter keeping elements with one of the wanted tags.

    A key GDAL has a column for is tested on it; any other key is looked for in ``other_tags``.
    """

    def quote(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    clauses = []
    for key, values in wanted:
        if key in fields:
            if values is None:
                clauses.append(f'"{key}" IS NOT NULL')
            else:
                clauses.append(f'"{key}" IN ({", ".join(quote(v) for v in values)})')
        elif values is None:
            clauses.append("other_tags LIKE " + quote('%"' + key + '"=>%'))
        else:
            clauses.extend("other_tags LIKE " + quote(f'%"{key}"=>"{v}"%') for v in values)
    return " OR ".join(clauses)


def _checked(layers: dict[str, gpd.GeoDataFrame], source: str) -> dict[str, gpd.GeoDataFrame]:
    """Refuse a source that produced no feature at all; partly empty results are returned."""
    if all(frame.empty for frame in layers.values()):
        msg = (
            f"{source}: no usable OpenStreetMap features; the layers "
            f"{', '.join(layers)} all came out empty (no waterway, natural=water, highway, "
            "amenity=school/kindergarten or children's social_facility found)"
        )
        raise InputError(msg)
    return layers
