"""Offline basemaps a county supplies: MBTiles, PMTiles or a GeoTIFF image, served as XYZ tiles.

A township office on the government intranet has no tile server. Its own imagery or a tile file
made once (``gdal_translate county.tif county.mbtiles -of MBTILES`` then ``gdaladdo -r average
county.mbtiles``; ``pmtiles convert county.mbtiles county.pmtiles``) is read here tile by tile:

- **MBTiles** (SQLite, the tiles in TMS rows, :func:`sqlite3`), raster (png, jpg, webp) or vector (pbf);
- **PMTiles** (one file of clustered tiles, read with the ``pmtiles`` package), raster or vector;
- **GeoTIFF**, any CRS: each requested Web Mercator tile is cut and warped from the image by
  ``rio-tiler`` and sent as PNG (transparent outside the image).

Every source answers :meth:`TileSource.tile` with the tile's bytes, or ``None`` where it has
none (outside its zooms or extent: an empty tile, not an error).
"""

from __future__ import annotations

import gzip
import mmap
import sqlite3
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol

from geo.errors import InputError

__all__ = ["TileInfo", "TileSource", "open_tiles", "tilejson"]

TileKind = Literal["raster", "vector"]

#: The media type of a tile format.
MEDIA_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "pbf": "application/x-protobuf",
    "mvt": "application/x-protobuf",
}
#: File suffixes of the sources, for the error that lists them.
SUFFIXES = (".mbtiles", ".pmtiles", ".tif", ".tiff")
_MAX_ZOOM = 24


@dataclass(frozen=True)
class TileInfo:
    """What a tile file holds: format, zooms, extent (WGS84 degrees) and its name."""

    format: str
    kind: TileKind
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float] | None
    name: str
    attribution: str = ""

    @property
    def media_type(self) -> str:
        """The HTTP media type of one tile."""
        return MEDIA_TYPES[self.format]


class TileSource(Protocol):
    """A tile file opened for reading."""

    info: TileInfo

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile at zoom ``z``, column ``x`` and row ``y`` (XYZ, y down), or ``None``."""
        ...

    def close(self) -> None:
        """Release the file."""
        ...


@contextmanager
def _quiet_affine() -> Iterator[None]:
    """rasterio's own transform arithmetic uses affine's ``*``, which affine now marks pending
    deprecation: nothing for us or a user to change."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="Use `@` matmul", category=PendingDeprecationWarning
        )
        yield


def _valid(z: int, x: int, y: int) -> bool:
    return 0 <= z <= _MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


def _bounds(text: str | None) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    try:
        w, s, e, n = (float(v) for v in str(text).split(","))
    except ValueError:
        return None
    return (w, s, e, n)


class MBTiles:
    """An MBTiles file (SQLite: ``metadata`` and ``tiles`` with TMS rows)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            meta = dict(con.execute("SELECT name, value FROM metadata").fetchall())
            zooms = con.execute("SELECT min(zoom_level), max(zoom_level) FROM tiles").fetchone()
        except sqlite3.DatabaseError as exc:
            msg = f"{path}: not an MBTiles file ({exc}); make one with gdal_translate -of MBTILES"
            raise InputError(msg) from None
        if zooms[0] is None:
            msg = f"{path}: the MBTiles file holds no tile; add zoom levels with gdaladdo"
            raise InputError(msg)
        fmt = str(meta.get("format", "png")).lower()
        if fmt not in MEDIA_TYPES:
            msg = (
                f"{path}: tile format {fmt!r} is not served; expected one of {sorted(MEDIA_TYPES)}"
            )
            raise InputError(msg)
        self._con = con
        self.info = TileInfo(
            format=fmt,
            kind="vector" if fmt in ("pbf", "mvt") else "raster",
            min_zoom=int(meta.get("minzoom", zooms[0])),
            max_zoom=int(meta.get("maxzoom", zooms[1])),
            bounds=_bounds(meta.get("bounds")),
            name=str(meta.get("name", path.stem)),
            attribution=str(meta.get("attribution", "")),
        )

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile (XYZ) or ``None``; vector tiles are sent uncompressed."""
        if not _valid(z, x, y):
            return None
        row = self._con.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
            (z, x, (1 << z) - 1 - y),
        ).fetchone()
        if row is None:
            return None
        data = bytes(row[0])
        return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data

    def close(self) -> None:
        """Close the database."""
        self._con.close()


