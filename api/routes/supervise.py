"""The supervisor's page (issue 19 item 4): ``/supervise``, ``/supervise.xlsx``, ``/api/supervision``.

Per village of the user's area: its children's directors, the visit plan's households overdue
and due this week, the month's home visits and contacts, the households with open problems;
per river chief: the days whose patrol was verified this month, the planned (and red) stops
visited; and the share of planned red spots visited this month as the page's big figure.
``?month=2026-07`` chooses the month (this month by default), ``?lang=en`` the language.

Who: :data:`api.auth.SUPERVISION_ROLES` (supervisor: their township; civil affairs: their area;
admin: all), counts only, never a household's id, name or location. Another role gets a 403
(a page naming the roles; JSON for the API); a browser not signed in is sent to sign in.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from analysis.supervision import Supervision
from api.auth import SUPERVISION_ROLES
from api.deps import LangDep, PrincipalDep, StateDep
from api.login import Identity, IdentityDep
from api.responses import ERROR_RESPONSES
from api.supervision import (
    SHOWN,
    TEXT_COLUMNS,
    WORKBOOK_MEDIA,
    area_label,
    headers,
    month_for,
    people_tables,
    total_rows,
    workbook,
)
from api.templating import render
from geo.i18n import tr
from geo.settings import Language

router = APIRouter(prefix="/api", tags=["data API"], responses=ERROR_RESPONSES)
pages = APIRouter(include_in_schema=False)

MONTH_PATTERN = r"^(199\d|2[01]\d\d)-(0[1-9]|1[0-2])$"
MonthQuery = Annotated[
    str | None,
    Query(
        pattern=MONTH_PATTERN,
        description="月份 / month, YYYY-MM (this month by default; not a month to come)",
        examples=["2026-07"],
    ),
]


class VillageRow(BaseModel):
    """One village of the area: counts of households and visits, never a household."""

    village_code: str
    village_name: str
    directors: list[str] = Field(description="User names of its children's directors.")
    households: int = Field(description="Households of the visit plan (children to visit).")
    overdue: int = Field(description="Households whose home visit or contact is overdue.")
    due_week: int = Field(description="Households due this week (not overdue).")
    visits: int = Field(description="Home visits and contacts recorded in the month.")
    home_visits: int
    contacts: int
    households_visited: int
    open_problems: int = Field(description="Households whose latest visit found problems.")


class ChiefRow(BaseModel):
    """One river chief of the area: the month's verified patrols (stops in the area only)."""

    river_chief: str
    days: int = Field(description="Days of the month with a verified patrol.")
    planned: int
    visited: int
    skipped: int
    share_visited: float | None = Field(description="visited / planned; null: none planned.")
    red_planned: int
    red_visited: int
    red_share: float | None = Field(description="red_visited / red_planned; null: none.")
    unplanned: int
    distance_m: float = Field(description="Metres of the verified days' tracks.")
    last_day: dt.date | None


class Totals(BaseModel):
    """The area's sums; shares from the sums (null when nothing was planned)."""

    villages: int
    villages_without_director: int
    households: int
    overdue: int
    due_week: int
    visits: int
    home_visits: int
    contacts: int
    households_visited: int
    open_problems: int
    chiefs: int
    chiefs_checked: int
    days: int
    planned: int
    visited: int
    skipped: int
    share_visited: float | None
    red_planned: int
    red_visited: int
    red_share: float | None = Field(
        description="The share of planned red spots actually visited this month."
    )


class SupervisionOut(BaseModel):
    """The month of the user's area."""

    month: str
    date: dt.date = Field(description="The day overdue and due visits are counted on.")
    area: str
    villages: list[VillageRow]
    chiefs: list[ChiefRow]
    totals: Totals


@router.get(
    "/supervision",
    response_model=SupervisionOut,
    summary="The supervisor's month: visits per village, verified patrols per river chief",
    description=(
        "Counts of the user's area only (supervisor: their township; civil_affairs: their "
        "area; admin: all), never a household. `month` is YYYY-MM, this month by default."
    ),
)
def supervision(
    state: StateDep, principal: PrincipalDep, lang: LangDep, month: MonthQuery = None
) -> SupervisionOut:
    sup = month_for(state, principal, month, lang)
    return _out(sup, area_label(state, principal, lang))


