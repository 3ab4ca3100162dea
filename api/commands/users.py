"""``tongan user``: users, their roles and areas, tokens and passwords (issues 9 and 18).

``tongan user add NAME --role ROLE [--area CODE] [--password-stdin]`` prints the new token once;
only its SHA-256 is stored, and only the Argon2id hash of a password. What each role may read
and write is :data:`geo.access.ROLE_TABLE`. The area code is checked against the areas layer:
the workspace's imported one, or the one of ``--layers``. The first admin is made here:
``tongan user add 管理员 --role admin --password-stdin``.

The database is the workspace's (``--workspace``, ``TONGAN_WORKSPACE`` or ``./tongan-workspace``)
or PostgreSQL when ``TONGAN_DATABASE_URL`` is set. Every change is written to the audit log.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from api._common import LangOption, err_console, handle_errors, out_console, resolve_lang
from geo.errors import InputError
from geo.i18n import tr
from geo.settings import Language, Role, get_settings

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.storage import Store

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        help="Workspace folder of the embedded database (default: TONGAN_WORKSPACE or ./tongan-workspace); ignored when TONGAN_DATABASE_URL is set."
    ),
]
PasswordStdinOption = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read a password for the browser sign-in from standard input (one line).",
    ),
]
PasswordPromptOption = Annotated[
    bool,
    typer.Option("--password", help="Ask for a password for the browser sign-in (typed twice)."),
]

user_app = typer.Typer(
    help="Users: add (prints the token once), password, list, remove.", no_args_is_help=True
)


def _role(role: str, lang: Language) -> str:
    return tr("user_role_label", lang, role=role, label_zh=tr(f"role_{role}", "zh"))


@contextmanager
def _store(workspace: Path | None) -> Iterator[Store]:
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


def _areas(store: Store, layers: Path | None, lang: Language) -> gpd.GeoDataFrame | None:
    """The areas layer to check ``--area`` against: ``--layers``', else the workspace's imported
    one; None when there is neither."""
    if layers is not None:
        import pandas as pd

        from geo.aliases import ColumnMap
        from geo.load import apply_column_map, find_sources, read_file

        parts = find_sources(layers).get("areas", [])
        if not parts:
            raise InputError(tr("user_layers_unreadable", lang, path=layers))
        frames = [
            apply_column_map(read_file(path, layer=layer), "areas", ColumnMap())
            for path, layer in parts
        ]
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    imported = store.read_layers().get("areas")
    return imported


def _read_password(stdin: bool, lang: Language) -> str:
    """A password from standard input (one line) or typed twice, checked for length."""
    if stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InputError(tr("user_password_empty", lang))
    else:
        password = typer.prompt(
            tr("user_password_prompt", lang), hide_input=True, confirmation_prompt=True
        )
    shortest = get_settings().accounts.min_password_length
    if len(password) < shortest:
        raise InputError(tr("user_password_short", lang, n=shortest))
    return password


def _password(stdin: bool, prompt: bool, lang: Language) -> str | None:
    """The password of ``--password-stdin`` or ``--password``; None for neither."""
    if stdin and prompt:
        raise InputError(tr("user_password_both", lang))
    if not stdin and not prompt:
        return None
    return _read_password(stdin, lang)


@user_app.command("add")
@handle_errors
def add(
    name: Annotated[str, typer.Argument(help="User name (unique, 1-100 characters).")],
    role: Annotated[
        Role,
        typer.Option(
            help=(
                "admin, civil_affairs (民政, county or township), children_director (儿童主任, "
                "village), supervisor (儿童督导员, township), river_chief (河长), education (教育) "
                "or viewer (aggregates only); see the README's role table."
            )
        ),
    ],
    area: Annotated[
        str | None,
        typer.Option(help="Area code of the areas layer the user is responsible for."),
    ] = None,
    layers: Annotated[
        Path | None,
        typer.Option(help="GeoPackage or folder whose areas layer --area is checked against."),
    ] = None,
    password_stdin: PasswordStdinOption = False,
    password_prompt: PasswordPromptOption = False,
    workspace: WorkspaceOption = None,
    lang: LangOption = None,
) -> None:
    """Add a user and print its token once (only a hash of it is stored)."""
    from geo.access import check_area

    language = resolve_lang(lang)
    password = _password(password_stdin, password_prompt, language)
    with _store(workspace) as store:
        areas = _areas(store, layers, language) if area else None
        code = check_area(areas, role, area, lang=language)
        token = store.add_user(name, role, area=code, password=password)
        detail = f"role={role}" + (f" area={code}" if code else "")
        store.audit(user=_operator(), role="admin", action="user.add", resource=f"user:{name.strip()}", detail=detail)  # fmt: skip
    if code and areas is None:
        err_console().print(tr("user_area_unchecked", language, code=code), highlight=False)
    out = out_console()
    shown = code or tr("user_whole_area", language)
    out.print(
        tr("user_added", language, name=name.strip(), role=_role(role, language), area=shown),
        highlight=False,
    )
    # Plain print: no wrapping or markup may alter the token.
    print(token)
    out.print(tr("user_usage", language), highlight=False)
    if password is not None:
        out.print(tr("user_signin", language, name=name.strip()), highlight=False)


@user_app.command("password")
@handle_errors
def password(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: PasswordStdinOption = False,
    workspace: WorkspaceOption = None,
    lang: LangOption = None,
) -> None:
    """Set a user's password (asked twice, or --password-stdin); ends its sessions, unlocks it."""
    language = resolve_lang(lang)
    new = _read_password(password_stdin, language)
    with _store(workspace) as store:
        store.set_password(name, new)
        store.audit(user=_operator(), role="admin", action="user.password", resource=f"user:{name}")
    out_console().print(tr("user_password_set", language, name=name), highlight=False)


@user_app.command("list")
@handle_errors
def list_users(workspace: WorkspaceOption = None, lang: LangOption = None) -> None:
    """List the users, their roles and areas (tokens and passwords cannot be shown)."""
    language = resolve_lang(lang)
    with _store(workspace) as store:
        users = store.users()
        where = store.describe()
    out = out_console()
    if not users:
        out.print(tr("user_none", language), highlight=False)
        return
    table = Table(title=tr("user_title", language, db=where))
    for key in ("name", "role", "area", "password", "created"):
        table.add_column(tr(f"user_col_{key}", language))
    for user in users:
        table.add_row(
            user.name,
            _role(user.role, language),
            user.area or tr("user_whole_area", language),
            tr("user_yes" if user.has_password else "user_no", language),
            user.created_at.strftime("%Y-%m-%d %H:%M"),
        )
    out.print(table)


@user_app.command("remove")
@handle_errors
def remove(
    name: Annotated[str, typer.Argument(help="User name.")],
    workspace: WorkspaceOption = None,
    lang: LangOption = None,
) -> None:
    """Remove a user; its token and its sessions stop working at once."""
    language = resolve_lang(lang)
    with _store(workspace) as store:
        store.remove_user(name)
        store.audit(user=_operator(), role="admin", action="user.remove", resource=f"user:{name}")
    out_console().print(tr("user_removed", language, name=name), highlight=False)


def register(app: typer.Typer) -> None:
    """Register ``tongan user add|password|list|remove`` on the app."""
    app.add_typer(user_app, name="user")
