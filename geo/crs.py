"""Coordinate reference systems: WGS84 at the door, a metric CRS for every distance.

Chinese web maps publish coordinates with a deliberate offset: GCJ-02 (Amap, Tencent) and BD-09
(Baidu), hundreds of metres from WGS84. They are no EPSG CRS, so pyproj cannot convert them; the
conversions here use ``prcoords`` (public-domain reference implementation, iterative inverse to
about 0.1 mm) on every vertex. CGCS2000 (EPSG:4490) is WGS84 at map scale and goes through pyproj.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import geopandas as gpd
import numpy as np
import prcoords
import pyproj
import shapely
from numpy.typing import NDArray

from geo.errors import CRSError

WGS84 = pyproj.CRS.from_epsg(4326)
CGCS2000 = pyproj.CRS.from_epsg(4490)

Offset = Literal["wgs84", "gcj02", "bd09"]
OFFSETS: tuple[Offset, ...] = ("wgs84", "gcj02", "bd09")

_Point = Callable[..., prcoords.Coords]
_TO_WGS84: dict[str, _Point] = {"gcj02": prcoords.gcj_wgs_bored, "bd09": prcoords.bd_wgs_bored}
_FROM_WGS84: dict[str, _Point] = {"gcj02": prcoords.wgs_gcj, "bd09": prcoords.wgs_bd}


def parse_crs(value: str | int | pyproj.CRS) -> tuple[pyproj.CRS, Offset]:
    """Read a user's CRS option: an EPSG code or name, or ``gcj02`` / ``bd09``.

    Returns the CRS the coordinates are expressed in and the web-map offset they carry.

    Examples
    --------
    >>> parse_crs("gcj02")[1]
    'gcj02'
    >>> parse_crs("EPSG:4490")[0].to_epsg()
    4490
    """
    if isinstance(value, str):
        key = value.strip().lower().replace("-", "").replace("_", "")
        if key in {"gcj02", "amap", "tencent", "gaode"}:
            return WGS84, "gcj02"
        if key in {"bd09", "baidu", "bd09ll"}:
            return WGS84, "bd09"
        if key in {"wgs84", "cgcs2000"}:
            return (WGS84 if key == "wgs84" else CGCS2000), "wgs84"
    try:
        return pyproj.CRS.from_user_input(value), "wgs84"
    except pyproj.exceptions.CRSError as exc:
        msg = (
            f"unknown CRS {value!r}; give an EPSG code (EPSG:4326, EPSG:4490 for CGCS2000, a "
            "projected EPSG code) or gcj02 (Amap/Tencent) or bd09 (Baidu)"
        )
        raise CRSError(msg) from exc


#: The rectangle inside which GCJ-02 (and BD-09) apply an offset: ``out_of_china`` of the common
#: eviltransform / coordtransform algorithm (also ``prcoords.sanity_in_china_p``). Points outside
#: it are WGS84 in every one of these systems, so conversions leave them unchanged.
CHINA_LON = (72.004, 137.8347)
CHINA_LAT = (0.8293, 55.8271)


def in_china(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Whether each point lies in the rectangle where the web-map offsets apply.

    Examples
    --------
    >>> in_china(np.array([112.95, 2.35]), np.array([29.85, 48.86])).tolist()
    [True, False]
    """
    return (
        (lon >= CHINA_LON[0])
        & (lon <= CHINA_LON[1])
        & (lat >= CHINA_LAT[0])
        & (lat <= CHINA_LAT[1])
    )


def _convert_xy(xy: NDArray[np.float64], func: _Point) -> NDArray[np.float64]:
    """Convert the points inside China; the others (and NaN) stay as they are."""
    out = xy.copy()
    inside = np.flatnonzero(in_china(xy[:, 0], xy[:, 1]))
    for i in inside:
        c = func(prcoords.Coords(xy[i, 1], xy[i, 0]), False)
        out[i, 0], out[i, 1] = c.lon, c.lat
    return out


def offset_to_wgs84(gdf: gpd.GeoDataFrame, offset: Offset) -> gpd.GeoDataFrame:
    """Remove a Chinese web-map offset (GCJ-02 or BD-09) from lon/lat geometries.

    Parameters
    ----------
    gdf
        Layer whose coordinates are longitude/latitude carrying ``offset``.
    offset
        ``"gcj02"`` (Amap, Tencent), ``"bd09"`` (Baidu) or ``"wgs84"`` (no offset: returned as is).
    """
    if offset == "wgs84":
        return gdf
    _check_offset(offset)
    out = gdf.copy()
    out.geometry = shapely.transform(
        gdf.geometry.values, lambda xy: _convert_xy(xy, _TO_WGS84[offset])
    )
    return out.set_crs(WGS84, allow_override=True)


def wgs84_to_offset(gdf: gpd.GeoDataFrame, offset: Offset) -> gpd.GeoDataFrame:
    """Add a Chinese web-map offset, so layers line up with Amap/Tencent or Baidu tiles."""
    if offset == "wgs84":
        return gdf
    _check_offset(offset)
    geoms = shapely.transform(
        gdf.to_crs(WGS84).geometry.values, lambda xy: _convert_xy(xy, _FROM_WGS84[offset])
    )
    out = gdf.to_crs(WGS84)
    out.geometry = geoms
    return out


def _check_offset(offset: str) -> None:
    if offset not in OFFSETS:
        msg = f"unknown coordinate offset {offset!r}; expected one of {OFFSETS}"
        raise CRSError(msg)


def to_wgs84(
    gdf: gpd.GeoDataFrame, *, offset: Offset = "wgs84", layer: str = "layer"
) -> gpd.GeoDataFrame:
    """Bring a layer to WGS84 lon/lat, the CRS every layer is kept in.

    A layer without a CRS is refused: its coordinates could be anything.
    """
    if gdf.crs is None:
        msg = (
            f"layer {layer!r} has no CRS; pass --crs (for example --crs EPSG:4326, EPSG:4490, "
            "gcj02 or bd09)"
        )
        raise CRSError(msg)
    if offset != "wgs84" and not pyproj.CRS.from_user_input(gdf.crs).is_geographic:
        msg = f"layer {layer!r}: a {offset} offset applies to longitude/latitude, not to {gdf.crs.name}"
        raise CRSError(msg)
    out = gdf.to_crs(WGS84) if not pyproj.CRS.from_user_input(gdf.crs).equals(WGS84) else gdf
    return offset_to_wgs84(out, offset)


def metric_crs_for(gdf: gpd.GeoDataFrame) -> pyproj.CRS:
    """The UTM zone (WGS84 datum) of a layer's extent, for metric work."""
    if gdf.crs is None:
        msg = "cannot choose a metric CRS for a layer without a CRS"
        raise CRSError(msg)
    if len(gdf) == 0 or gdf.geometry.is_empty.all():
        msg = "cannot choose a metric CRS for an empty layer"
        raise CRSError(msg)
    crs = gdf.estimate_utm_crs()
    return pyproj.CRS.from_user_input(crs)


def require_metric(gdf: gpd.GeoDataFrame, *, layer: str = "layer") -> None:
    """Refuse a layer whose CRS does not measure in metres (distances would be degrees)."""
    crs = pyproj.CRS.from_user_input(gdf.crs) if gdf.crs is not None else None
    if crs is None or not crs.is_projected or crs.axis_info[0].unit_name not in {"metre", "meter"}:
        name = crs.name if crs is not None else "no CRS"
        msg = (
            f"layer {layer!r} is in {name}; distances need a projected CRS in metres "
            "(use Layers.to_metric() first)"
        )
        raise CRSError(msg)
