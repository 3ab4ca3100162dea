"""Middleware of the map server: who is asking, the audit log, the quarantine header, CORS."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.auth import AuthError, Principal
from api.errors import domain_error, is_data_api
from api.login import Accounts, Identity, require_csrf
from api.login import identify as login_identify
from api.state import ServerState
from api.workspace import Snapshot
from geo.access import scope_of
from geo.errors import TonganError
from geo.layers import Layers
from geo.settings import Settings


async def identify(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Refuse malformed and unknown tokens; resolve the token or the session cookie to a
    principal with its scope (:func:`api.login.identify`); refuse a session-signed write without
    its CSRF token and an import by a user whose area is not the whole county; audit writes and
    household-level reads; name the quarantined records of the data API's answers."""
    state = ServerState.of(request.app)
    store = state.store
    try:
        who = await run_in_threadpool(resolve, request, state)
        if request.url.path not in FORM_CHECKED:
            require_csrf(request, who)
        refuse_out_of_scope(request, who.principal)
        if request.method == "POST" and request.url.path == "/api/inspections":
            refuse_other_waters(await request.body(), who.principal, state)
    except TonganError as exc:
        return await domain_error(request, exc)
    principal = who.principal
    request.state.identity = who
    request.state.principal = principal
    request.state.audited = False  # set by a write that stored its entry in its transaction
    response = await call_next(request)
    latest = state.workspace.latest()
    if is_data_api(request) and latest is not None:
        held = quarantine_header(latest)
        if held:
            response.headers["X-Tongan-Quarantine"] = held
    if store is not None and audited(request, principal) and not request.state.audited:
        await run_in_threadpool(
            store.audit,
            user=principal.name,
            role=principal.role,
            action=request.method.lower(),
            resource=request.url.path,
            detail=f"{response.status_code} area={principal.area}"
            if principal.area
            else str(response.status_code),
        )
    return response


def refuse_other_waters(body: bytes, principal: Principal, state: ServerState) -> None:
    """(403) An inspection of a water the user does not answer for (a river chief's waters are
    those named for them or crossing their area). A body that is not an inspection passes, for
    the route to refuse it with its own message."""
    scope = principal.scope
    if scope is None or scope.waters is None or scope.rule.inspections != "waters":
        return
    try:
        record = json.loads(body or b"{}")
    except ValueError:
        return
    if not isinstance(record, dict):
        return
    water = water_of(record, state.workspace.snapshot().layers)
    if water is not None and scope.may_inspect(water):
        return
    waters = ", ".join(sorted(scope.waters)) or "none"
    msg = (
        f"the user {principal.name!r} ({principal.role}) records inspections of the waters it "
        f"answers for only: {waters}; this inspection is of "
        f"{water or 'a water that cannot be told (give water_id)'}"
    )
    raise AuthError(msg, status=403)


def water_of(record: dict[str, object], layers: Layers) -> str | None:
    """The water an inspection is of: its ``water_id``, its equipment's water, or the water of
    the spot's reach (``W001-r3`` is a reach of ``W001``)."""
    if record.get("water_id"):
        return str(record["water_id"])
    target_id = str(record.get("target_id") or "")
    if record.get("target") == "equipment":
        equipment = layers.equipment
        found = equipment.loc[equipment["id"].astype(str) == target_id, "water_id"]
        return str(found.iloc[0]) if len(found) and isinstance(found.iloc[0], str) else None
    water = target_id.rsplit("-r", 1)[0]
    return water if (layers.waters["id"].astype(str) == water).any() else None


#: Paths whose forms check the CSRF token themselves (the sign-in and sign-out forms).
FORM_CHECKED = frozenset({"/login", "/logout"})


def resolve(request: Request, state: ServerState) -> Identity:
    """The request's identity (:func:`api.login.identify`), its principal given its scope over
    the current layers (areas, waters, schools)."""
    who = login_identify(request, Accounts.of(request))
    principal = who.principal
    if who.via == "anonymous":
        return who
    layers = state.workspace.snapshot().layers
    scope = scope_of(
        principal.role,
        area=principal.area,
        name=principal.name,
        areas=layers.areas,
        waters=layers.waters,
        schools=layers.schools,
    )
    return dataclasses.replace(who, principal=dataclasses.replace(principal, scope=scope))


def refuse_out_of_scope(request: Request, principal: Principal) -> None:
    """(403) An import by a user whose area is not the whole study area: an import replaces
    the whole layer, so it would overwrite the other areas' data."""
    if request.method != "POST" or not request.url.path.startswith("/api/layers/"):
        return
    scope = principal.scope
    if principal.role == "admin" or scope is None or scope.county_wide:
        return
    msg = (
        f"the user {principal.name!r} is responsible for the area {principal.area}; an import "
        "replaces the whole layer, so it needs a user whose area is the whole county (or an admin)"
    )
    raise AuthError(msg, status=403)


def audited(request: Request, principal: Principal) -> bool:
    """Whether a request goes to the audit log: every write, and reads of household-level data."""
    if request.method not in {"GET", "HEAD", "OPTIONS"}:
        return True
    reads_households = principal.sees_households or bool(principal.villages)
    return reads_households and request.url.path.startswith(
        ("/maps/", "/map", "/api/", "/ogc/collections/households")
    )


def quarantine_header(snap: Snapshot) -> str:
    """``X-Tongan-Quarantine``: the ids left out (ASCII; the messages are in /api/quarantine)."""
    records = sorted({p.inspection for p in snap.quarantine if p.inspection is not None})
    layers = [q.layer for q in snap.quarantined_layers]
    if not records and not layers:
        return ""
    return (
        f"inspections={','.join(map(str, records))}; layers={','.join(layers)}; see /api/quarantine"
    )


def add_cors(app: FastAPI, settings: Settings) -> None:
    """Let the browsers of ``settings.api.cors_origins`` call the API (none by default)."""
    if not settings.api.cors_origins:
        return
    from fastapi.middleware.cors import CORSMiddleware

    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.api.cors_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
    )
