"""The import rules applied to inspection records: on every write, and to what is stored.

An inspection changes the equipment layer (its items update or add equipment), so it must meet
the rules a layer import meets (:mod:`geo.validate`): a newly installed item lies within the
study area (:class:`geo.validate.StudyArea`, the same rule and margin), the equipment and water
it names exist, its date is not in the future. Kinds and conditions are the schema's
(``geo.schemas``) and are enforced by the record's model itself.

:func:`check_records` is vectorised over any number of records: the workspace runs it on a post
before storing it (a problem refuses it, 422) and on the stored records when it builds its layers
(a problem quarantines the record, so one bad record cannot stop the others).

Examples
--------
>>> p = RecordProblem(7, "items[1].lon/lat", "far_outside", {"distance_m": 35012.4, "margin_m": 5000})
>>> p.message("en")
'items[1].lon/lat lies 35012 m outside the study area (more than 5000 m); check the WGS84 lon and lat (two digits swapped?)'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.i18n import tr
from geo.layers import Layers
from geo.settings import Language
from geo.validate import StudyArea

#: Columns of the inspections ("heads") :func:`check_records` reads.
HEAD_COLUMNS = ("inspection_id", "target", "target_id", "water_id", "date", "lon", "lat")
#: Columns of the items :func:`check_records` reads.
ITEM_COLUMNS = ("inspection_id", "n", "item_id", "kind", "condition", "lon", "lat")


@dataclass(frozen=True)
class RecordProblem:
    """One rule an inspection record breaks.

    ``inspection`` is the stored id (None for a record not stored yet), ``field`` the field as
    posted (``items[2].lon``), ``rule`` the message code (``record_<rule>`` in :mod:`geo.i18n`).
    """

    inspection: int | None
    field: str
    rule: str
    params: dict[str, object] = dataclasses.field(default_factory=dict)

    def message(self, lang: Language = "zh") -> str:
        """What is wrong and the fix, in ``lang``."""
        return tr(f"record_{self.rule}", lang, field=self.field, **self.params)

    def as_dict(self, lang: Language = "zh") -> dict[str, object]:
        """The problem as JSON: inspection id, field, rule and the message with the fix."""
        return {
            "inspection": self.inspection,
            "field": self.field,
            "rule": self.rule,
            "message": self.message(lang),
        }


def new_item_ids(items: pd.DataFrame) -> pd.Series:
    """The equipment id each located item has once stored: its id, else ``insp{id}-{n}``."""
    generated = "insp" + items["inspection_id"].astype(str) + "-" + items["n"].astype(str)
    return items["item_id"].where(items["item_id"].notna(), generated).astype(object)


def check_records(
    heads: pd.DataFrame,
    items: pd.DataFrame,
    layers: Layers,
    study: StudyArea | None,
    *,
    today: dt.date,
) -> list[RecordProblem]:
    """Every rule the records break, against validated layers (without these records applied).

    Parameters
    ----------
    heads, items
        The inspections (:data:`HEAD_COLUMNS`) and their items (:data:`ITEM_COLUMNS`, ``n``
        counting from 1); ``inspection_id`` is None/NaN for a record not stored yet.
    layers
        The validated layers the records would change (WGS84).
    study
        The study area (:meth:`geo.validate.StudyArea.of`); None skips the distance rule.
    today
        Dates after ``today`` (plus one day for time zones) are refused.

    Returns
    -------
    list of RecordProblem
        In record order; empty when every record may be stored and applied.
    """
    problems: list[RecordProblem] = []
    located = items["lon"].notna().to_numpy()
    known = set(layers.equipment["id"].dropna().astype(str)) if len(layers.equipment) else set()
    known |= set(new_item_ids(items[located]).astype(str))
    waters = set(layers.waters["id"].dropna().astype(str))

    def ident(value: object) -> int | None:
        return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]

    latest = pd.Timestamp(today + dt.timedelta(days=1))
    for h in heads.itertuples(index=False):
        if h.target == "equipment" and str(h.target_id) not in known:
            problems.append(
                RecordProblem(
                    ident(h.inspection_id), "target_id", "unknown_equipment", {"id": h.target_id}
                )
            )
        if h.water_id is not None and not pd.isna(h.water_id) and str(h.water_id) not in waters:
            problems.append(
                RecordProblem(
                    ident(h.inspection_id), "water_id", "unknown_water", {"id": h.water_id}
                )
            )
        if pd.Timestamp(h.date) > latest:
            problems.append(
                RecordProblem(
                    ident(h.inspection_id), "date", "future_date", {"date": str(h.date)[:10]}
                )
            )
    for it in items[~located].itertuples(index=False):
        if it.item_id is not None and not pd.isna(it.item_id) and str(it.item_id) not in known:
            problems.append(
                RecordProblem(
                    ident(it.inspection_id), f"items[{it.n}].id", "unknown_item", {"id": it.item_id}
                )
            )
    if study is not None:
        problems += _far(heads, "", study) + _far(items[located], "items", study)
    return sorted(problems, key=lambda p: -1 if p.inspection is None else p.inspection)


def _far(frame: pd.DataFrame, prefix: str, study: StudyArea) -> list[RecordProblem]:
    """The study-area rule on the located rows of ``frame`` (heads or items)."""
    frame = frame[frame["lon"].notna() & frame["lat"].notna()]
    if not len(frame):
        return []
    points = gpd.GeoSeries(
        shapely.points(frame["lon"].to_numpy(float), frame["lat"].to_numpy(float)),
        index=frame.index,
        crs="EPSG:4326",
    )
    far = study.far(points).to_numpy()
    if not far.any():
        return []
    distance = shapely.distance(points[far].to_crs(study.crs).values, study.shape)
    out = []
    for row, metres in zip(frame[far].itertuples(index=False), np.asarray(distance), strict=True):
        where = f"items[{row.n}].lon/lat" if prefix else "lon/lat"
        inspection = None if pd.isna(row.inspection_id) else int(row.inspection_id)
        out.append(
            RecordProblem(
                inspection,
                where,
                "far_outside",
                {"distance_m": float(metres), "margin_m": study.margin_m},
            )
        )
    return out
