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
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo.i18n import tr
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


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and value != value)


def _ident(value: object) -> int | None:
    return int(value) if _present(value) else None  # type: ignore[call-overload]


Columns = Mapping[str, Sequence[Any]]


def check_records(
    heads: pd.DataFrame | Columns,
    items: pd.DataFrame | Columns,
    *,
    equipment_ids: AbstractSet[str],
    water_ids: AbstractSet[str],
    study: StudyArea | None,
    today: dt.date,
) -> list[RecordProblem]:
    """Every rule the records break, against the validated layers they would change.

    Parameters
    ----------
    heads, items
        The inspections (:data:`HEAD_COLUMNS`) and their items (:data:`ITEM_COLUMNS`, ``n``
        counting from 1), as frames or as lists by column (a single post, without pandas);
        ``inspection_id`` is None for a record not stored yet.
    equipment_ids, water_ids
        Ids of the equipment and waters layers (with the records already applied). Items
        these records install (located items) count as known too.
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
    h_ids = list(heads["inspection_id"])
    i_ids = list(items["inspection_id"])
    item_lon, item_lat = _coordinates(items)
    located = ~(np.isnan(item_lon) | np.isnan(item_lat))
    names = list(items["item_id"])
    numbers = list(items["n"])
    installed = {
        str(names[k]) if _present(names[k]) else f"insp{i_ids[k]}-{numbers[k]}"
        for k in np.flatnonzero(located)
    }

    def known(value: object) -> bool:
        return str(value) in equipment_ids or str(value) in installed

    latest = pd.Timestamp(today + dt.timedelta(days=1))
    columns = zip(
        h_ids, heads["target"], heads["target_id"], heads["water_id"], heads["date"], strict=True
    )
    for ident, target, target_id, water_id, date in columns:
        ident = _ident(ident)
        if target == "equipment" and not known(target_id):
            problems.append(
                RecordProblem(ident, "target_id", "unknown_equipment", {"id": target_id})
            )
        if _present(water_id) and str(water_id) not in water_ids:
            problems.append(RecordProblem(ident, "water_id", "unknown_water", {"id": water_id}))
        if pd.Timestamp(date) > latest:
            problems.append(RecordProblem(ident, "date", "future_date", {"date": str(date)[:10]}))
    for k in np.flatnonzero(~located):
        if _present(names[k]) and not known(names[k]):
            field = f"items[{numbers[k]}].id"
            problems.append(
                RecordProblem(_ident(i_ids[k]), field, "unknown_item", {"id": names[k]})
            )
    if study is not None:
        problems += _far(h_ids, *_coordinates(heads), [""] * len(h_ids), study)
        fields = [f"items[{n}]." for n in numbers]
        problems += _far(i_ids, item_lon, item_lat, fields, study)
    return sorted(problems, key=lambda p: -1 if p.inspection is None else p.inspection)


def _coordinates(frame: pd.DataFrame | Columns) -> tuple[np.ndarray, np.ndarray]:
    """``lon`` and ``lat`` as float arrays, NaN where missing."""
    return tuple(  # type: ignore[return-value]
        np.array([np.nan if v is None else v for v in frame[c]], dtype=float)
        for c in ("lon", "lat")
    )


def _far(
    ids: list[object], lon: np.ndarray, lat: np.ndarray, prefixes: list[str], study: StudyArea
) -> list[RecordProblem]:
    """The study-area rule on the located rows (heads or items)."""
    rows = np.flatnonzero(~(np.isnan(lon) | np.isnan(lat)))
    if not len(rows):
        return []
    distance = study.distance_lonlat(lon[rows], lat[rows])
    return [
        RecordProblem(
            _ident(ids[row]),
            f"{prefixes[row]}lon/lat",
            "far_outside",
            {"distance_m": float(metres), "margin_m": study.margin_m},
        )
        for row, metres in zip(rows, distance, strict=True)
        if metres > study.margin_m
    ]
