"""Home visits and contacts of the children's directors, as posted and as stored (issue 19).

A record (:class:`VisitIn`) says who was visited (a household id, never a name), when, how
(``home_visit`` 家访 or ``contact`` 联系), the plan's checklist, the problems found and the help
arranged (帮扶措施), the follow-up date and optionally where the phone was. Stored records move the
household's ``last_contact`` / ``last_home_visit`` (a home visit is a contact too), its
``care_agreement`` and ``psych_flag`` when the checklist says so, and its location when the
director corrected it (``relocate``): :func:`apply_visits`.

Free text is refused when it holds an ID number or a phone number (:func:`geo.roster.identifier_kind`, the
roster import's test): the tool stores no
personal identifiers (names are not asked for).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

from geo.bounds import FREE_TEXT, NO_CONTROL, BoundedDate
from geo.i18n import tr
from geo.roster import identifier_kind
from geo.settings import Language
from geo.validate import StudyArea

__all__ = [
    "VISIT_CHECKS",
    "VISIT_COLUMNS",
    "HouseholdFile",
    "OpenProblem",
    "Visit",
    "VisitChecklist",
    "VisitIn",
    "apply_visits",
    "check_visit",
    "household_file",
    "personal_fields",
]

VisitKind = Literal["home_visit", "contact"]

#: The checklist of a visit (the plans' 安全、监护、委托照护协议、心理状况), code and Chinese label.
VISIT_CHECKS: tuple[tuple[str, str], ...] = (
    ("safety", "安全教育与居家安全检查已做"),
    ("guardianship", "监护到位(被委托照护人有能力、愿意照护)"),
    ("care_agreement", "委托照护协议已签订"),
    ("psychological", "发现心理或行为异常迹象"),
)

#: Columns of the frame :func:`apply_visits` takes (``Store.visit_frame``).
VISIT_COLUMNS = ("visit_id", "household_id", "kind", "date", "checklist", "lon", "lat", "relocate")

_TEXT_FIELDS = ("problems", "help")


class VisitChecklist(BaseModel):
    """What the director checked; ``None``: not checked on this visit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    safety: bool | None = Field(
        None, description="安全教育与居家安全检查已做 / safety talk and home checks done."
    )
    guardianship: bool | None = Field(None, description="监护到位 / the carer is able and willing.")
    care_agreement: bool | None = Field(
        None, description="委托照护协议已签订 / care agreement signed."
    )
    psychological: bool | None = Field(
        None, description="发现心理或行为异常迹象 / psychological or behavioural signs seen."
    )


_EXAMPLE: dict[str, JsonValue] = {
    "household_id": "H0001",
    "kind": "home_visit",
    "date": "2026-07-15",
    "checklist": {"safety": True, "guardianship": True, "care_agreement": True},
    "problems": "暑假无人看护,常去塘边",
    "help": "联系学校暑期托管;村里在塘边加装护栏",
    "follow_up": "2026-08-01",
}


class VisitIn(BaseModel):
    """A home visit or contact, as posted to ``POST /api/visits``."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    household_id: str = Field(
        min_length=1,
        max_length=100,
        pattern=NO_CONTROL,
        description="The household's id (households.id).",
    )
    kind: VisitKind = Field(
        description="home_visit (家访) or contact (联系: phone, video, school)."
    )
    date: BoundedDate = Field(description="Day of the visit (YYYY-MM-DD, not after today).")
    checklist: VisitChecklist = Field(
        default_factory=VisitChecklist, description="What was checked."
    )
    problems: str = Field(
        "",
        max_length=2000,
        pattern=FREE_TEXT,
        description="Problems found (发现问题); no names or ID numbers.",
    )
    help: str = Field(
        "", max_length=2000, pattern=FREE_TEXT, description="Help arranged (帮扶措施)."
    )
    follow_up: BoundedDate | None = Field(
        None, description="Date of the next visit agreed (复访日期)."
    )
    lon: float | None = Field(None, ge=-180, le=180, description="Where the phone was (WGS84).")
    lat: float | None = Field(None, ge=-90, le=90, description="Where the phone was (WGS84).")
    relocate: bool = Field(
        False, description="Move the household to lon/lat (a correction, audited)."
    )

    @model_validator(mode="after")
    def _located(self) -> VisitIn:
        if (self.lon is None) != (self.lat is None):
            msg = "give both lon and lat, or neither"
            raise ValueError(msg)
        return self


class Visit(VisitIn):
    """A stored visit: the posted record with its id and who recorded it when."""

    id: int = Field(description="Id given by the database, increasing in recorded order.")
    recorded_at: dt.datetime = Field(description="When it was stored (UTC).")
    recorded_by: str = Field(description="User who posted it.")


class OpenProblem(BaseModel):
    """A problem found on a visit and not yet closed by a later one."""

    visit_id: int
    date: dt.date
    problems: str
    help: str = Field(description="Help arranged for it (帮扶措施).")
    follow_up: dt.date | None


class HouseholdFile(BaseModel):
    """A household's file (一人一档): its state in the layers and its visit history."""

    household_id: str
    village_code: str
    children: int
    left_behind: int
    in_difficulty: int
    guardianship_risk: str | None
    care_agreement: bool | None
    psych_flag: bool | None
    last_contact: dt.date | None
    last_home_visit: dt.date | None
    next_follow_up: dt.date | None = Field(description="Follow-up date of the latest visit.")
    open_problems: list[OpenProblem] = Field(
        description="The latest visit's problems when it found any (a later visit that finds "
        "none closes them)."
    )
    visits: list[Visit] = Field(description="Every visit and contact, newest first.")


