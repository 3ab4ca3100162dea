"""The supervisor's month for one user: its area's villages, directors and river chiefs, and the
month's tables as people read them (the page and the workbook, Chinese headers by default).

:func:`month_for` gathers what :func:`analysis.supervision.supervise` takes from the workspace:
the households as imported, the stored visits and the month's stored patrol checks, the
children's directors (users of role ``children_director``) of the user's villages and the
river chiefs of the waters crossing them. Who may ask: :data:`api.auth.SUPERVISION_ROLES`
(supervisor, civil affairs, admin), each of its own area only.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.supervision import Month, Supervision, chiefs_of, supervise
from api.auth import SUPERVISION_ROLES, AuthError, Principal
from api.state import ServerState
from geo.export import write_tables
from geo.i18n import tr
from geo.patrol_checks import stop_frame
from geo.settings import Language
from geo.visit_records import VISIT_COLUMNS

__all__ = [
    "SHOWN",
    "TEXT_COLUMNS",
    "WORKBOOK_MEDIA",
    "area_label",
    "headers",
    "month_for",
    "people_tables",
    "require",
    "total_rows",
    "totals_rows",
    "workbook",
]

WORKBOOK_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The page's and the workbook's columns of each table, what a phone shows first leftmost
#: (``distance_km`` from ``distance_m``).
SHOWN = {
    "villages": (
        "village_name", "directors", "overdue", "due_week", "visits", "home_visits",
        "contacts", "open_problems", "households", "households_visited", "village_code",
    ),
    "chiefs": (
        "river_chief", "red_share", "days", "red_planned", "red_visited", "planned", "visited",
        "skipped", "share_visited", "unplanned", "distance_km", "last_day",
    ),
}  # fmt: skip
_PERCENT = ("share_visited", "red_share")
#: Columns of text, aligned left on the page (the counts are aligned right).
TEXT_COLUMNS = frozenset({"village_name", "directors", "village_code", "river_chief", "last_day"})


def require(principal: Principal, lang: Language) -> None:
    """(403) A role that does not open the supervisor's page, naming the roles that do."""
    if principal.role == "admin" or principal.role in SUPERVISION_ROLES:
        return
    roles = ", ".join(sorted({"admin", *SUPERVISION_ROLES}))
    raise AuthError(tr("supervise_roles", lang, role=principal.role, roles=roles), status=403)


def area_label(state: ServerState, principal: Principal, lang: Language) -> str:
    """The user's area as the header says it: its name and code, or the whole study area."""
    if not principal.area:
        return tr("user_whole_area", lang)
    areas = state.workspace.snapshot().layers.areas
    match = areas.loc[areas["code"].astype(str) == principal.area, "name"]
    if not len(match):
        return principal.area
    return f"{match.iloc[0]} {principal.area}"


def month_for(
    state: ServerState, principal: Principal, month: str | None, lang: Language
) -> Supervision:
    """The month (``YYYY-MM``; this month when None) of the user's area.

    Raises
    ------
    AuthError
        (403) The role does not open the supervisor's page.
    InputError
        (422) A month that is not ``YYYY-MM`` or has not begun.
    """
    require(principal, lang)
    today = state.today()
    chosen = Month.of(today)
    if month is not None:
        chosen = Month.parse(month, lang=lang)
    snap = state.workspace.snapshot()
    layers = snap.layers
    scope = principal.villages
    areas = layers.areas
    villages = areas.loc[areas["level"].astype(str) == "village"]
    if scope is not None:
        villages = villages.loc[villages["code"].astype(str).isin(scope)]
    villages = villages.sort_values("code")
    visits = pd.DataFrame(columns=[*VISIT_COLUMNS, "problems"])
    stops = stop_frame([])
    directors: dict[str, list[str]] = {}
    store = state.store
    if store is not None:
        visits = store.visit_frame()
        stops = stop_frame(store.patrol_checks(since=chosen.first, until=chosen.last))
        for user in store.users():
            if user.role == "children_director" and user.area is not None:
                directors.setdefault(user.area, []).append(user.name)
    return supervise(
        snap.households_before_visits(),
        visits,
        stops,
        villages=villages,
        directors=directors,
        chiefs=chiefs_of(layers.waters, areas, scope),
        month=chosen,
        today=today,
        whole=scope is None,
        settings=state.settings,
        lang=lang,
    )


