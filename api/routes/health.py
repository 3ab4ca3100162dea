"""``/healthz``: the server answers, and which version of the layer files it serves."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from api.deps import StateDep

router = APIRouter()


@router.get("/healthz", response_class=PlainTextResponse)
def healthz(state: StateDep) -> str:
    return f"ok {state.version}"