class PMTiles:
    """A PMTiles (v3) file, read through a memory map with the ``pmtiles`` package."""

    _FORMATS: ClassVar[dict[int, str]] = {1: "pbf", 2: "png", 3: "jpg", 4: "webp"}

    def __init__(self, path: Path) -> None:
        from pmtiles import reader

        pmtiles_reader: Any = reader.Reader  # the package has no type hints

        self.path = path
        with path.open("rb") as handle:  # the map outlives the file handle
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            self._reader = pmtiles_reader(_mmap_source(self._map))
            header = self._reader.header()
            metadata = self._reader.metadata()
        except Exception as exc:  # the package raises bare exceptions on a foreign file
            self._map.close()
            msg = f"{path}: not a PMTiles v3 file ({type(exc).__name__}); convert one with `pmtiles convert`"
            raise InputError(msg) from None
        fmt = self._FORMATS.get(header["tile_type"].value)
        if fmt is None:
            msg = f"{path}: tile type {header['tile_type'].name} is not served; expected png, jpg, webp or mvt"
            raise InputError(msg)
        self._gzip = header["tile_compression"].value == 2
        e7 = 1e7
        self.info = TileInfo(
            format=fmt,
            kind="vector" if fmt == "pbf" else "raster",
            min_zoom=int(header["min_zoom"]),
            max_zoom=int(header["max_zoom"]),
            bounds=(
                header["min_lon_e7"] / e7,
                header["min_lat_e7"] / e7,
                header["max_lon_e7"] / e7,
                header["max_lat_e7"] / e7,
            ),
            name=str(metadata.get("name", path.stem)) if isinstance(metadata, dict) else path.stem,
            attribution=str(metadata.get("attribution", "")) if isinstance(metadata, dict) else "",
        )

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile (XYZ) or ``None``, decompressed when the file stores it gzipped."""
        if not _valid(z, x, y):
            return None
        data = self._reader.get(z, x, y)
        if data is None:
            return None
        return gzip.decompress(data) if self._gzip else bytes(data)

    def close(self) -> None:
        """Release the memory map."""
        self._map.close()


def _mmap_source(buffer: mmap.mmap) -> Callable[[int, int], bytes]:
    def get_bytes(offset: int, length: int) -> bytes:
        return buffer[offset : offset + length]

    return get_bytes


class GeoTiff:
    """A GeoTIFF image in any CRS, cut into Web Mercator PNG tiles by ``rio-tiler``."""

    def __init__(self, path: Path, *, tile_size: int = 256) -> None:
        import rasterio
        from rasterio.errors import RasterioIOError
        from rio_tiler.io import Reader

        self.path = path
        self.tile_size = tile_size
        try:
            with rasterio.open(path) as src:
                if src.crs is None:
                    msg = (
                        f"{path}: the image has no CRS; assign one (gdal_edit.py -a_srs EPSG:4490)"
                    )
                    raise InputError(msg)
        except RasterioIOError as exc:
            msg = f"{path}: not a readable raster ({exc}); give a GeoTIFF image"
            raise InputError(msg) from None
        with _quiet_affine():
            self._reader: Any = Reader(str(path))
            w, s, e, n = self._reader.get_geographic_bounds(
                self._reader.tms.rasterio_geographic_crs
            )
            zooms = int(self._reader.minzoom), int(self._reader.maxzoom)
        self.info = TileInfo(
            format="png",
            kind="raster",
            min_zoom=max(0, zooms[0]),
            max_zoom=min(_MAX_ZOOM, zooms[1] + 2),
            bounds=(w, s, e, n),
            name=path.stem,
        )

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The PNG tile cut from the image, or ``None`` outside it or its zooms."""
        from rio_tiler.errors import TileOutsideBounds

        if not _valid(z, x, y) or not self.info.min_zoom <= z <= self.info.max_zoom:
            return None
        try:
            with _quiet_affine():
                image = self._reader.tile(x, y, z, tilesize=self.tile_size)
        except TileOutsideBounds:
            return None
        if image.count not in (1, 3):  # RGBA or a multi-band image: the first three bands
            image = image.apply_expression("b1,b2,b3") if image.count > 3 else image
        return bytes(image.render(img_format="PNG", add_mask=True))

    def close(self) -> None:
        """Close the image."""
        self._reader.close()


def open_tiles(path: str | Path) -> TileSource:
    """Open a tile file by its suffix: ``.mbtiles``, ``.pmtiles``, ``.tif``/``.tiff``.

    Raises
    ------
    InputError
        When the file is missing, of another kind or unreadable, naming the file and the fix.
    """
    path = Path(path)
    if not path.is_file():
        msg = f"--tiles {path}: no such file; give an MBTiles, PMTiles or GeoTIFF file"
        raise InputError(msg)
    suffix = path.suffix.lower()
    if suffix == ".mbtiles":
        return MBTiles(path)
    if suffix == ".pmtiles":
        return PMTiles(path)
    if suffix in (".tif", ".tiff"):
        return GeoTiff(path)
    msg = f"--tiles {path}: unknown tile file {suffix!r}; expected one of {', '.join(SUFFIXES)}"
    raise InputError(msg)


def tilejson(info: TileInfo, url: str) -> dict[str, object]:
    """The TileJSON 3.0 document of a source whose tiles are at ``url`` (with ``{z}/{x}/{y}``)."""
    doc: dict[str, object] = {
        "tilejson": "3.0.0",
        "name": info.name,
        "tiles": [url],
        "minzoom": info.min_zoom,
        "maxzoom": info.max_zoom,
        "attribution": info.attribution,
        "format": info.format,
    }
    if info.bounds is not None:
        doc["bounds"] = list(info.bounds)
    return doc
