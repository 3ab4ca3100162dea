"""Middleware of the map server: who is asking, the audit log, the quarantine header, CORS."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.auth import AuthError, Principal, token_of
from api.errors import domain_error, is_data_api
from api.state import ServerState
from api.workspace import Snapshot
from geo.errors import TonganError
from geo.settings import Settings


async def identify(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Refuse malformed and unknown tokens; resolve the token to a principal; audit writes
    and household-level reads; name the quarantined records of the data API's answers."""
    state = ServerState.of(request.app)
    store = state.store
    try:
        token = token_of(request)
    except TonganError as exc:
        return await domain_error(request, exc)
    principal = state.anonymous
    if token is not None:
        user = await run_in_threadpool(store.authenticate, token) if store else None
        if user is None:
            error = AuthError("the token is not valid (unknown or removed); ask an admin")
            return await domain_error(request, error)
        principal = Principal(user.name, user.role)
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
            detail=str(response.status_code),
        )
    return response


def audited(request: Request, principal: Principal) -> bool:
    """Whether a request goes to the audit log: every write, and reads of household-level data."""
    if request.method not in {"GET", "HEAD", "OPTIONS"}:
        return True
    return principal.sees_households and request.url.path.startswith(
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
