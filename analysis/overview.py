"""The data overview: every layer's count and totals, and where the children live (aggregated).

Not an analysis of risk: it shows what the layers hold, as :func:`geo.summary.summarise` does
for ``tongan validate``, with the households counted in hexagons for the map.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from analysis.privacy import round_count
from analysis.registry import Analysis, Figure, Inputs, NoParams, View, map_cells, register
from geo.i18n import Note, tr
from geo.layers import Layers
from geo.summary import LayerSummary, summarise

__all__ = ["Overview", "layer_rows"]

#: The household counts the overview sums and maps.
COUNTS = ["children", "left_behind", "in_difficulty"]


@dataclass(frozen=True, eq=False)
class Overview:
    """The layers and their households counted in hexagons."""

    layers: Layers
    cells: gpd.GeoDataFrame


def _run(inputs: Inputs, params: NoParams) -> Overview:
    return Overview(
        inputs.layers, map_cells(inputs.metric.households, COUNTS, settings=inputs.settings)
    )


def _public_row(row: LayerSummary, layers: Layers, view: View) -> LayerSummary:
    """The households' row with its counts rounded when the role is not authorised."""
    if view.authorised or row.layer != "households":
        return row
    hh = layers.households
    base = view.settings.privacy.round_base
    totals = {
        c: round_count(float(pd.to_numeric(hh[c], errors="coerce").fillna(0).sum()), base=base)
        for c in COUNTS
    }
    details = tr("sum_households", view.lang, **totals)
    features = round_count(row.features, base=base)
    return dataclasses.replace(row, features=features, details=details)


def layer_rows(overview: Overview, view: View) -> list[LayerSummary]:
    """The summary row of every layer, as ``view`` may see it."""
    rows = summarise(overview.layers, lang=view.lang)
    return [_public_row(row, overview.layers, view) for row in rows]


def _tables(overview: Overview, view: View) -> dict[str, pd.DataFrame]:
    rows = layer_rows(overview, view)
    table = pd.DataFrame(
        [(r.layer, r.title, r.features, r.details) for r in rows],
        columns=["layer", "title", "features", "details"],
    )
    return {"layers": table, "cells": overview.cells.copy()}


def _figures(overview: Overview, view: View) -> list[Figure]:
    return [
        Figure(Note("plain_text", {"text": row.title}), f"{row.features}")
        for row in layer_rows(overview, view)
        if row.present
    ]


ANALYSIS = register(
    Analysis(
        cli=False,  # its command has a module of its own (api/commands)
        name="overview",
        title="page_overview_title",
        question="page_overview_question",
        params=NoParams,
        run=_run,
        order=90,
        tables=_tables,
        figures=_figures,
        api=False,
    )
)
