"""Layers: schemas, loading (files, OSM), CRS, validation, the road network, export.

The public API of ``geo``; everything else is an implementation detail.
"""

from __future__ import annotations

from geo.aliases import ColumnMap, read_column_map
from geo.crs import WGS84, metric_crs_for, offset_to_wgs84, parse_crs, to_wgs84, wgs84_to_offset
from geo.errors import CRSError, InputError, LayerError, NetworkError, TonganError
from geo.export import write_tables
from geo.layers import Layers, empty_layer
from geo.load import read_file, read_layers, write_layers
from geo.network import (
    RoadNetwork,
    SnapResult,
    build_network,
    distance_matrix,
    distances_from,
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
    "snap_points",
    "to_wgs84",
    "validate_layers",
    "wgs84_to_offset",
    "write_layers",
    "write_tables",
]
