"""The typed container of the layers every analysis reads."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace

import geopandas as gpd
import pandas as pd
import pyproj
from shapely.geometry.base import BaseGeometry

from geo.crs import WGS84, metric_crs_for
from geo.schemas import SCHEMAS, LayerSchema, all_schemas

_PANDAS_DTYPES = {"str": "string", "int": "Int64", "float": "Float64", "bool": "boolean"}


def empty_layer(schema: LayerSchema | str, *, crs: pyproj.CRS | str = WGS84) -> gpd.GeoDataFrame:
    """Return an empty GeoDataFrame with the columns and dtypes of a layer schema."""
    s = all_schemas()[schema] if isinstance(schema, str) else schema
    data = {
        c.name: pd.Series(
            [], dtype="datetime64[ns]" if c.dtype == "date" else _PANDAS_DTYPES[c.dtype]
        )
        for c in s.columns
    }
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=crs), crs=crs)


@dataclass(frozen=True)
class Layers:
    """Every layer of a study area, validated and in one CRS.

    Layers load in WGS84 lon/lat (EPSG:4326); call :meth:`to_metric` before measuring distances.
    Optional layers that were not supplied are empty GeoDataFrames with the schema's columns.
    Layers an analysis declared (:func:`geo.schemas.register_layer`) are in ``extra`` when
    supplied: ``layers["activities"]`` reads them like the built-in ones.
    """

    areas: gpd.GeoDataFrame
    households: gpd.GeoDataFrame
    waters: gpd.GeoDataFrame
    equipment: gpd.GeoDataFrame
    schools: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    hazards: gpd.GeoDataFrame
    incidents: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    known_spots: gpd.GeoDataFrame
    extra: Mapping[str, gpd.GeoDataFrame] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, frames: dict[str, gpd.GeoDataFrame]) -> Layers:
        """Build from a mapping of layer name to frame; missing layers become empty."""
        crs = next((f.crs for f in frames.values() if f.crs is not None), WGS84)
        kwargs = {
            name: frames[name] if name in frames else empty_layer(name, crs=crs) for name in SCHEMAS
        }
        extra = {
            name: frames[name] for name in all_schemas() if name in frames and name not in SCHEMAS
        }
        return cls(**kwargs, extra=extra)

    def __getitem__(self, name: str) -> gpd.GeoDataFrame:
        if name in self.extra:
            return self.extra[name]
        if name not in SCHEMAS:
            if name in all_schemas():  # a declared layer that was not supplied
                return empty_layer(name, crs=self.crs)
            msg = f"unknown layer {name!r}; expected one of {list(all_schemas())}"
            raise KeyError(msg)
        frame: gpd.GeoDataFrame = getattr(self, name)
        return frame

    def items(self) -> Iterator[tuple[str, gpd.GeoDataFrame]]:
        """Every built-in layer (the declared layers supplied are in :attr:`extra`)."""
        for f in fields(self):
            if f.name != "extra":
                yield f.name, getattr(self, f.name)

    @property
    def crs(self) -> pyproj.CRS:
        return pyproj.CRS.from_user_input(self.areas.crs or WGS84)

    @property
    def study_area(self) -> BaseGeometry:
        """The union of all areas, in the layers' CRS."""
        return self.areas.geometry.union_all()

    def metric_crs(self) -> pyproj.CRS:
        """The projected CRS analyses use: the UTM zone of the study area."""
        return metric_crs_for(self.areas if len(self.areas) else self.households)

    def to_crs(self, crs: pyproj.CRS | str) -> Layers:
        moved = {name: frame.to_crs(crs) for name, frame in self.items()}
        extra = {name: frame.to_crs(crs) for name, frame in self.extra.items()}
        return replace(self, **moved, extra=extra)

    def to_metric(self) -> Layers:
        """All layers in the metric CRS of :meth:`metric_crs` (a no-op if already there)."""
        target = self.metric_crs()
        if self.crs.equals(target):
            return self
        return self.to_crs(target)
