"""``POST /api/patrols/verify``: was a river chief's patrol of a day done as planned (issue 19)?

A GPX upload (multipart ``file``) with ``river_chief`` and ``date`` (form fields or query
parameters), and the patrol plan's parameters as ``/api/patrol`` takes them (``start``,
``hours``, ``mode``, ``days``; the plan starts on ``first_day`` or ``date``). The plan is made
from the workspace's current layers, the chief's stops of the day are matched against the
track (:func:`analysis.verify.check_patrol`), and the answer lists every planned stop (visited,
arrival, minutes), the unplanned stops, the distance and the time. With a workspace database
the result is stored (:meth:`geo.storage.Store.record_patrol_check`, audited in its
transaction; one check per chief and day, a re-check replaces it), for the supervisor's page.

Who: admin, civil_affairs, supervisor and river_chief (:data:`geo.access.ROLE_TABLE`); a river
chief for their own patrols only (403 otherwise). An unreadable GPX, a track of another day or
a chief without stops that day is a 422 with the message and its fix, never a 500.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from pydantic import BaseModel, Field, ValidationError

from analysis.patrol import PatrolParams
from analysis.registry import Inputs, PlanDate
from analysis.verify import BEIJING, PatrolCheck, check_patrol
from api.auth import PATROL_ROLES, AuthError, Principal, audit_entry
from api.deps import PrincipalDep, StateDep
from api.responses import ERROR_RESPONSES
from api.state import ServerState
from geo.access import ROLE_TABLE
from geo.bounds import NO_CONTROL
from geo.crs import WGS84
from geo.errors import InputError, TonganError
from geo.i18n import tr
from geo.patrol_checks import PatrolCheckIn
from geo.settings import Language

router = APIRouter(prefix="/api/patrols", tags=["data API"], responses=ERROR_RESPONSES)

_PARAMS = PatrolParams.model_fields
T = TypeVar("T")


class StopOut(BaseModel):
    """One stop: planned (visited or skipped) or unplanned (where the track lingered)."""

    spot_id: str
    status: Literal["visited", "skipped", "unplanned"]
    visited: bool
    order: int | None = Field(description="Order in the day's plan; null for an unplanned stop.")
    water_name: str | None
    risk_class: str | None
    planned_arrival: str | None = Field(description="HH:MM of the plan (Beijing time).")
    arrival: str | None = Field(
        description="When the qualifying stay began (ISO 8601, Beijing time); null if skipped."
    )
    minutes: float = Field(description="Minutes the track stayed within the radius.")
    lon: float
    lat: float


class VerifyOut(BaseModel):
    """A river chief's patrol of one day against the plan."""

    river_chief: str
    date: dt.date
    stops: list[StopOut]
    unplanned: list[StopOut]
    visited: int
    skipped: int
    red_planned: int = Field(description="Planned stops of the class the plan must visit (red).")
    red_visited: int = Field(description="Of those, the ones visited.")
    distance_m: float = Field(description="Metres along the track, not across its gaps.")
    minutes: float = Field(description="Minutes of the track, not across its gaps.")
    radius_m: float
    min_minutes: float
    check_id: int | None = Field(
        description="Id of the stored check (a re-check of the day keeps it); null when the "
        "server has no workspace database and stores nothing."
    )


Chief = Annotated[str | None, Form(alias="river_chief", max_length=100, pattern=NO_CONTROL)]
ChiefQuery = Annotated[str | None, Query(alias="river_chief", max_length=100, pattern=NO_CONTROL)]
Day = Annotated[PlanDate | None, Form(alias="date", description="Day of the track")]
DayQuery = Annotated[PlanDate | None, Query(alias="date", description="Day of the track")]


@router.post(
    "/verify",
    response_model=VerifyOut,
    summary="Verify a patrol: a river chief's GPS track (GPX) against their planned stops",
    description=(
        "Multipart: the GPX `file`, `river_chief` and `date` (form fields or query parameters); "
        "the plan's parameters as `/api/patrol` takes them. A stop is visited when the track "
        "stays within `inspection.verify_radius_m` of it for `verify_min_minutes`. The result "
        "is stored (one check per chief and day: a re-check replaces it) for the supervisor's "
        "page. Admin, civil_affairs, supervisor; a river chief for their own patrols only."
    ),
)
def verify_patrol(
    request: Request,
    state: StateDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="the GPS track, GPX 1.1 with <time>")],
    river_chief: Chief = None,
    date: Day = None,
    river_chief_query: ChiefQuery = None,
    date_query: DayQuery = None,
    first_day: Annotated[PlanDate | None, Query(description="First day of the plan")] = None,
    start: Annotated[str | None, Query(description=_PARAMS["start"].description)] = None,
    hours: Annotated[float, Query(ge=0, le=24)] = _PARAMS["hours"].default,
    mode: Annotated[Literal["walk", "ebike", "car"], Query()] = _PARAMS["mode"].default,
    days: Annotated[int, Query(ge=1, le=14)] = _PARAMS["days"].default,
    lang: Annotated[Language, Query(description="语言 / language of the messages")] = "zh",
) -> VerifyOut:
    chief = _given(river_chief or river_chief_query, "river_chief", lang)
    day = _given(date or date_query, "date", lang)
    allow(principal, chief, lang)
    cap = int(state.settings.api.max_upload_mb * 1024 * 1024)
    data = file.file.read(cap + 1)
    name = safe_name(file.filename)
    if len(data) > cap:
        mb = f"{state.settings.api.max_upload_mb:g}"
        raise InputError(tr("verify_too_large", lang, file=name, mb=mb), status=413)
    values = {"date": first_day or day, "start": start, "hours": hours, "mode": mode, "days": days}
    try:
        params = PatrolParams.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(f"parameter {first['loc'][0]}: {first['msg']}", status=422) from None
    check = _check(state, principal, data, name, params, chief, day, lang)
    record = check.record(red_class=state.settings.inspection.must_visit_class)
    check_id = None
    if state.store is not None:
        audit = audit_entry(request, principal, 200)
        stored = state.store.record_patrol_check(record, user=principal.name, audit=audit)
        request.state.audited = True
        check_id = stored.id
    return _out(check, record, check_id)