def household_file(household: pd.Series, visits: list[Visit]) -> HouseholdFile:
    """The file of one household (a row of the households layer with its visits applied).

    Examples
    --------
    >>> row = pd.Series({"id": "H1", "village_code": "V1", "children": 2, "left_behind": 1,
    ...                  "in_difficulty": 0, "last_contact": pd.Timestamp("2026-07-01")})
    >>> at = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
    >>> v = Visit(id=3, household_id="H1", kind="contact", date="2026-07-01",
    ...           problems="无人看护", recorded_at=at, recorded_by="li")
    >>> f = household_file(row, [v])
    >>> f.last_contact, [p.problems for p in f.open_problems]
    (datetime.date(2026, 7, 1), ['无人看护'])
    """
    ordered = sorted(visits, key=lambda v: (v.date, v.id), reverse=True)
    latest = next(iter(ordered), None)
    problems = []
    if latest is not None and latest.problems.strip():
        problems.append(
            OpenProblem(
                visit_id=latest.id,
                date=latest.date,
                problems=latest.problems,
                help=latest.help,
                follow_up=latest.follow_up,
            )
        )
    return HouseholdFile(
        household_id=str(household["id"]),
        village_code=str(household["village_code"]),
        children=int(household.get("children", 0)),
        left_behind=int(household.get("left_behind", 0)),
        in_difficulty=int(household.get("in_difficulty", 0)),
        guardianship_risk=_value(household.get("guardianship_risk")),
        care_agreement=_value(household.get("care_agreement")),
        psych_flag=_value(household.get("psych_flag")),
        last_contact=_day(household.get("last_contact")),
        last_home_visit=_day(household.get("last_home_visit")),
        next_follow_up=getattr(latest, "follow_up", None),
        open_problems=problems,
        visits=ordered,
    )


def _value(value: object) -> JsonValue:
    """A cell as JSON (None for a missing one)."""
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    if isinstance(value, np.generic):
        return value.item()  # type: ignore[no-any-return]
    return value  # type: ignore[return-value]


def _day(value: object) -> dt.date | None:
    """A date cell as a date (None when missing)."""
    if value is None or bool(pd.isna(value)):
        return None
    day: dt.date = pd.Timestamp(str(value)).date()
    return day


def personal_fields(record: VisitIn) -> list[str]:
    """The free-text fields of ``record`` that hold an ID number or a mobile number.

    Examples
    --------
    >>> personal_fields(VisitIn(household_id="H1", kind="contact", date="2026-07-01",
    ...                         problems="母亲电话 13912345678"))
    ['problems']
    """
    found = []
    for name in _TEXT_FIELDS:
        if identifier_kind(str(getattr(record, name))) is not None:
            found.append(name)
    return found


def check_visit(
    record: VisitIn,
    *,
    households: pd.DataFrame,
    villages: frozenset[str] | None,
    study: StudyArea | None,
    today: dt.date,
    lang: Language = "zh",
) -> list[str]:
    """What is wrong with a visit record before it is stored, one message per field.

    Parameters
    ----------
    record
        The posted record.
    households
        The households layer (``id``, ``village_code``).
    villages
        The villages whose households the user may record (None: every village). A household
        of another village is answered as an unknown one is, so that no request tells a user
        which ids exist outside their villages.
    study
        The study area (None: no distance rule), its margin the same as inspections'.
    today
        The day a visit may not be after.

    Examples
    --------
    >>> hh = pd.DataFrame({"id": ["H1", "H2"], "village_code": ["V1", "V2"]})
    >>> rec = VisitIn(household_id="H2", kind="contact", date="2026-07-01")
    >>> check_visit(rec, households=hh, villages=frozenset({"V1"}), study=None,
    ...             today=dt.date(2026, 7, 2), lang="en")  # doctest: +ELLIPSIS
    ['household_id: household H2 is not in your villages (V1); ...']
    """
    problems = _household_problems(record, households, villages, lang)
    if record.date > today:
        problems.append(tr("visit_future", lang, date=record.date, today=today))
    if record.follow_up is not None and record.follow_up < record.date:
        problems.append(
            tr("visit_follow_up_before", lang, follow_up=record.follow_up, date=record.date)
        )
    if record.relocate and record.lon is None:
        problems.append(tr("visit_relocate_needs_point", lang))
    if study is not None and record.lon is not None and record.lat is not None:
        metres = study.distance_lonlat(np.array([record.lon]), np.array([record.lat]))[0]
        if metres > study.margin_m:
            problems.append(tr("visit_far", lang, limit=study.margin_m))
    problems += [tr("visit_personal_text", lang, field=name) for name in personal_fields(record)]
    return problems


