"""Signing in from the browser (issue 18): the login page, sessions, CSRF, who is asking.

``GET /login`` shows the sign-in form (Simplified Chinese by default, ``?lang=en``);
``POST /login`` checks the password (Argon2id, :mod:`geo.passwords`), counts failures and
locks the user after ``accounts.max_failures`` (each failure is answered after
``accounts.failure_delay_s``), opens a session and sets its cookie: ``HttpOnly``,
``SameSite=Lax``, ``Secure`` when the request came over https, ``Max-Age`` the session's
lifetime (``accounts.session_hours``). ``POST /logout`` ends it. Only hashes of the session id
and of its CSRF token are stored.

Every form that writes carries the session's CSRF token (:func:`csrf_field`); a write signed in
by the cookie, not by ``Authorization: Bearer``, must send it (form field ``csrf`` or the
``X-CSRF-Token`` header, :func:`require_csrf`). The login form itself has a token of its own,
kept in a short cookie (double submit), so another site cannot sign a browser in.

:func:`identify` resolves a request's principal from a bearer token or the session cookie: the
one function the server's identity middleware calls.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from api.auth import AuthError, Principal, token_of
from geo.i18n import tr
from geo.settings import AccountSettings, Language, Settings
from geo.storage import Login, Store, csrf_of

__all__ = [
    "Accounts",
    "Identity",
    "csrf_field",
    "identify",
    "login_router",
    "require_csrf",
    "who_markup",
]

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
#: The cookie of the login form's own CSRF token (double submit), read on ``/login`` only.
LOGIN_CSRF_COOKIE = "tongan_login_csrf"
#: Methods that never write: no CSRF token needed.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_LANGUAGES: dict[str, Language] = {"en": "en", "zh": "zh"}
#: The language the page's switch link leads to.
_OTHER: dict[Language, Language] = {"zh": "en", "en": "zh"}


@dataclass(frozen=True)
class Accounts:
    """What the sign-in needs from the app: the store (None: a read-only server, nobody signs
    in), the settings, and the principal of a request nobody signed."""

    store: Store | None
    settings: Settings
    anonymous: Principal

    @property
    def config(self) -> AccountSettings:
        return self.settings.accounts

    def install(self, app: FastAPI) -> None:
        """Make this the accounts of ``app`` (read by :meth:`of`)."""
        app.state.tongan_accounts = self

    @staticmethod
    def of(request: Request) -> Accounts:
        accounts: Accounts = request.app.state.tongan_accounts
        return accounts


AccountsDep = Annotated[Accounts, Depends(Accounts.of)]


@dataclass(frozen=True)
class Identity:
    """Who asks and how: by ``token``, by ``session`` (with the session's CSRF hash), or as
    ``anonymous``."""

    principal: Principal
    via: Literal["token", "session", "anonymous"]
    csrf_sha256: str = ""
    session_id: str = ""


def identify(request: Request, accounts: Accounts) -> Identity:
    """The principal of a request: its bearer token, else its session cookie, else anonymous.

    Blocking (it reads the store): call it in a thread from async code.

    Raises
    ------
    AuthError
        (401) A malformed ``Authorization`` header, or a token that is unknown or removed; such
        a request is refused, never served as anonymous. A session cookie that is unknown or
        expired is no error: the request is anonymous (and the page offers to sign in).
    """
    token = token_of(request)
    store = accounts.store
    if token is not None:
        user = store.authenticate(token) if store else None
        if user is None:
            raise AuthError("the token is not valid (unknown or removed); ask an admin")
        return Identity(Principal(user.name, user.role, user.area), "token")
    session_id = request.cookies.get(accounts.config.cookie_name, "")
    if session_id and store is not None:
        session = store.session(session_id)
        if session is not None:
            user = session.user
            principal = Principal(user.name, user.role, user.area)
            return Identity(principal, "session", session.csrf_sha256, session_id)
    return Identity(accounts.anonymous, "anonymous")


def csrf_matches(identity: Identity, given: str | None) -> bool:
    """Whether ``given`` is the CSRF token of the identity's session."""
    if identity.via != "session" or not given:
        return False
    digest = hashlib.sha256(given.encode("utf-8")).hexdigest()
    return hmac.compare_digest(digest, identity.csrf_sha256)


def require_csrf(request: Request, identity: Identity, given: str | None = None) -> None:
    """Refuse a write signed in by the session cookie without its CSRF token.

    ``given`` is the form's ``csrf`` field; else the ``X-CSRF-Token`` header is read. Reads,
    token-signed and anonymous requests pass (a bearer token is never sent by a browser on
    its own, so it needs no CSRF token).

    Raises
    ------
    AuthError
        (403) A session-signed write without the session's token.
    """
    if request.method in SAFE_METHODS or identity.via != "session":
        return
    if not csrf_matches(identity, given or request.headers.get("x-csrf-token")):
        lang = _lang(request)
        raise AuthError(tr("login_csrf_missing", lang), status=403)


def csrf_field(identity: Identity) -> Markup:
    """The hidden ``csrf`` input of a form that writes (empty unless signed in by session)."""
    if identity.via != "session":
        return Markup("")
    return Markup('<input type="hidden" name="csrf" value="{}">').format(
        csrf_of(identity.session_id)
    )


def who_markup(identity: Identity, lang: Language, *, area_name: str, path: str) -> Markup:
    """The header's "who is signed in": name, role and the area in view, and a sign-out
    button (a form with the session's CSRF token); or a sign-in link."""
    principal = identity.principal
    if identity.via == "anonymous":
        return Markup('<a class="who" id="who" href="/login?lang={}&amp;next={}">{}</a>').format(
            lang, quote(path, safe="/"), tr("who_sign_in", lang)
        )
    text = tr(
        "who_signed_in",
        lang,
        name=principal.name,
        role=tr(f"role_{principal.role}", lang),
        area=area_name or tr("user_whole_area", lang),
    )
    if identity.via != "session":
        return Markup('<span class="who" id="who">{}</span>').format(text)
    return Markup(
        '<span class="who" id="who">{}</span><form class="logout" method="post" '
        'action="/logout?lang={}">{}<button type="submit" id="logout">{}</button></form>'
    ).format(text, lang, csrf_field(identity), tr("who_sign_out", lang))


# --- the router ---------------------------------------------------------------------------------


def _lang(request: Request) -> Language:
    return _LANGUAGES.get(request.query_params.get("lang", ""), "zh")


def _secure(request: Request) -> bool:
    """Whether the request came over https (directly or, behind a proxy, as it says)."""
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


def _next(value: str | None) -> str:
    """Where to go after signing in: a path of this site only (no open redirect)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    return value


def _identity(request: Request, accounts: AccountsDep) -> Identity:
    known: Identity | None = getattr(request.state, "identity", None)
    return known if known is not None else identify(request, accounts)


IdentityDep = Annotated[Identity, Depends(_identity)]


def _who(identity: Identity, lang: Language) -> str:
    """ "Signed in: name (role, area)" or "not signed in"."""
    principal = identity.principal
    if identity.via == "anonymous":
        return tr("login_signed_out", lang)
    role = tr(f"role_{principal.role}", lang)
    area = principal.area or tr("user_whole_area", lang)
    return tr("login_signed_in", lang, name=principal.name, role=role, area=area)


def _page(
    request: Request,
    accounts: Accounts,
    identity: Identity,
    *,
    lang: Language,
    status: int = 200,
    error: str = "",
    next_url: str = "/",
) -> HTMLResponse:
    """The sign-in page, with a fresh login CSRF token in its form and cookie."""
    form_token = secrets.token_urlsafe(32)
    words = {
        key: tr(f"login_{key}", lang)
        for key in ("title", "app", "name", "password", "submit", "switch", "intro", "logout", "continue")
    }  # fmt: skip
    words["session_hours"] = tr(
        "login_session_hours", lang, hours=f"{accounts.config.session_hours:g}"
    )
    response = TEMPLATES.TemplateResponse(
        request,
        "login.html.j2",
        {
            "lang": lang,
            "t": words,
            "error": error,
            "who": _who(identity, lang),
            "signed_in": identity.via == "session",
            "form_token": form_token,
            "session_csrf": csrf_field(identity),
            "next_url": next_url,
            "other": _OTHER[lang],
            "can_sign_in": accounts.store is not None,
            "no_store": tr("login_no_store", lang),
        },
        status_code=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        form_token,
        max_age=3600,
        path="/login",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


#: ``GET``/``POST /login`` and ``POST /logout``; the app must :meth:`Accounts.install`.
router = APIRouter(tags=["sign-in"], include_in_schema=False)


def login_router() -> APIRouter:
    """The sign-in router (:data:`router`), for ``app.include_router``."""
    return router


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request,
    accounts: AccountsDep,
    identity: IdentityDep,
    next_url: Annotated[str, Query(alias="next", max_length=2000)] = "/",
) -> HTMLResponse:
    """The sign-in form (or, signed in, who you are and a sign-out button)."""
    return _page(request, accounts, identity, lang=_lang(request), next_url=_next(next_url))


@router.post("/login", response_model=None)
async def login(
    request: Request,
    accounts: AccountsDep,
    name: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "/",
) -> Response:
    """Check the password; open a session and go to ``next``, or show the form again."""
    lang = _lang(request)
    anonymous = Identity(accounts.anonymous, "anonymous")
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not csrf or not cookie or not hmac.compare_digest(csrf, cookie):
        return _page(request, accounts, anonymous, lang=lang, status=403, error=tr("login_csrf", lang), next_url=_next(next_url))  # fmt: skip
    store = accounts.store
    if store is None:
        return _page(request, accounts, anonymous, lang=lang, status=503, error=tr("login_no_store", lang))  # fmt: skip
    config = accounts.config
    result = await run_in_threadpool(
        store.check_password,
        name.strip(),
        password,
        max_failures=config.max_failures,
        lockout=dt.timedelta(minutes=config.lockout_minutes),
    )
    if result.user is None:
        await asyncio.sleep(config.failure_delay_s)
        return await _refused(request, accounts, result, name=name, next_url=next_url)
    user = result.user
    lifetime = dt.timedelta(hours=config.session_hours)
    session_id, _ = await run_in_threadpool(store.create_session, user.name, lifetime=lifetime)
    await run_in_threadpool(store.audit, user=user.name, role=user.role, action="login", resource="/login", detail=user.area or "")  # fmt: skip
    response = RedirectResponse(_next(next_url), status_code=303)
    response.set_cookie(
        config.cookie_name,
        session_id,
        max_age=int(lifetime.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


async def _refused(
    request: Request, accounts: Accounts, result: Login, *, name: str, next_url: str
) -> HTMLResponse:
    """The form again after a wrong password (401) or for a locked user (429, Retry-After)."""
    lang = _lang(request)
    config = accounts.config
    if result.locked_until is not None:
        until = result.locked_until.strftime("%Y-%m-%d %H:%M")
        error, status = tr("login_locked", lang, until=until), 429
    else:
        minutes = f"{config.lockout_minutes:g}"
        error = tr("login_failed", lang, n=config.max_failures, minutes=minutes)
        status = 401
    if accounts.store is not None:
        await run_in_threadpool(accounts.store.audit, user=name.strip()[:100] or "-", role="-", action="login.failed", resource="/login", detail=str(status))  # fmt: skip
    anonymous = Identity(accounts.anonymous, "anonymous")
    page = _page(request, accounts, anonymous, lang=lang, status=status, error=error, next_url=_next(next_url))  # fmt: skip
    if result.locked_until is not None:
        wait = result.locked_until - dt.datetime.now(dt.UTC)
        page.headers["Retry-After"] = str(max(1, int(wait.total_seconds())))
    return page


@router.post("/logout", response_model=None)
async def logout(
    request: Request,
    accounts: AccountsDep,
    identity: IdentityDep,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """End the session (with its CSRF token) and go back to the sign-in page."""
    lang = _lang(request)
    if identity.via != "session":
        return RedirectResponse(f"/login?lang={lang}", status_code=303)
    if not csrf_matches(identity, csrf):
        return _page(request, accounts, identity, lang=lang, status=403, error=tr("login_csrf", lang))  # fmt: skip
    store = accounts.store
    if store is not None:
        await run_in_threadpool(store.end_session, identity.session_id)
        principal = identity.principal
        await run_in_threadpool(store.audit, user=principal.name, role=principal.role, action="logout", resource="/logout")  # fmt: skip
    response = RedirectResponse(f"/login?lang={lang}", status_code=303)
    response.delete_cookie(accounts.config.cookie_name, path="/", httponly=True, samesite="lax")
    return response
