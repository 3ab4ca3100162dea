"""Signing in from the browser (issue 18): the login router on a tiny app, on SQLite and PostGIS.

The app has the router, a ``/whoami`` that resolves the principal the way the server's
middleware does (:func:`api.login.identify`: a bearer token, else the session cookie), and a
``POST /write`` guarded by :func:`api.login.require_csrf`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from api.auth import AuthError, Principal
from api.login import Accounts, identify, login_router, require_csrf
from geo.settings import AccountSettings, Settings
from geo.storage import Store

PASSWORD = "长江 flows east 1"
DONGWAN = "421023101001"


def _app(store: Store | None, **accounts: object) -> FastAPI:
    settings = Settings(accounts=AccountSettings(failure_delay_s=0, **accounts))  # type: ignore[arg-type]
    app = FastAPI()
    Accounts(store, settings, Principal("anonymous", "viewer")).install(app)
    app.include_router(login_router())

    @app.exception_handler(AuthError)
    def _auth_error(_request: Request, exc: AuthError) -> JSONResponse:
        return JSONResponse({"description": exc.message}, status_code=exc.status)

    @app.get("/whoami")
    def whoami(request: Request) -> dict[str, object]:
        identity = identify(request, Accounts.of(request))
        p = identity.principal
        return {"name": p.name, "role": p.role, "area": p.area, "via": identity.via}

    @app.post("/write")
    def write(request: Request) -> dict[str, str]:
        identity = identify(request, Accounts.of(request))
        require_csrf(request, identity)
        return {"written_by": identity.principal.name}

    return app


@pytest.fixture
def director(store: Store) -> str:
    return store.add_user("李主任", "children_director", area=DONGWAN, password=PASSWORD)


@pytest.fixture
def client(store: Store, director: str) -> Iterator[TestClient]:
    with TestClient(_app(store), follow_redirects=False) as c:
        yield c


def _form_token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def _sign_in(
    client: TestClient, name: str = "李主任", password: str = PASSWORD, **extra: str
) -> httpx.Response:
    page = client.get("/login")
    data = {"name": name, "password": password, "csrf": _form_token(page.text), **extra}
    return client.post("/login", data=data)


def test_login_page_is_chinese_by_default(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200 and 'lang="zh-CN"' in page.text
    assert "用户名" in page.text and "密码" in page.text and "未登录" in page.text
    assert page.headers["cache-control"] == "no-store"
    en = client.get("/login?lang=en")
    assert "User name" in en.text and "Not signed in" in en.text


def test_sign_in_sets_a_secure_session_cookie_and_resolves_the_principal(
    client: TestClient, store: Store
) -> None:
    assert client.get("/whoami").json() == {"name": "anonymous", "role": "viewer", "area": None, "via": "anonymous"}  # fmt: skip
    r = _sign_in(client, next="/maps/visits")
    assert r.status_code == 303 and r.headers["location"] == "/maps/visits"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("tongan_session="))
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "samesite=lax", "path=/", "max-age=28800"} <= flags
    assert "secure" not in flags  # plain http: a Secure cookie would never come back
    assert client.get("/whoami").json() == {
        "name": "李主任", "role": "children_director", "area": DONGWAN, "via": "session",
    }  # fmt: skip
    # the session id is not stored, only its hash
    session_id = client.cookies["tongan_session"]
    assert store.session(session_id) is not None
    assert "李主任" in client.get("/login").text  # the page says who is signed in


def test_cookie_is_secure_over_https(store: Store, director: str) -> None:
    with TestClient(_app(store), base_url="https://tongan.example", follow_redirects=False) as c:
        r = _sign_in(c)
        cookie = next(
            h for h in r.headers.get_list("set-cookie") if h.startswith("tongan_session=")
        )
        assert "secure" in {part.strip().lower() for part in cookie.split(";")}
        assert c.get("/whoami").json()["via"] == "session"


def test_wrong_password_and_unknown_user_say_the_same(client: TestClient) -> None:
    wrong = _sign_in(client, password="not the password")
    unknown = _sign_in(client, name="nobody")
    assert wrong.status_code == unknown.status_code == 401
    for r in (wrong, unknown):
        assert "用户名或密码错误" in r.text and "tongan_session" not in r.headers.get(
            "set-cookie", ""
        )
    assert client.get("/whoami").json()["via"] == "anonymous"


def test_repeated_failures_lock_the_account(store: Store, director: str) -> None:
    with TestClient(_app(store, max_failures=3), follow_redirects=False) as c:
        for _ in range(2):
            assert _sign_in(c, password="guess").status_code == 401
        locked = _sign_in(c, password="guess")
        assert locked.status_code == 429 and "锁定" in locked.text
        assert 800 < int(locked.headers["retry-after"]) <= 900  # 15 minutes
        right = _sign_in(c)  # even the right password, while locked
        assert right.status_code == 429 and c.get("/whoami").json()["via"] == "anonymous"
    actions = [e["action"] for e in store.audit_log()]
    assert actions.count("login.failed") == 4 and "login" not in actions


def test_login_form_needs_its_csrf_token(client: TestClient) -> None:
    client.get("/login")
    forged = client.post("/login", data={"name": "李主任", "password": PASSWORD, "csrf": "x"})
    assert forged.status_code == 403 and "表单已过期" in forged.text
    client.cookies.clear()  # another site's form: no login cookie at all
    forged = client.post("/login", data={"name": "李主任", "password": PASSWORD})
    assert forged.status_code == 403


def test_writes_by_session_need_the_csrf_token_tokens_do_not(
    client: TestClient, store: Store
) -> None:
    _sign_in(client)
    refused = client.post("/write")
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["description"]
    assert client.post("/write", headers={"X-CSRF-Token": "forged"}).status_code == 403
    page = client.get("/login")  # signed in: the page's logout form has the session's token
    token = _form_token(page.text)
    ok = client.post("/write", headers={"X-CSRF-Token": token})
    assert ok.status_code == 200 and ok.json() == {"written_by": "李主任"}
    bearer = store.add_user("王河长", "river_chief")
    with TestClient(_app(store)) as other:
        r = other.post("/write", headers={"Authorization": f"Bearer {bearer}"})
        assert r.status_code == 200 and r.json() == {"written_by": "王河长"}
        assert other.get("/whoami", headers={"Authorization": f"Bearer {bearer}"}).json()["via"] == "token"  # fmt: skip
        assert other.get("/whoami", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_a_token_wins_over_the_cookie(client: TestClient, store: Store) -> None:
    _sign_in(client)
    bearer = store.add_user("admin", "admin")
    me = client.get("/whoami", headers={"Authorization": f"Bearer {bearer}"}).json()
    assert me["name"] == "admin" and me["via"] == "token"


def test_logout_ends_the_session_with_its_csrf_token(client: TestClient, store: Store) -> None:
    _sign_in(client)
    session_id = client.cookies["tongan_session"]
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
    assert store.session(session_id) is not None
    token = _form_token(client.get("/login").text)
    out = client.post("/logout", data={"csrf": token})
    assert out.status_code == 303 and out.headers["location"].startswith("/login")
    assert store.session(session_id) is None
    assert client.get("/whoami").json()["via"] == "anonymous"
    # the old cookie, replayed, is worth nothing
    client.cookies.set("tongan_session", session_id)
    assert client.get("/whoami").json()["via"] == "anonymous"
    assert [e["action"] for e in store.audit_log()][:2] == ["logout", "login"]


def test_sessions_expire(store: Store, director: str) -> None:
    with TestClient(_app(store, session_hours=1e-9), follow_redirects=False) as c:
        assert _sign_in(c).status_code == 303
        assert c.get("/whoami").json()["via"] == "anonymous"


def test_no_open_redirect_and_no_store(store: Store, director: str) -> None:
    with TestClient(_app(store), follow_redirects=False) as c:
        for target in (
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "javascript:x",
        ):
            c.cookies.clear()
            r = _sign_in(c, next=target)
            assert r.status_code == 303 and r.headers["location"] == "/", target
    with TestClient(_app(None), follow_redirects=False) as c:
        assert "没有工作区数据库" in c.get("/login").text
        assert _sign_in_no_store(c).status_code == 503


def _sign_in_no_store(client: TestClient) -> httpx.Response:
    client.get("/login")
    token = client.cookies["tongan_login_csrf"]
    return client.post("/login", data={"name": "x", "password": "y", "csrf": token})
