"""``tongan user``: API users and their tokens (issue 9).

``tongan user add NAME --role ROLE`` prints the new token once; only its SHA-256 is stored.
The database is the workspace's (``--workspace``, ``TONGAN_WORKSPACE`` or ``./tongan-workspace``)
or PostgreSQL when ``TONGAN_DATABASE_URL`` is set. Every change is written to the audit log.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from api._common import LangOption, handle_errors, out_console, resolve_lang
from geo.settings import Language, Role

if TYPE_CHECKING:
    from geo.storage import Store

TEXT: dict[str, dict[str, str]] = {
    "added": {
        "zh": "已添加用户 {name}(角色:{role})。令牌如下,只显示这一次,请妥善保存:",
        "en": "Added user {name} (role: {role}). Its token, shown this once only; keep it safe:",
    },
    "usage": {
        "zh": "调用接口时在请求头中携带:Authorization: Bearer <令牌>",
        "en": "Send it with every API request: Authorization: Bearer <token>",
    },
    "removed": {"zh": "已删除用户 {name},其令牌立即失效", "en": "Removed user {name}; its token no longer works"},
    "title": {"zh": "用户({db})", "en": "Users ({db})"},
    "name": {"zh": "用户名", "en": "Name"},
    "role": {"zh": "角色", "en": "Role"},
    "created": {"zh": "创建时间(UTC)", "en": "Created (UTC)"},
    "none": {"zh": "尚无用户;用 tongan user add 添加", "en": "No users yet; add one with tongan user add"},
}  # fmt: skip

ROLE_ZH = {"admin": "管理员", "civil_affairs": "民政", "river_chief": "河长", "viewer": "只读"}

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        help="Workspace folder of the embedded database (default: TONGAN_WORKSPACE or ./tongan-workspace); ignored when TONGAN_DATABASE_URL is set."
    ),
]

user_app = typer.Typer(
    help="API users: add (prints the token once), list, remove.", no_args_is_help=True
)


def _t(key: str, lang: Language, **values: object) -> str:
    return TEXT[key][lang].format(**values)


def _role(role: str, lang: Language) -> str:
    return {"zh": f"{ROLE_ZH.get(role, role)} ({role})", "en": role}[lang]


@contextmanager
def _store(workspace: Path | None) -> Iterator[Store]:
    from geo.settings import get_settings
    from geo.storage import Store, default_workspace

    store = Store.open(get_settings().database, workspace or default_workspace())
    try:
        yield store
    finally:
        store.close()


def _operator() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name (containers)
        return "cli"


@user_app.command("add")
@handle_errors
def add(
    name: Annotated[str, typer.Argument(help="User name (unique, 1-100 characters).")],
    role: Annotated[
        Role,
        typer.Option(
            help="admin, civil_affairs (民政), river_chief (河长) or viewer (aggregates only)."
        ),
    ],
    workspace: WorkspaceOption = None,
    lang: LangOption = None,
) -> None:
    """Add a user and print its token once (only a hash of it is stored)."""
    language = resolve_lang(lang)
    with _store(workspace) as store:
        token = store.add_user(name, role)
        store.audit(user=_operator(), role="admin", action="user.add", resource=f"user:{name.strip()}", detail=f"role={role}")  # fmt: skip
    out = out_console()
    out.print(_t("added", language, name=name.strip(), role=_role(role, language)), highlight=False)
    # Plain print: no wrapping or markup may alter the token.
    print(token)
    out.print(_t("usage", language), highlight=False)


@user_app.command("list")
@handle_errors
def list_users(workspace: WorkspaceOption = None, lang: LangOption = None) -> None:
    """List the users and their roles (tokens cannot be shown: only their hashes are stored)."""
    language = resolve_lang(lang)
    with _store(workspace) as store:
        users = store.users()
        where = store.describe()
    out = out_console()
    if not users:
        out.print(_t("none", language), highlight=False)
        return
    table = Table(title=_t("title", language, db=where))
    for key in ("name", "role", "created"):
        table.add_column(_t(key, language))
    for user in users:
        table.add_row(
            user.name, _role(user.role, language), user.created_at.strftime("%Y-%m-%d %H:%M")
        )
    out.print(table)


@user_app.command("remove")
@handle_errors
def remove(
    name: Annotated[str, typer.Argument(help="User name.")],
    workspace: WorkspaceOption = None,
    lang: LangOption = None,
) -> None:
    """Remove a user; its token stops working at once."""
    language = resolve_lang(lang)
    with _store(workspace) as store:
        store.remove_user(name)
        store.audit(user=_operator(), role="admin", action="user.remove", resource=f"user:{name}")
    out_console().print(_t("removed", language, name=name), highlight=False)


def register(app: typer.Typer) -> None:
    """Register ``tongan user add|list|remove`` on the app."""
    app.add_typer(user_app, name="user")
