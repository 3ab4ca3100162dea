"""Accounts (issue 18): the role table, scopes on the sample's areas, passwords, sessions and the
lockout in the store, on SQLite and PostGIS."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pytest
import sqlalchemy as sa

from geo.access import (
    ROLE_TABLE,
    ROLES,
    Scope,
    check_area,
    role_table_markdown,
    scope_of,
    villages_in,
)
from geo.errors import InputError
from geo.settings import DatabaseSettings, Role
from geo.storage import Login, Store

ROOT = Path(__file__).resolve().parents[2]
COUNTY, QINGHE, LIUTANG = "421023", "421023101000", "421023102000"
DONGWAN, XIWAN, LIUTANG_V = "421023101001", "421023101002", "421023102001"
QINGHE_VILLAGES = {f"4210231010{n:02d}" for n in range(1, 8)}
LIUTANG_VILLAGES = {f"4210231020{n:02d}" for n in range(1, 6)}


@pytest.fixture(scope="module")
def layers() -> dict[str, gpd.GeoDataFrame]:
    from sample_layers.generate import SAMPLE_PATH

    return {n: gpd.read_file(SAMPLE_PATH, layer=n) for n in ("areas", "waters", "schools")}


def _scope(
    layers: dict[str, gpd.GeoDataFrame], role: Role, area: str | None, name: str = "x"
) -> Scope:
    return scope_of(
        role,
        area=area,
        name=name,
        areas=layers["areas"],
        waters=layers["waters"],
        schools=layers["schools"],
    )


# --- the table ----------------------------------------------------------------------------------


def test_role_table_lists_every_role_and_the_readme_states_it() -> None:
    assert tuple(ROLE_TABLE) == ROLES
    assert set(ROLES) >= {
        "admin", "civil_affairs", "children_director", "supervisor", "river_chief", "education",
        "viewer",
    }  # fmt: skip
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- roles:start -->\n", "\n<!-- roles:end -->"
    assert start in readme and end in readme
    assert readme.split(start)[1].split(end)[0].strip() == role_table_markdown()


def test_only_household_roles_see_households_and_viewer_writes_nothing() -> None:
    exact = {r for r, rule in ROLE_TABLE.items() if rule.households != "none"}
    assert exact == {"admin", "civil_affairs", "children_director", "supervisor"}
    assert not ROLE_TABLE["viewer"].writes
    # a director writes home visits only: no layer, no inspection
    director = ROLE_TABLE["children_director"]
    assert director.writes and not director.imports and director.inspections == "none"
    assert {r for r, rule in ROLE_TABLE.items() if rule.visits == "record"} == {
        "admin", "civil_affairs", "children_director"
    }  # fmt: skip
    assert {r for r, rule in ROLE_TABLE.items() if rule.visits != "none"} == exact
    assert [r for r, rule in ROLE_TABLE.items() if rule.audit] == ["admin"]


# --- the areas tree and scopes -----------------------------------------------------------------


def test_villages_under_each_level(layers: dict[str, gpd.GeoDataFrame]) -> None:
    areas = layers["areas"]
    assert villages_in(areas, COUNTY) == QINGHE_VILLAGES | LIUTANG_VILLAGES
    assert villages_in(areas, QINGHE) == QINGHE_VILLAGES
    assert villages_in(areas, DONGWAN) == {DONGWAN}
    assert villages_in(areas, "999") == frozenset()


def test_scopes_of_the_household_roles(layers: dict[str, gpd.GeoDataFrame]) -> None:
    director = _scope(layers, "children_director", DONGWAN)
    assert director.villages == {DONGWAN} and not director.sees_all_households
    assert director.sees_village(DONGWAN) and not director.sees_village(XIWAN)
    assert _scope(layers, "supervisor", LIUTANG).villages == LIUTANG_VILLAGES
    assert _scope(layers, "civil_affairs", QINGHE).villages == QINGHE_VILLAGES
    county = _scope(layers, "civil_affairs", COUNTY)
    assert county.villages is None and county.sees_all_households and county.county_wide
    legacy = _scope(layers, "civil_affairs", None)  # a user made before areas existed
    assert legacy.sees_all_households
    for role in ("viewer", "river_chief", "education"):
        scope = _scope(layers, role, None)  # type: ignore[arg-type]
        assert scope.villages == frozenset() and not scope.sees_households


def test_households_filter_and_imports(layers: dict[str, gpd.GeoDataFrame]) -> None:
    import pandas as pd

    frame = pd.DataFrame({"id": ["a", "b", "c"], "village_code": [DONGWAN, XIWAN, DONGWAN]})
    assert list(_scope(layers, "children_director", DONGWAN).households(frame)["id"]) == ["a", "c"]
    assert list(_scope(layers, "admin", None).households(frame)["id"]) == ["a", "b", "c"]
    assert _scope(layers, "civil_affairs", COUNTY).may_import("households")
    assert not _scope(layers, "civil_affairs", QINGHE).may_import("households")  # whole layer
    assert not _scope(layers, "civil_affairs", COUNTY).may_import("waters")
    assert _scope(layers, "river_chief", None).may_import("waters")


def test_river_chief_answers_for_the_waters_named_for_them_or_in_their_area(
    layers: dict[str, gpd.GeoDataFrame],
) -> None:
    waters = layers["waters"]
    named = set(waters.loc[waters["river_chief"] == "东湾村河长", "id"])
    assert len(named) == 5
    chief = _scope(layers, "river_chief", None, name="东湾村河长")
    assert chief.waters == named
    assert chief.may_inspect(next(iter(named)))
    other = next(iter(set(waters["id"]) - named - set(chief.waters or ())))
    assert not chief.may_inspect(other) and not chief.may_inspect(None)
    by_area = _scope(layers, "river_chief", DONGWAN, name="someone")
    assert by_area.waters and by_area.waters <= set(waters["id"])
    inside = waters.loc[waters.intersects(layers["areas"].set_index("code").geometry[DONGWAN])]
    assert by_area.waters == set(inside["id"])
    # a chief of old without an area, named for no water, keeps every water (tokens keep working)
    assert _scope(layers, "river_chief", None, name="nobody").waters is None
    assert not _scope(layers, "viewer", None).may_inspect("W01")


def test_schools_of_an_area(layers: dict[str, gpd.GeoDataFrame]) -> None:
    assert _scope(layers, "education", None).schools is None
    assert _scope(layers, "education", LIUTANG).schools == {"S04", "S05"}
    assert _scope(layers, "education", QINGHE).schools == {"S01", "S02", "S03", "S06"}


def test_check_area_messages(layers: dict[str, gpd.GeoDataFrame]) -> None:
    areas = layers["areas"]
    assert check_area(areas, "children_director", DONGWAN) == DONGWAN
    assert check_area(None, "children_director", "anything") == "anything"  # no workspace
    assert check_area(areas, "river_chief", None) is None
    with pytest.raises(InputError, match=r"needs an area: add --area CODE.*village"):
        check_area(areas, "children_director", None, lang="en")
    with pytest.raises(
        InputError, match="is a township; the area of the role children_director must be a village"
    ):
        check_area(areas, "children_director", QINGHE, lang="en")
    with pytest.raises(InputError, match=r"no area with the code 42 .*e\.g\. 421023101001"):
        check_area(areas, "children_director", "42", lang="en")
    with pytest.raises(InputError, match="takes no area"):
        check_area(areas, "viewer", DONGWAN, lang="en")
    with pytest.raises(InputError, match="需要一个区域"):
        check_area(areas, "supervisor", None)


# --- the store ----------------------------------------------------------------------------------


def test_users_keep_area_and_password_and_tokens_still_work(store: Store) -> None:
    token = store.add_user("李主任", "children_director", area=DONGWAN, password="长城-secret-1")
    user = store.authenticate(token)
    assert user is not None and user.area == DONGWAN and user.has_password
    assert user.role == "children_director"
    plain = store.add_user("王河长", "river_chief")
    listed = {u.name: u for u in store.users()}
    assert listed["王河长"].area is None and not listed["王河长"].has_password
    assert store.authenticate(plain) is not None


def test_password_hash_is_argon2_never_the_password(
    store: Store, database_settings: DatabaseSettings
) -> None:
    store.add_user("li", "supervisor", area=LIUTANG, password="correct horse 1")
    engine = (
        sa.create_engine(store.describe())
        if store.backend == "sqlite"
        else sa.create_engine(database_settings.url or "")
    )
    try:
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT password_hash FROM users")).scalar_one()
    finally:
        engine.dispose()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_wrong_passwords_lock_the_user(store: Store) -> None:
    store.add_user("li", "supervisor", area=LIUTANG, password="correct horse 1")
    lockout = dt.timedelta(minutes=15)
    check = store.check_password
    assert check("li", "correct horse 1", max_failures=3, lockout=lockout).user is not None
    for _ in range(2):
        assert check("li", "wrong", max_failures=3, lockout=lockout) == Login(None)
    locked = check("li", "wrong", max_failures=3, lockout=lockout)
    assert locked.user is None and locked.locked_until is not None
    assert locked.locked_until - dt.datetime.now(dt.UTC) > dt.timedelta(minutes=14)
    # while locked even the right password is refused
    again = check("li", "correct horse 1", max_failures=3, lockout=lockout)
    assert again.user is None and again.locked_until == locked.locked_until
    store.set_password("li", "a new one 123")  # an admin resets it: unlocked
    assert check("li", "a new one 123", max_failures=3, lockout=lockout).user is not None


def test_a_success_resets_the_failure_count(store: Store) -> None:
    store.add_user("li", "supervisor", area=LIUTANG, password="correct horse 1")
    lockout = dt.timedelta(minutes=15)
    for _ in range(5):
        for _ in range(2):  # two wrong of three allowed, then the right one
            store.check_password("li", "wrong", max_failures=3, lockout=lockout)
        assert store.check_password("li", "correct horse 1", max_failures=3, lockout=lockout).user


def test_unknown_user_and_user_without_password(store: Store) -> None:
    store.add_user("token-only", "viewer")
    lockout = dt.timedelta(minutes=1)
    assert store.check_password("nobody", "x", max_failures=1, lockout=lockout).user is None
    assert store.check_password("token-only", "x", max_failures=1, lockout=lockout).user is None


def test_sessions_expire_end_and_die_with_their_user(store: Store) -> None:
    store.add_user("li", "children_director", area=DONGWAN, password="correct horse 1")
    sid, csrf = store.create_session("li", lifetime=dt.timedelta(hours=8))
    session = store.session(sid)
    assert session is not None and session.user.name == "li" and session.user.area == DONGWAN
    import hashlib

    assert session.csrf_sha256 == hashlib.sha256(csrf.encode()).hexdigest()
    assert store.session("not-a-session") is None and store.session("") is None
    store.end_session(sid)
    assert store.session(sid) is None
    old, _ = store.create_session("li", lifetime=dt.timedelta(seconds=-1))
    assert store.session(old) is None  # expired
    live, _ = store.create_session("li", lifetime=dt.timedelta(hours=1))
    store.set_password("li", "another one 12")  # a new password ends the sessions
    assert store.session(live) is None
    live, _ = store.create_session("li", lifetime=dt.timedelta(hours=1))
    store.remove_user("li")
    assert store.session(live) is None


def test_migration_from_0002_keeps_users_and_their_tokens(
    store: Store, database_settings: DatabaseSettings, tmp_path: Path
) -> None:
    from alembic import command

    from geo.storage import _alembic_config

    engine = (
        sa.create_engine(store.describe())
        if store.backend == "sqlite"
        else sa.create_engine(database_settings.url or "")
    )
    token = store.add_user("王河长", "river_chief")
    try:
        with engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0002")
            assert not sa.inspect(conn).has_table("sessions")
            assert "area" not in {c["name"] for c in sa.inspect(conn).get_columns("users")}
            command.upgrade(_alembic_config(conn), "head")
            with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():
                conn.execute(
                    sa.text(
                        "INSERT INTO users (name, role, token_sha256, created_at) "
                        "VALUES ('x', 'emperor', 'abc', CURRENT_TIMESTAMP)"
                    )
                )
    finally:
        engine.dispose()
    user = store.authenticate(token)
    assert user is not None and user.name == "王河长" and user.area is None
    store.add_user("李主任", "children_director", area=DONGWAN)  # the new roles pass the check
