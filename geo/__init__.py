"""Layers: schemas, loading (files, OSM), CRS, validation, the road network, export.

The public API of ``geo``; everything else is an implementation detail. The names are imported
on first use (PEP 562), so ``import geo`` (or any ``geo.x`` module, as the command line does)
does not load geopandas, networkx and the rest before they are needed::

    import geo

    frames = geo.read_layers("sample_layers/township.gpkg")
    layers, report = geo.validate_layers(frames)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.lazy import lazy_exports

if TYPE_CHECKING:
    from geo.aliases import ColumnMap, read_column_map
    from geo.crs import WGS84, metric_crs_for, offset_to_wgs84, parse_crs, to_wgs84, wgs84_to_offset
    from geo.errors import CRSError, InputError, LayerError, NetworkError, TonganError
    from geo.export import write_gpx, write_tables
    from geo.layers import Layers, empty_layer
    from geo.load import read_file, read_layers, write_layers
    from geo.network import (
        RoadNetwork,
        SnapResult,
        build_network,
        distance_matrix,
        distance_pairs,
        distances_from,
        service_areas,
        snap_points,
    )
    from geo.osm import layers_from_osm_file, layers_from_place
    from geo.schemas import SCHEMAS, schema_markdown
    from geo.settings import Settings, get_settings
    from geo.validate import ValidationReport, validate_layers

__all__ = [
    "SCHEMAS",
    "WGS84",
    "CRSError",
    "ColumnMap",
    "InputError",
    "LayerError",
    "Layers",
    "NetworkError",
    "RoadNetwork",
    "Settings",
    "SnapResult",
    "TonganError",
    "ValidationReport",
    "build_network",
    "distance_matrix",
    "distance_pairs",
    "distances_from",
    "empty_layer",
    "get_settings",
    "layers_from_osm_file",
    "layers_from_place",
    "metric_crs_for",
    "offset_to_wgs84",
    "parse_crs",
    "read_column_map",
    "read_file",
    "read_layers",
    "schema_markdown",
    "service_areas",
    "snap_points",
    "to_wgs84",
    "validate_layers",
    "wgs84_to_offset",
    "write_gpx",
    "write_layers",
    "write_tables",
]

#: Public name -> the module defining it (imported on first use).
_EXPORTS = {
    "ColumnMap": "geo.aliases",
    "read_column_map": "geo.aliases",
    "WGS84": "geo.crs",
    "metric_crs_for": "geo.crs",
    "offset_to_wgs84": "geo.crs",
    "parse_crs": "geo.crs",
    "to_wgs84": "geo.crs",
    "wgs84_to_offset": "geo.crs",
    "CRSError": "geo.errors",
    "InputError": "geo.errors",
    "LayerError": "geo.errors",
    "NetworkError": "geo.errors",
    "TonganError": "geo.errors",
    "write_gpx": "geo.export",
    "write_tables": "geo.export",
    "Layers": "geo.layers",
    "empty_layer": "geo.layers",
    "read_file": "geo.load",
    "read_layers": "geo.load",
    "write_layers": "geo.load",
    "RoadNetwork": "geo.network",
    "SnapResult": "geo.network",
    "build_network": "geo.network",
    "distance_matrix": "geo.network",
    "distance_pairs": "geo.network",
    "distances_from": "geo.network",
    "service_areas": "geo.network",
    "snap_points": "geo.network",
    "layers_from_osm_file": "geo.osm",
    "layers_from_place": "geo.osm",
    "SCHEMAS": "geo.schemas",
    "schema_markdown": "geo.schemas",
    "Settings": "geo.settings",
    "get_settings": "geo.settings",
    "ValidationReport": "geo.validate",
    "validate_layers": "geo.validate",
}


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, __all__, globals())
