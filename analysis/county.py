"""One county of a province run: its layers, what it owns, and what an analysis stage keeps.

:mod:`analysis.province` prepares a :class:`CountyLayers` per county and runs each registered
analysis's ``stage`` (:attr:`analysis.registry.Analysis.stage`) on it; the stage returns a
:class:`StageOutput` holding only the county's own rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analysis.privacy import public_figures, public_table
from geo.layers import Layers
from geo.partition import covering_or_nearest, owner_of
from geo.settings import Language, Settings

__all__ = [
    "CountyLayers",
    "CountyStage",
    "Reason",
    "Stage",
    "StageOutput",
    "public_output",
    "township_of",
]

#: A reason in both languages, ``{"zh": ..., "en": ...}``.
Reason = dict[Language, str]


@dataclass(frozen=True, eq=False)
class CountyLayers:
    """One county's validated layers (its own and its reach's, metric CRS) and what it owns.

    Attributes
    ----------
    code, name
        The county.
    layers
        Every layer of the partition, validated, in the metric CRS.
    counties
        The county polygons present in the partition (``code``, geometry; metric CRS), to decide
        which county owns a location (:func:`geo.partition.owner_of`).
    townships, villages
        Codes of the county's own townships and villages.
    notes
        Remarks in both languages (households left out of the buffer...).
    """

    code: str
    name: str
    layers: Layers
    counties: gpd.GeoDataFrame
    townships: frozenset[str]
    villages: frozenset[str]
    notes: tuple[Reason, ...] = ()

    @property
    def places(self) -> frozenset[str]:
        """The county's own area codes: itself, its townships and villages."""
        return self.townships | self.villages | {self.code}

    def owns(self, geoms: gpd.GeoSeries) -> NDArray[np.bool_]:
        """Which of the geometries (in the layers' CRS) lie in this county."""
        return np.asarray(owner_of(geoms, self.counties) == self.code, dtype=bool)


@dataclass(frozen=True)
class StageOutput:
    """What an analysis stage keeps of one county.

    Attributes
    ----------
    tables
        Result tables holding only the county's own rows, written as partitioned GeoParquet.
    figures
        The county's figures (one row of the province's county summary).
    townships
        Figures per own township: ``township_code``, ``township_name`` and the figures.
    """

    tables: Mapping[str, pd.DataFrame]
    figures: Mapping[str, float]
    townships: pd.DataFrame


#: An analysis stage: the county's layers, the settings and the date -> its output.
Stage = Callable[[CountyLayers, Settings, dt.date], StageOutput]


class CountyStage(Protocol):
    """The ``tongan province`` stage an analysis declares: a :data:`Stage` that keeps
    household detail and exact counts when ``authorised``."""

    def __call__(
        self, county: CountyLayers, settings: Settings, date: dt.date, *, authorised: bool = False
    ) -> StageOutput: ...


def township_of(points: gpd.GeoSeries, areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """Township code and name of each point: the township covering it, else the nearest."""
    towns = areas.loc[areas["level"].astype(str) == "township"].reset_index(drop=True)
    out = pd.DataFrame({"township_code": [""] * len(points), "township_name": [""] * len(points)})
    if not len(towns) or not len(points):
        return out
    of = covering_or_nearest(points.to_numpy(), towns.geometry.to_numpy())
    out["township_code"] = towns["code"].astype(str).to_numpy()[of]
    out["township_name"] = towns["name"].astype(str).to_numpy()[of]
    return out


def public_output(out: StageOutput, settings: Settings) -> StageOutput:
    """A stage's output as a role without household access may read it (issue 15): every
    table through :func:`analysis.privacy.public_table`, counts of people in the figures
    rounded (:func:`analysis.privacy.public_figures`)."""
    privacy = settings.privacy
    return StageOutput(
        tables={k: public_table(v, settings=privacy) for k, v in out.tables.items()},
        figures=public_figures(out.figures, settings=privacy),
        townships=public_table(out.townships, settings=privacy),
    )
