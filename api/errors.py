"""Errors to responses, in one place: JSON for the data API and OGC, an error page otherwise.

Domain errors (:class:`geo.errors.TonganError`) carry their HTTP status; :class:`PageError` is
a page request the server refuses, with a message in the page's language. Bad input that no
route should see (a control character in the path or query) is refused by
:func:`refuse_bad_input` before anything else runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.templating import lang_of, render
from geo.bounds import FREE_TEXT, NO_CONTROL, first_control
from geo.errors import InputError, TonganError
from geo.i18n import tr


class PageError(Exception):
    """A request the server refuses, with its status and a message in the page's language."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def is_data_api(request: Request) -> bool:
    """Whether the request is for the data API or OGC API (answered in JSON)."""
    return request.url.path.startswith(("/ogc", "/api/"))


def error_message(error: Any) -> str:
    """A validation error's message; a control character is named rather than the pattern."""
    pattern = (error.get("ctx") or {}).get("pattern")
    if error.get("type") == "string_pattern_mismatch" and pattern in {NO_CONTROL, FREE_TEXT}:
        where = first_control(str(error.get("input", ""))) or "a control character"
        return f"contains the control character {where}; remove it"
    return str(error["msg"])


async def page_error(request: Request, exc: PageError) -> HTMLResponse:
    return render(request, "error.html.j2", exc.status, status=exc.status, reason=exc.message)


async def domain_error(request: Request, exc: TonganError) -> Response:
    """A domain error as ``{"code", "description"}`` JSON or an error page, with its status."""
    if is_data_api(request):
        return JSONResponse(
            {"code": type(exc).__name__, "description": str(exc)}, status_code=exc.status
        )
    return render(request, "error.html.j2", exc.status, status=exc.status, reason=str(exc))


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if is_data_api(request):
        return JSONResponse(
            {
                "code": "NotFound" if exc.status_code == 404 else "Error",
                "description": str(exc.detail),
            },
            status_code=exc.status_code,
        )
    reason = str(exc.detail)
    if exc.status_code == 404:
        reason = tr("server_page_missing", lang_of(request), path=request.url.path)
    return render(request, "error.html.j2", exc.status_code, status=exc.status_code, reason=reason)


async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """A 422 naming the first bad parameter (JSON with every error for the data API)."""
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    field = ".".join(str(p) for p in first["loc"] if p not in {"query", "body", "path"})
    message = f"parameter {field or '?'}: {error_message(first)}"
    if is_data_api(request):
        detail = [{"loc": list(e["loc"]), "msg": error_message(e)} for e in errors]
        return JSONResponse(
            {"code": "InvalidParameter", "description": message, "detail": detail},
            status_code=422,
        )
    return render(request, "error.html.j2", 422, status=422, reason=message)


def install_error_handlers(app: FastAPI) -> None:
    """Answer every refused request of ``app`` through the handlers of this module."""
    app.add_exception_handler(PageError, page_error)  # type: ignore[arg-type]
    app.add_exception_handler(TonganError, domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, invalid_request)  # type: ignore[arg-type]


def refuse_control_characters(request: Request) -> None:
    """Refuse (400) a path or query value holding a control character such as %00.

    PostgreSQL cannot store a NUL, GEOS and GDAL stop at one, and no name or code of a layer
    holds one: a request carrying one is an error, answered before any route runs.
    """
    where = first_control(request.url.path)
    if where is not None:
        msg = f"the path contains the control character {where} (e.g. %00); remove it"
        raise InputError(msg)
    for key, value in request.query_params.multi_items():
        where = first_control(key) or first_control(value)
        if where is not None:
            msg = f"query parameter {key[:50]!r} contains the control character {where}; remove it"
            raise InputError(msg)


async def refuse_bad_input(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Middleware: refuse a request whose path or query holds a control character (400)."""
    try:
        refuse_control_characters(request)
    except TonganError as exc:
        return await domain_error(request, exc)
    return await call_next(request)