def _given(value: T | None, field: str, lang: Language) -> T:
    """A form field or query parameter that must be given (422 naming it otherwise)."""
    if value is None or value == "":
        raise InputError(tr("verify_need", lang, field=field), status=422)
    return value


def allow(principal: Principal, chief: str, lang: Language) -> None:
    """(403) A role that may not verify patrols, or a river chief asking for another chief."""
    if principal.role != "admin" and principal.role not in PATROL_ROLES:
        roles = ", ".join(sorted({"admin", *PATROL_ROLES}))
        raise AuthError(tr("verify_roles", lang, role=principal.role, roles=roles), status=403)
    if ROLE_TABLE[principal.role].patrols == "own" and principal.name != chief:
        raise AuthError(
            tr("verify_other_chief", lang, user=principal.name, chief=chief), status=403
        )


def safe_name(filename: str | None) -> str:
    """The upload's file name without folders or odd characters (named in the messages)."""
    base = re.sub(r"[^\w.\-]+", "_", Path(filename or "").name).strip("._")
    return base[:100] or "upload.gpx"


def _check(
    state: ServerState,
    principal: Principal,
    data: bytes,
    name: str,
    params: PatrolParams,
    chief: str,
    day: dt.date,
    lang: Language,
) -> PatrolCheck:
    """Read the track, plan on the current layers and match; user errors become 422."""
    from geo.tracks import read_gpx_track

    snap = state.workspace.snapshot()
    network = None
    with contextlib.suppress(TonganError):  # without usable roads the plan says why
        network = snap.network()
    inputs = Inputs(
        snap.layers, snap.metric, state.settings, state.today(), principal.sees_households,
        network=network,
    )  # fmt: skip
    try:
        with tempfile.TemporaryDirectory(prefix="tongan-gpx-") as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            track = read_gpx_track(path, lang)
        return check_patrol(
            inputs, params, track, river_chief=chief, day=day, source=name, lang=lang
        )
    except InputError as exc:
        raise InputError(exc.message, status=422) from None


def _out(check: PatrolCheck, record: PatrolCheckIn, check_id: int | None) -> VerifyOut:
    table = check.table()
    wgs = table.geometry.to_crs(WGS84)
    result = check.result
    arrivals = [*result.stops["arrival"], *result.unplanned["arrival"]]
    stops = []
    for i, (_, r) in enumerate(table.iterrows()):
        when = arrivals[i]
        stops.append(
            StopOut(
                spot_id=str(r["spot_id"]),
                status=r["status"],
                visited=r["status"] != "skipped",
                order=_int_or_none(r["order"]),
                water_name=_text_or_none(r["water_name"]),
                risk_class=_text_or_none(r["risk_class"]),
                planned_arrival=_text_or_none(r["planned_arrival"]),
                arrival=_iso_or_none(when),
                minutes=float(r["minutes"]),
                lon=round(float(wgs.iloc[i].x), 6),
                lat=round(float(wgs.iloc[i].y), 6),
            )
        )
    planned = len(result.stops)
    return VerifyOut(
        river_chief=check.river_chief, date=check.date, stops=stops[:planned],
        unplanned=stops[planned:], visited=check.visited, skipped=check.skipped,
        red_planned=record.red_planned, red_visited=record.red_visited,
        distance_m=round(result.distance_m, 1), minutes=round(result.minutes, 1),
        radius_m=check.radius_m, min_minutes=check.min_minutes, check_id=check_id,
    )  # fmt: skip


def _int_or_none(value: object) -> int | None:
    with contextlib.suppress(TypeError, ValueError):
        return int(value)  # type: ignore[call-overload]
    return None


def _text_or_none(value: object) -> str | None:
    if value is None or isinstance(value, float) or str(value) in {"", "<NA>", "nan"}:
        return None
    return str(value)


def _iso_or_none(value: object) -> str | None:
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).tz_convert(BEIJING).isoformat()
