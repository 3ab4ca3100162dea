"""Safety education in every village (安全知识进村): which villages had their activity this year.

The plans ask the county's education, police, civil-affairs, youth-league and women's-federation
offices to hold at least one safety-education activity a year in every village (drowning,
bullying, sexual abuse, fraud, road safety), for left-behind children and children in difficulty
and their carers. Given the activity records (an optional ``activities`` table: village code,
date, kind, attendance), :func:`village_activities` counts each village's activities in the
year before the date and flags the villages still without one.

The analysis adds itself to every front end through its contract at the end of this module
(:mod:`analysis.registry`): the map page, ``/api/activities``, the OGC collection
``village_activities``, ``tongan activities`` and a ``tongan province`` stage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from analysis.county import CountyLayers, StageOutput
from analysis.registry import Analysis, Collection, Figure, Inputs, PlanDate, View, register
from geo.errors import InputError
from geo.layers import Layers
from geo.schemas import Column, LayerSchema, register_layer
from geo.settings import Settings

__all__ = ["KINDS", "VillageActivities", "read_activities", "village_activities"]

#: Kinds of safety education the plans name, plus ``other``.
KINDS = ("drowning", "bullying", "sexual_abuse", "fraud", "road_safety", "other")
#: The optional ``activities`` layer: one point per activity (where it was held), read,
#: validated and summarised like the built-in layers (:func:`geo.schemas.register_layer`).
ACTIVITIES = register_layer(
    LayerSchema(
        "activities",
        "安全知识进村活动",
        "Safety-education activities held in the villages (安全知识进村), one per row.",
        ("Point",),
        (
            Column("id", "str", "编号", "Unique identifier of the activity.", required=True),
            Column(
                "village_code", "str", "村代码", "Code of the village (areas.code).", required=True
            ),
            Column("date", "date", "日期", "Day the activity was held.", required=True),
            Column("kind", "str", "类型", "Topic of the activity.", allowed=KINDS, default="other"),
            Column(
                "attendance",
                "int",
                "参加人数",
                "Children and carers who attended.",
                unit="people",
                minimum=0,
                default=0,
            ),
        ),
        required_layer=False,
    )
)


def read_activities(frame: pd.DataFrame) -> pd.DataFrame:
    """The activity records with typed columns (``village_code`` text, ``date`` a day,
    ``kind`` one of :data:`KINDS`, ``attendance`` a count, 0 when blank).

    Raises
    ------
    InputError
        A required column is missing, or a row's date, kind or attendance is not valid (the
        message names the column, the first rows and the fix).
    """
    missing = [c for c in ("village_code", "date") if c not in frame]
    if missing:
        msg = f"the activities table has no column {', '.join(missing)}; give village_code and date (YYYY-MM-DD) per activity"
        raise InputError(msg)
    out = pd.DataFrame({"village_code": frame["village_code"].astype(str).str.strip()})
    dates = pd.to_datetime(frame["date"].astype(str).str.strip(), errors="coerce", format="ISO8601")
    bad = dates.isna()
    if bad.any():
        rows = ", ".join(str(i + 2) for i in frame.index[bad][:5])
        msg = (
            f"activities: column date, row(s) {rows}: not a date; use YYYY-MM-DD (e.g. 2026-05-20)"
        )
        raise InputError(msg)
    out["date"] = dates.dt.date
    kind = frame["kind"].fillna("other").astype(str) if "kind" in frame else "other"
    out["kind"] = kind
    wrong = ~out["kind"].isin(KINDS)
    if wrong.any():
        rows = ", ".join(str(i + 2) for i in frame.index[wrong][:5])
        msg = f"activities: column kind, row(s) {rows}: expected one of {', '.join(KINDS)}"
        raise InputError(msg)
    attendance = pd.to_numeric(frame.get("attendance", 0), errors="coerce")
    if isinstance(attendance, pd.Series) and (attendance < 0).any():
        rows = ", ".join(str(i + 2) for i in frame.index[attendance < 0][:5])
        msg = f"activities: column attendance, row(s) {rows}: must be zero or more"
        raise InputError(msg)
    out["attendance"] = pd.Series(attendance, index=frame.index).fillna(0).astype(int)
    return out


@dataclass(frozen=True, eq=False)
class VillageActivities:
    """Each village's safety-education record in the year before ``date``.

    Attributes
    ----------
    villages
        One row per village (its polygon): ``village_code``, ``village_name``, ``activities``
        (in the window), ``attendance`` (summed), ``last_date`` (the latest, any year; empty
        when none), ``kinds`` (``;``-separated) and ``meets`` (at least the required number).
    date, window_days, required
        The day assessed, the days looked back and the activities each village needs.
    records
        Whether any activity record was given (without one every village lacks its activity).
    """

    villages: gpd.GeoDataFrame
    date: dt.date
    window_days: int
    required: int
    records: bool

    @property
    def lacking(self) -> gpd.GeoDataFrame:
        """The villages without their activity in the window."""
        return self.villages.loc[~self.villages["meets"]]


def village_activities(
    layers: Layers,
    activities: pd.DataFrame | None,
    *,
    settings: Settings,
    date: dt.date,
) -> VillageActivities:
    """Count each village's safety-education activities in the year before ``date``.

    Parameters
    ----------
    layers
        Validated layers (the village polygons of ``areas``).
    activities
        Activity records (:func:`read_activities` is applied); None or empty when there is none.
    settings
        ``settings.activities``: ``min_per_year``, ``window_days``.
    date
        The day assessed: activities from ``date - window_days`` (exclusive) to ``date``
        (inclusive) count.

    Examples
    --------
    A village with one drowning lesson in May meets the yearly requirement in July:

    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import box
    >>> from geo.layers import Layers
    >>> areas = gpd.GeoDataFrame({"code": ["v1", "v2"], "name": ["东村", "西村"],
    ...     "level": ["village", "village"], "parent_code": ["t", "t"]},
    ...     geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326)
    >>> acts = pd.DataFrame({"village_code": ["v1"], "date": ["2026-05-20"],
    ...     "kind": ["drowning"], "attendance": [40]})
    >>> r = village_activities(Layers.from_dict({"areas": areas}), acts,
    ...     settings=Settings(), date=dt.date(2026, 7, 15))
    >>> r.villages[["village_code", "activities", "meets"]].values.tolist()
    [['v1', 1, True], ['v2', 0, False]]
    """
    cfg = settings.activities
    areas = layers.areas
    villages = areas.loc[areas["level"].astype(str) == "village"]
    records = read_activities(activities) if activities is not None and len(activities) else None
    since = date - dt.timedelta(days=cfg.window_days)
    out = gpd.GeoDataFrame(
        {
            "village_code": villages["code"].astype(str).to_numpy(),
            "village_name": villages["name"].astype(str).to_numpy(),
        },
        geometry=villages.geometry.to_numpy(),
        crs=areas.crs,
    )
    counts = pd.Series(0, index=out["village_code"])
    people = pd.Series(0, index=out["village_code"])
    kinds = pd.Series("", index=out["village_code"])
    last = pd.Series("", index=out["village_code"])
    if records is not None:
        past = records.loc[records["date"] <= date]
        window = past.loc[past["date"] > since]
        by = window.groupby("village_code")
        counts = counts.add(by.size(), fill_value=0).reindex(counts.index)
        people = people.add(by["attendance"].sum(), fill_value=0).reindex(people.index)
        kinds = by["kind"].agg(lambda k: ";".join(sorted(set(k)))).reindex(kinds.index)
        kinds = kinds.fillna("")
        latest = past.groupby("village_code")["date"].max().map(dt.date.isoformat)
        last = latest.reindex(last.index).fillna("")
    out["activities"] = counts.astype(int).to_numpy()
    out["attendance"] = people.astype(int).to_numpy()
    out["last_date"] = last.astype(str).to_numpy()
    out["kinds"] = kinds.astype(str).to_numpy()
    out["meets"] = out["activities"] >= cfg.min_per_year
    return VillageActivities(out, date, cfg.window_days, cfg.min_per_year, records is not None)


# --------------------------------------------------------------------------------------------
# the analysis contract (analysis.registry)
# --------------------------------------------------------------------------------------------


class ActivityParams(BaseModel):
    """Parameters of the safety-education record."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: PlanDate | None = Field(None, description="日期 / date")