def _household_problems(
    record: VisitIn,
    households: pd.DataFrame,
    villages: frozenset[str] | None,
    lang: Language,
) -> list[str]:
    """The household rule: it exists, in the user's villages (unknown ones answered alike)."""
    match = households.loc[households["id"].astype(str) == record.household_id]
    if villages is not None:
        inside = match["village_code"].astype(str).isin(villages).any()
        if not inside:
            shown = "、".join(sorted(villages)) or "-"
            return [tr("visit_out_of_scope", lang, household=record.household_id, villages=shown)]
        return []
    if not len(match):
        return [tr("visit_unknown_household", lang, household=record.household_id)]
    return []


def apply_visits(households: gpd.GeoDataFrame, visits: pd.DataFrame) -> gpd.GeoDataFrame:
    """The households layer with the stored visits applied (WGS84 in, WGS84 out).

    ``last_contact`` becomes the latest visit of any kind, ``last_home_visit`` the latest home
    visit (each only when later than the layer's own date); the latest visit that checked
    ``care_agreement`` / ``psychological`` sets ``care_agreement`` / ``psych_flag``; the latest
    ``relocate`` visit moves the household to its point. Visits of unknown households are left
    out (they are refused on entry).

    Parameters
    ----------
    households
        The validated households layer (with ``id``).
    visits
        One row per visit, columns :data:`VISIT_COLUMNS` (``checklist`` a dict), in id order.

    Examples
    --------
    >>> hh = gpd.GeoDataFrame({"id": ["H1"], "last_contact": [pd.NaT], "last_home_visit": [pd.NaT]},
    ...                       geometry=[shapely.Point(0, 0)], crs=4326)
    >>> v = pd.DataFrame({"visit_id": [1], "household_id": ["H1"], "kind": ["home_visit"],
    ...                   "date": [pd.Timestamp("2026-07-01")], "checklist": [{}],
    ...                   "lon": [1.0], "lat": [2.0], "relocate": [True]})
    >>> out = apply_visits(hh, v)
    >>> str(out["last_home_visit"][0].date()), out.geometry[0].wkt
    ('2026-07-01', 'POINT (1 2)')
    """
    if not len(visits) or not len(households):
        return households
    out = households.copy()
    position = pd.Series(np.arange(len(out)), index=out["id"].astype(str))
    visits = visits.loc[visits["household_id"].isin(position.index)].sort_values("visit_id")
    rows = position.loc[visits["household_id"]].to_numpy()
    dates = pd.to_datetime(visits["date"]).to_numpy()
    _latest(out, "last_contact", rows, dates)
    home = (visits["kind"] == "home_visit").to_numpy()
    _latest(out, "last_home_visit", rows[home], dates[home])
    for check, column in (("care_agreement", "care_agreement"), ("psychological", "psych_flag")):
        values = visits["checklist"].map(lambda c, k=check: (c or {}).get(k))
        said = values.notna().to_numpy()
        if said.any():
            if column not in out:
                out[column] = False
            last = pd.Series(values.to_numpy()[said], index=rows[said]).groupby(level=0).last()
            out.iloc[last.index.to_numpy(), out.columns.get_loc(column)] = last.astype(
                bool
            ).to_numpy()
    moved = visits["relocate"].astype(bool).to_numpy() & visits["lon"].notna().to_numpy()
    if moved.any():
        points = (
            pd.Series(
                list(
                    shapely.points(visits["lon"].to_numpy()[moved], visits["lat"].to_numpy()[moved])
                ),
                index=rows[moved],
            )
            .groupby(level=0)
            .last()
        )
        geometry = out.geometry.to_numpy().copy()
        geometry[points.index.to_numpy()] = points.to_numpy()
        out = out.set_geometry(gpd.GeoSeries(geometry, index=out.index, crs=out.crs))
        if "location_estimated" in out:
            out.iloc[points.index.to_numpy(), out.columns.get_loc("location_estimated")] = False
    return out


def _latest(frame: gpd.GeoDataFrame, column: str, rows: np.ndarray, dates: np.ndarray) -> None:
    """Set ``frame[column]`` at ``rows`` to the latest of its date and these (in place)."""
    if not len(rows):
        return
    latest = pd.Series(dates, index=rows).groupby(level=0).max()
    current = (
        pd.to_datetime(frame[column], errors="coerce")
        if column in frame
        else pd.Series(pd.NaT, index=frame.index)
    )
    values = current.to_numpy(dtype="datetime64[ns]").copy()
    at = latest.index.to_numpy()
    values[at] = np.fmax(values[at], latest.to_numpy(dtype="datetime64[ns]"))
    frame[column] = values
