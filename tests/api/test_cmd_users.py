"""``tongan user`` with roles, areas and passwords (issue 18)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from api.cli import app
from geo.settings import DatabaseSettings
from geo.storage import Store

DONGWAN, QINGHE = "421023101001", "421023101000"
LOCK = dt.timedelta(minutes=15)
Run = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.delenv("TONGAN_DATABASE_URL", raising=False)
    runner = CliRunner(env={"COLUMNS": "250"})
    ws = ["--workspace", str(tmp_path)]

    def invoke(*args: str, stdin: str | None = None) -> Result:
        return runner.invoke(app, ["user", *args, *ws], input=stdin)

    return invoke


def _sample() -> str:
    from sample_layers.generate import SAMPLE_PATH

    return str(SAMPLE_PATH)


def _store(tmp_path: Path) -> Store:
    return Store.open(DatabaseSettings(url=None), tmp_path)


def test_first_admin_with_a_password_from_stdin(run: Run, tmp_path: Path) -> None:
    result = run("add", "管理员", "--role", "admin", "--password-stdin", stdin="a long secret 1\n")
    assert result.exit_code == 0, result.output
    assert "/login" in result.output and "a long secret" not in result.output
    with _store(tmp_path) as store:
        login = store.check_password("管理员", "a long secret 1", max_failures=5, lockout=LOCK)
        assert login.user is not None and login.user.role == "admin" and login.user.area is None
        token = result.output.splitlines()[1].strip()
        assert store.authenticate(token) is not None  # the token works too


def test_area_checked_against_the_layers(run: Run, tmp_path: Path) -> None:
    ok = run(
        "add", "李主任", "--role", "children_director", "--area", DONGWAN, "--layers", _sample()
    )
    assert ok.exit_code == 0, ok.output
    with _store(tmp_path) as store:
        (user,) = store.users()
        assert (user.role, user.area, user.has_password) == ("children_director", DONGWAN, False)
        assert store.audit_log()[0]["detail"] == f"role=children_director area={DONGWAN}"
    wrong_level = run(
        "add", "王", "--role", "children_director", "--area", QINGHE, "--layers", _sample(),
        "--lang", "en",
    )  # fmt: skip
    assert wrong_level.exit_code == 2
    assert "is a township; the area of the role children_director must be a village" in (
        " ".join(wrong_level.output.split())
    )
    unknown = run("add", "王", "--role", "supervisor", "--area", "999", "--layers", _sample())
    assert unknown.exit_code == 2 and "没有代码 999" in unknown.output
    listed = run("list", "--lang", "en")
    assert (
        listed.exit_code == 0 and DONGWAN in listed.output and "children_director" in listed.output
    )


def test_roles_needing_an_area_refuse_none(run: Run) -> None:
    for role, level in (("children_director", "village"), ("supervisor", "township")):
        result = run("add", "x", "--role", role, "--lang", "en")
        assert result.exit_code == 2, result.output
        assert f"needs an area: add --area CODE (a {level} code" in " ".join(result.output.split())
    viewer = run("add", "x", "--role", "viewer", "--area", DONGWAN, "--lang", "en")
    assert viewer.exit_code == 2 and "takes no area" in viewer.output
    result = run("add", "x", "--role", "children_director")
    assert result.exit_code == 2 and "需要一个区域" in result.output


def test_area_without_layers_is_kept_with_a_note(run: Run, tmp_path: Path) -> None:
    result = run("add", "李", "--role", "children_director", "--area", DONGWAN, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "was not checked" in " ".join(result.output.split())


def test_passwords_too_short_empty_or_both(run: Run) -> None:
    short = run("add", "x", "--role", "viewer", "--password-stdin", "--lang", "en", stdin="short\n")
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    empty = run("add", "x", "--role", "viewer", "--password-stdin", "--lang", "en", stdin="")
    assert empty.exit_code == 2 and "no password on standard input" in empty.output
    both = run("add", "x", "--role", "viewer", "--password", "--password-stdin", "--lang", "en")
    assert both.exit_code == 2 and "not both" in both.output
    assert run("list", "--lang", "en").output.startswith("No users yet")


def test_password_command_resets_and_unlocks(run: Run, tmp_path: Path) -> None:
    assert (
        run("add", "li", "--role", "viewer", "--password-stdin", stdin="first secret 1\n").exit_code
        == 0
    )
    with _store(tmp_path) as store:
        for _ in range(3):
            store.check_password("li", "wrong", max_failures=3, lockout=LOCK)
        assert store.check_password(
            "li", "first secret 1", max_failures=3, lockout=LOCK
        ).locked_until
    result = run("password", "li", "--password-stdin", "--lang", "en", stdin="second secret 2\n")
    assert result.exit_code == 0 and "unlocked" in result.output
    with _store(tmp_path) as store:
        assert store.check_password("li", "second secret 2", max_failures=3, lockout=LOCK).user
        assert [e["action"] for e in store.audit_log()][:1] == ["user.password"]
    missing = run("password", "nobody", "--password-stdin", stdin="second secret 2\n")
    assert missing.exit_code == 2 and "no user" in missing.output
