"""Home visits and the household file (issue 19): ``/api/visit-records``, ``/api/households``.

``POST /api/visit-records`` stores a home visit or contact of a children's director (a
:class:`geo.visit_records.VisitIn`): the household's ``last_contact`` / ``last_home_visit`` move
with it, so the next visit plan (``/api/visits``) knows it happened. An ``Idempotency-Key``
header makes a resend (a phone sending what it recorded offline) harmless: the first answer is
201 with the stored record, every resend 200 with the same record, and nothing is stored twice.

``GET /api/visit-records`` lists the stored visits of the households the user sees exactly;
``GET /api/households/{id}/file`` is the household's file (一人一档): its state, its visit
history and its open problems.

Who: :data:`geo.access.ROLE_TABLE`'s ``visits`` column. Directors, civil affairs and admins
record; supervisors read; every one only the households of their villages. A household outside
them is answered as an unknown one (404 / 422), so no request tells which ids exist elsewhere.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request, Response

from api.auth import FILE_ROLES, VISIT_ROLES, Principal, audit_entry
from api.deps import LangDep, PrincipalDep, WorkspaceDep
from api.responses import ERROR_RESPONSES
from geo.bounds import NO_CONTROL
from geo.settings import Role
from geo.visit_records import HouseholdFile, Visit, VisitIn

router = APIRouter(prefix="/api", tags=["data API"], responses=ERROR_RESPONSES)

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=200,
        pattern=NO_CONTROL,
        description=(
            "A key the client makes once per record (a UUID); a resend with the same key is "
            "answered with the record stored the first time (200), never stored twice."
        ),
    ),
]
HouseholdId = Annotated[
    str, Path(min_length=1, max_length=100, pattern=NO_CONTROL, description="households.id")
]


def _villages(principal: Principal, allowed: frozenset[Role], action: str) -> frozenset[str] | None:
    """The villages whose households ``principal`` may ``action`` (None: every village)."""
    principal.require(allowed, action)
    return principal.villages


@router.post(
    "/visit-records",
    response_model=Visit,
    status_code=201,
    summary="Record a home visit or contact (children's directors)",
    responses={200: {"description": "A resend: the record stored under this Idempotency-Key."}},
)
def post_visit(
    request: Request,
    response: Response,
    record: VisitIn,
    principal: PrincipalDep,
    workspace: WorkspaceDep,
    lang: LangDep,
    key: IdempotencyKey = None,
) -> Visit:
    """Store a visit; the household's last contact and visit move with it (audited)."""
    villages = _villages(principal, VISIT_ROLES, "record home visits")
    stored, created = workspace.add_visit(
        record,
        user=principal.name,
        villages=villages,
        key=key,
        lang=lang,
        audit=audit_entry(request, principal, 201),
    )
    request.state.audited = created
    if not created:
        response.status_code = 200
    return stored


@router.get(
    "/visit-records",
    response_model=list[Visit],
    summary="Stored home visits and contacts of your villages' households",
)
def list_visits(
    principal: PrincipalDep,
    workspace: WorkspaceDep,
    household: Annotated[
        str | None, Query(max_length=100, pattern=NO_CONTROL, description="One household only")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> list[Visit]:
    """Visits in recorded order, of the households the user sees exactly."""
    villages = _villages(principal, FILE_ROLES, "read home-visit records")
    store = workspace.require_store()
    households = workspace.snapshot().layers.households
    if villages is not None:
        households = households.loc[households["village_code"].astype(str).isin(villages)]
    ids = households["id"].astype(str)
    if household is not None:
        ids = ids.loc[ids == household]
    return store.visits(households=list(ids), limit=limit)


@router.get(
    "/households/{household_id}/file",
    response_model=HouseholdFile,
    summary="A household's file (一人一档): visit history and open problems",
)
def get_file(
    household_id: HouseholdId, principal: PrincipalDep, workspace: WorkspaceDep, lang: LangDep
) -> HouseholdFile:
    """The household's state, its visits (newest first) and the problems still open."""
    villages = _villages(principal, FILE_ROLES, "read household files")
    return workspace.household_file(household_id, villages=villages, lang=lang)