def _out(sup: Supervision, area: str) -> SupervisionOut:
    villages = sup.villages.assign(directors=[list(d) for d in sup.villages["directors"]])
    chiefs = sup.chiefs.astype(object).where(sup.chiefs.notna(), None)
    return SupervisionOut(
        month=str(sup.month),
        date=sup.date,
        area=area,
        villages=[VillageRow.model_validate(r) for r in villages.to_dict("records")],
        chiefs=[ChiefRow.model_validate(r) for r in chiefs.to_dict("records")],
        totals=Totals.model_validate(dict(sup.totals)),
    )


def _sign_in(request: Request, identity: Identity, lang: Language) -> RedirectResponse | None:
    """To the sign-in page, back here after it, when nobody signed in and the anonymous role
    does not open the page (a ``--authorised`` desktop's anonymous civil affairs does)."""
    role = identity.principal.role
    if identity.via != "anonymous" or role == "admin" or role in SUPERVISION_ROLES:
        return None
    target = request.url.path
    if request.url.query:
        target = f"{target}?{request.url.query}"
    return RedirectResponse(f"/login?lang={lang}&next={quote(target, safe='/')}", status_code=303)


@pages.get("/supervise", response_class=HTMLResponse, response_model=None)
def supervise_page(
    request: Request,
    state: StateDep,
    identity: IdentityDep,
    lang: LangDep,
    month: MonthQuery = None,
) -> HTMLResponse | RedirectResponse:
    """The page: the month form, the red-spot share, the villages' and the chiefs' tables."""
    away = _sign_in(request, identity, lang)
    if away is not None:
        return away
    sup = month_for(state, identity.principal, month, lang)
    area = area_label(state, identity.principal, lang)
    tables = people_tables(sup, lang)
    red = tr("supervise_red_none", lang)
    if sup.red_share is not None:
        red = tr(
            "supervise_red_detail", lang, visited=sup.totals["red_visited"],
            planned=sup.totals["red_planned"], days=sup.totals["days"],
        )  # fmt: skip
    return render(
        request,
        "supervise.html.j2",
        s={code: tr(f"supervise_{code}", lang) for code in _WORDS},
        sup=sup,
        area=tr("supervise_area", lang, area=area),
        as_of=tr("supervise_as_of", lang, date=sup.date.isoformat()),
        red_share=sup.red_share,
        red_detail=red,
        villages=tables["villages"].to_dict("records"),
        chiefs=tables["chiefs"].to_dict("records"),
        headers=headers(lang),
        totals=total_rows(sup, lang),
        text_cols=TEXT_COLUMNS,
        villages_cols=list(SHOWN["villages"]),
        chiefs_cols=list(SHOWN["chiefs"]),
        download=f"/supervise.xlsx?{urlencode({'month': str(sup.month), 'lang': lang})}",
    )


#: The page's words (``supervise_*`` in the catalogue).
_WORDS = (
    "title", "intro", "month", "show", "red_label", "villages", "chiefs", "chiefs_note",
    "download",
)  # fmt: skip


@pages.get("/supervise.xlsx", response_model=None)
def supervise_workbook(
    request: Request,
    state: StateDep,
    identity: IdentityDep,
    lang: LangDep,
    month: MonthQuery = None,
) -> Response:
    """The page's tables as a workbook (villages, river chiefs, totals; Chinese headers)."""
    away = _sign_in(request, identity, lang)
    if away is not None:
        return away
    sup = month_for(state, identity.principal, month, lang)
    data = workbook(sup, area_label(state, identity.principal, lang), lang)
    disposition = f'attachment; filename="supervise-{sup.month}.xlsx"'
    return Response(data, media_type=WORKBOOK_MEDIA, headers={"Content-Disposition": disposition})