def _records(layers: Layers, given: pd.DataFrame | None) -> pd.DataFrame | None:
    """The records a front end gave, else the workspace's ``activities`` layer (if any)."""
    if given is not None:
        return given
    layer = layers["activities"]
    return pd.DataFrame(layer.drop(columns=layer.geometry.name)) if len(layer) else None


def _run(inputs: Inputs, params: ActivityParams) -> VillageActivities:
    return village_activities(
        inputs.metric,
        _records(inputs.metric, inputs.extras.get("activities")),
        settings=inputs.settings,
        date=params.date or inputs.today,
    )


def _figures(result: VillageActivities, view: View) -> list[Figure]:
    v = result.villages
    return [
        Figure("fig_activity_villages", len(v)),
        Figure("fig_activity_met", int(v["meets"].sum())),
        Figure("fig_activity_lacking", len(result.lacking)),
        Figure("fig_activity_count", int(v["activities"].sum())),
        Figure("fig_activity_attendance", int(v["attendance"].sum())),
    ]


def _notes(result: VillageActivities) -> tuple[object, ...]:
    from geo.i18n import Note

    return () if result.records else (Note("activity_no_records"),)


def activities_stage(
    county: CountyLayers, settings: Settings, date: dt.date, *, authorised: bool = False
) -> StageOutput:
    """The county's own villages and their safety-education record (no personal data: the
    same output for every role). Figures ``activity_villages``, ``activity_lacking``."""
    del authorised
    records = _records(county.layers, None)
    result = village_activities(county.layers, records, settings=settings, date=date)
    v = result.villages.loc[result.villages["village_code"].isin(county.villages)]
    return StageOutput(
        tables={"villages": v.reset_index(drop=True)},
        figures={
            "activity_villages": float(len(v)),
            "activity_lacking": float((~v["meets"]).sum()),
        },
        townships=pd.DataFrame(columns=["township_code", "township_name"]),
    )


ANALYSIS = register(
    Analysis(
        name="activities",
        title="page_activities_title",
        question="page_activities_question",
        params=ActivityParams,
        run=_run,
        order=70,
        tables=lambda result, view: {"villages": result.villages},
        figures=_figures,
        notes=_notes,  # type: ignore[arg-type]
        needs=("areas",),
        collections=(
            Collection(
                "village_activities",
                "安全知识进村 safety education per village",
                "Villages with their safety-education activities of the last year (today).",
                lambda result, view: result.villages,
            ),
        ),
        stage=activities_stage,
        extras={
            "activities": "activity records (village_code, date, kind, attendance) instead of "
            "the activities layer"
        },
    )
)