def _percent(share: pd.Series) -> list[float | None]:
    """Shares in per cent to 0.1; None where nothing was planned (NaN)."""
    out: list[float | None] = []
    for value in share.astype(float):
        out.append(None)
        if not np.isnan(value):
            out[-1] = round(100 * float(value), 1)
    return out


def people_tables(sup: Supervision, lang: Language) -> dict[str, pd.DataFrame]:
    """The two tables as the page and the workbook show them: directors joined (or "none"),
    shares in per cent (None when nothing was planned), distance in km, dates as ISO text."""
    sep = tr("list_sep", lang)
    none = tr("supervise_no_director", lang)
    villages = sup.villages.assign(
        directors=[sep.join(names) or none for names in sup.villages["directors"]]
    )
    chiefs = sup.chiefs.assign(
        distance_km=(sup.chiefs["distance_m"] / 1000).round(1),
        last_day=[str(d or "") for d in sup.chiefs["last_day"]],
    )
    for name in _PERCENT:
        chiefs[name] = pd.Series(_percent(sup.chiefs[name]), index=chiefs.index, dtype=object)
    return {
        "villages": villages[list(SHOWN["villages"])],
        "chiefs": chiefs[list(SHOWN["chiefs"])],
    }


def total_rows(sup: Supervision, lang: Language) -> dict[str, dict[str, object]]:
    """The last row of each table on the page: the area's sums, shares in per cent."""
    totals = dict(sup.totals)
    for name in _PERCENT:
        totals[name] = _percent(pd.Series([totals[name]], dtype=float))[0]
    first = {"villages": "village_name", "chiefs": "river_chief"}
    out: dict[str, dict[str, object]] = {}
    for table, columns in SHOWN.items():
        row: dict[str, object] = {name: totals.get(name, "") for name in columns}
        row[first[table]] = tr("supervise_total_row", lang)
        out[table] = row
    out["chiefs"]["distance_km"] = round(float(sup.chiefs["distance_m"].sum()) / 1000, 1)
    out["chiefs"]["last_day"] = ""
    return out


def headers(lang: Language) -> dict[str, str]:
    """Column -> the header people read (``supervise_col_*``)."""
    names = {*SHOWN["villages"], *SHOWN["chiefs"]}
    return {name: tr(f"supervise_col_{name}", lang) for name in sorted(names)}


def totals_rows(sup: Supervision, area: str, lang: Language) -> list[tuple[str, object]]:
    """The totals as (label, value) rows: month, area and date first; shares in per cent."""
    rows: list[tuple[str, object]] = [
        (tr("supervise_total_month", lang), str(sup.month)),
        (tr("supervise_total_area", lang), area),
        (tr("supervise_total_date", lang), sup.date.isoformat()),
    ]
    for name, value in sup.totals.items():
        shown: object = value
        if name in _PERCENT and value is not None:
            shown = round(100 * float(value), 1)
        rows.append((tr(f"supervise_total_{name}", lang), shown))
    return rows


def workbook(sup: Supervision, area: str, lang: Language) -> bytes:
    """The page's tables as an Excel workbook: villages, river chiefs, totals (one sheet each,
    headers in ``lang``)."""
    tables: Mapping[str, pd.DataFrame] = {
        **people_tables(sup, lang),
        "totals": pd.DataFrame(
            totals_rows(sup, area, lang),
            columns=[tr("supervise_col_item", lang), tr("supervise_col_value", lang)],
        ),
    }
    sheets = {name: tr(f"supervise_sheet_{name}", lang) for name in tables}
    with tempfile.TemporaryDirectory(prefix="tongan-supervise-") as folder:
        written = write_tables(
            tables,
            Path(folder),
            stem="supervise",
            headers=headers(lang),
            sheet_names=sheets,
            lang=lang,
            csv=False,
        )
        return written.excel.read_bytes()
