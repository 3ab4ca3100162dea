"""The workspace database (issue 9), on SQLite and on PostgreSQL + PostGIS.

Every test taking ``store`` or ``database_settings`` runs on both back ends (tests/conftest.py);
the PostgreSQL runs need ``TONGAN_TEST_POSTGRES_URL`` (``eval "$(.ci/postgres.sh)"``).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pydantic
import pytest
import sqlalchemy as sa
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import LineString, Point, box
from typer.testing import CliRunner

from analysis.patrol import apply_patrol_records
from geo.errors import InputError
from geo.settings import DatabaseSettings, Settings
from geo.storage import (
    RECORD_COLUMNS,
    DatabaseError,
    Inspection,
    InspectionIn,
    ItemFound,
    Store,
    default_workspace,
)

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 7, 15)


def _inspection(i: int = 0, **changes: object) -> InspectionIn:
    values: dict[str, object] = {
        "target": "spot",
        "target_id": f"S{i}",
        "water_id": "W1",
        "date": DAY,
        "inspector": "王河长",
        "items": [ItemFound(kind="life_buoy", id="E1", condition="ok")],
        "fence": "none",
        "note": f"第{i}次巡查",
    }
    values.update(changes)
    return InspectionIn.model_validate(values)


def _raw_engine(store: Store, database_settings: DatabaseSettings) -> sa.Engine:
    """A separate connection to the same database, to look at what is really stored."""
    if store.backend == "sqlite":
        return sa.create_engine(store.describe())
    assert database_settings.url is not None
    return sa.create_engine(database_settings.url)


# --- opening ------------------------------------------------------------------------------------


def test_open_creates_schema_and_reopens(
    database_settings: DatabaseSettings, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    with Store.open(database_settings, workspace) as store:
        assert store.backend == ("sqlite" if database_settings.url is None else "postgresql")
        assert store.revision() == 0
        store.add_inspection(_inspection(), user="a")
    with Store.open(database_settings, workspace) as store:  # migrations already at head
        assert store.count_inspections() == 1 and store.revision() == 1
    if database_settings.url is None:
        assert (workspace / "tongan.sqlite").is_file()


def test_migrations_downgrade_and_upgrade_again(
    store: Store, database_settings: DatabaseSettings
) -> None:
    from alembic import command

    from geo.storage import VERSION_TABLE, _alembic_config

    engine = _raw_engine(store, database_settings)
    try:
        with engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "base")
            assert not sa.inspect(conn).has_table("inspections")
            command.upgrade(_alembic_config(conn), "head")
            assert sa.inspect(conn).has_table("inspections")
            assert conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).all() == [
                ("0005",)
            ]
            command.downgrade(_alembic_config(conn), "0001")  # v0002: the edit count
            assert "edits" not in {
                c["name"] for c in sa.inspect(conn).get_columns("store_revision")
            }
            command.upgrade(_alembic_config(conn), "head")
    finally:
        engine.dispose()
    store.add_inspection(_inspection(), user="a")


def test_newer_or_foreign_database_is_refused(
    store: Store, database_settings: DatabaseSettings, tmp_path: Path
) -> None:
    from geo.storage import VERSION_TABLE

    engine = _raw_engine(store, database_settings)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = '9999'"))
    finally:
        engine.dispose()
    with pytest.raises(DatabaseError, match="newer than this version of Tongan"):
        Store.open(database_settings, tmp_path / "workspace")
    if database_settings.url is None:
        (tmp_path / "junk").mkdir()
        (tmp_path / "junk" / "tongan.sqlite").write_bytes(b"not a database at all" * 100)
        with pytest.raises(DatabaseError, match="cannot create or migrate"):
            Store.open(database_settings, tmp_path / "junk")


def test_sqlite_pragmas(tmp_path: Path) -> None:
    store = Store.open(DatabaseSettings(url=None, busy_timeout_ms=1234), tmp_path)
    with store, store._engine.connect() as conn:
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 1234,
    }


def test_opening_waits_for_a_held_lock_and_retries_an_immediate_refusal(tmp_path: Path) -> None:
    """A new SQLite file locked by another program opens once the lock goes; a step SQLite
    refuses at once ("database is locked", no busy wait) is retried, not reported."""
    import sqlite3

    path = tmp_path / "tongan.sqlite"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(0.5, holder.rollback)
    release.start()
    started = time.monotonic()
    with Store.open(DatabaseSettings(url=None, busy_timeout_ms=10_000), tmp_path) as store:
        assert time.monotonic() - started >= 0.4
        assert store.inspections() == []
        holder.execute("BEGIN EXCLUSIVE")  # the store's file now, locked again for 0.3 s
        threading.Timer(0.3, holder.rollback).start()
        impatient = sa.create_engine(store.describe(), connect_args={"timeout": 0})
        tries: list[float] = []

        def write() -> None:
            tries.append(time.monotonic())
            with impatient.begin() as conn:
                conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS probe (x INTEGER)")

        store._retry_while_locked(write)
        impatient.dispose()
    holder.close()
    assert len(tries) > 1 and tries[-1] - tries[0] >= 0.2


def test_unreachable_database_names_url_without_password(tmp_path: Path) -> None:
    settings = DatabaseSettings(url="postgresql://tongan:s3cret@127.0.0.1:1/tongan")
    with pytest.raises(DatabaseError) as err:
        Store.open(settings, tmp_path)
    message = err.value.message
    assert "127.0.0.1:1/tongan" in message and "s3cret" not in message
    assert "TONGAN_DATABASE_URL" in message and err.value.status == 503


@pytest.mark.parametrize("url", ["mysql://u:p@h/db", "not a url"])
def test_unsupported_or_malformed_url(url: str, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        Store.open(DatabaseSettings(url=url), tmp_path)


def test_database_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TONGAN_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert Settings().database.url == "postgresql+psycopg://u@h/db"
    assert DatabaseSettings(url=None).url is None
    monkeypatch.delenv("TONGAN_DATABASE_URL")
    assert Settings().database.url is None


def test_default_workspace(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TONGAN_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_workspace() == tmp_path / "tongan-workspace"
    monkeypatch.setenv("TONGAN_WORKSPACE", str(tmp_path / "elsewhere"))
    assert default_workspace() == tmp_path / "elsewhere"


def test_describe_masks_password(database_settings: DatabaseSettings, store: Store) -> None:
    described = store.describe()
    if store.backend == "sqlite":
        assert described.startswith("sqlite") and described.endswith("/workspace/tongan.sqlite")
    else:
        assert database_settings.url is not None
        password = sa.make_url(database_settings.url).password
        assert ":***@" in described and f":{password}@" not in described


def test_postgis_geometry_column_and_index(
    store: Store, database_settings: DatabaseSettings
) -> None:
    if store.backend != "postgresql":
        pytest.skip("PostGIS only")
    frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[Point(113.0, 29.8)], crs="EPSG:4326")
    store.replace_layer("schools", frame, user="t")
    engine = _raw_engine(store, database_settings)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.text("SELECT ST_SRID(geom), ST_AsText(geom) FROM layer_features")
            ).one()
            column = conn.execute(
                sa.text(
                    "SELECT type, srid FROM geometry_columns WHERE f_table_name = 'layer_features'"
                    " AND f_table_schema = current_schema()"
                )
            ).one()
            index = conn.execute(
                sa.text(
                    "SELECT indexdef FROM pg_indexes WHERE indexname = 'layer_features_geom_idx'"
                    " AND schemaname = current_schema()"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    assert tuple(row) == (4326, "POINT(113 29.8)")
    assert tuple(column) == ("GEOMETRY", 4326)
    assert "gist" in index.lower()


# --- users and audit ----------------------------------------------------------------------------


def test_users_tokens_hashed(store: Store, database_settings: DatabaseSettings) -> None:
    token = store.add_user("wang", "river_chief")
    other = store.add_user("li", "admin")
    assert len(token) >= 40 and token != other
    user = store.authenticate(token)
    assert user is not None and (user.name, user.role) == ("wang", "river_chief")
    assert user.created_at.tzinfo is not None
    assert store.authenticate(token + "x") is None
    assert store.authenticate("") is None
    assert [(u.name, u.role) for u in store.users()] == [("li", "admin"), ("wang", "river_chief")]

    # The token is stored nowhere, only its hash.
    if store.backend == "sqlite":
        workspace = Path(store.describe().split("///", 1)[1]).parent
        blob = b"".join(p.read_bytes() for p in workspace.iterdir() if p.is_file())
        assert b"wang" in blob
        assert token.encode() not in blob and other.encode() not in blob
    else:
        engine = _raw_engine(store, database_settings)
        try:
            with engine.connect() as conn:
                dump = "".join(
                    row
                    for table in ("users", "audit")
                    for row in conn.execute(sa.text(f"SELECT CAST(t AS text) FROM {table} t"))
                    .scalars()
                    .all()
                )
        finally:
            engine.dispose()
        assert "wang" in dump and token not in dump and other not in dump

    with pytest.raises(InputError, match="already exists"):
        store.add_user("wang", "viewer")
    with pytest.raises(InputError, match="unknown role"):
        store.add_user("zhao", "mayor")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        store.add_user("  ", "viewer")
    store.remove_user("wang")
    assert store.authenticate(token) is None
    assert store.authenticate(other) is not None
    with pytest.raises(InputError, match="no user"):
        store.remove_user("wang")


def test_audit_newest_first(store: Store) -> None:
    for i in range(5):
        store.audit(user="wang", role="civil_affairs", action="read", resource=f"households/{i}")
    store.audit(user="li", role="admin", action="write", resource="layers/equipment", detail="v2")
    log = store.audit_log()
    assert [e["resource"] for e in log] == [
        "layers/equipment",
        *(f"households/{i}" for i in reversed(range(5))),
    ]
    assert log[0] == {**log[0], "user": "li", "role": "admin", "action": "write", "detail": "v2"}
    assert all(e["at"].tzinfo is not None for e in log)
    assert [e["id"] for e in store.audit_log(limit=2)] == [e["id"] for e in log[:2]]


# --- inspections --------------------------------------------------------------------------------


def test_inspection_round_trip(store: Store) -> None:
    before = dt.datetime.now(dt.UTC)
    posted = [
        _inspection(0),
        _inspection(
            1,
            target="equipment",
            target_id="E7",
            water_id=None,
            date=dt.date(2026, 6, 1),
            items=[
                ItemFound(kind="rescue_pole", id="E7", condition="missing"),
                ItemFound(kind="warning_sign", condition="ok", lon=112.961, lat=29.805),
            ],
            fence="damaged",
            lon=112.96,
            lat=29.8,
        ),
        _inspection(2, items=[], fence=None, note=""),
    ]
    stored = [store.add_inspection(p, user="wang") for p in posted]
    assert [s.id for s in stored] == sorted({s.id for s in stored})
    for s in stored:
        assert isinstance(s, Inspection) and s.recorded_by == "wang"
        assert before <= s.recorded_at <= dt.datetime.now(dt.UTC)
    listed = store.inspections()
    assert listed == stored
    assert [i.model_dump(include=set(InspectionIn.model_fields)) for i in listed] == [
        p.model_dump() for p in posted
    ]
    assert store.count_inspections() == 3
    assert store.inspections(since=DAY) == [stored[0], stored[2]]
    assert store.inspections(limit=1, offset=1) == [stored[1]]
    assert store.inspections(since=dt.date(2027, 1, 1)) == []


def test_inspection_validation() -> None:
    with pytest.raises(pydantic.ValidationError, match="lon and lat"):
        ItemFound(kind="life_buoy", condition="ok")  # new item without a location
    ItemFound(kind="life_buoy", condition="missing")  # the spot lacks one: no location needed
    with pytest.raises(pydantic.ValidationError, match="lon and lat"):
        ItemFound(kind="life_buoy", condition="missing", lon=113.0)
    with pytest.raises(pydantic.ValidationError, match="import fences"):
        ItemFound(kind="fence", condition="ok", lon=113.0, lat=29.0)
    with pytest.raises(pydantic.ValidationError):
        ItemFound(kind="life_buoy", condition="ok", lon=200.0, lat=29.0)
    with pytest.raises(pydantic.ValidationError):
        ItemFound.model_validate({"kind": "buoy", "id": "E1", "condition": "ok"})
    with pytest.raises(pydantic.ValidationError):
        _inspection(inspector=" ")
    with pytest.raises(pydantic.ValidationError):
        _inspection(note="长" * 2001)
    with pytest.raises(pydantic.ValidationError):
        _inspection(lon=113.0)
    with pytest.raises(pydantic.ValidationError):
        InspectionIn.model_validate({**_inspection().model_dump(), "unknown": 1})
    schema = InspectionIn.model_json_schema()
    InspectionIn.model_validate(schema["examples"][0])  # the /docs example is valid


def test_equipment_records_update_the_equipment_layer(
    store: Store, frames: dict[str, gpd.GeoDataFrame]
) -> None:
    assert list(store.equipment_records().columns) == list(RECORD_COLUMNS)
    assert apply_patrol_records(frames["equipment"], store.equipment_records()).equals(
        apply_patrol_records(frames["equipment"], pd.DataFrame(columns=list(RECORD_COLUMNS)))
    )
    first = store.add_inspection(
        _inspection(
            1,
            date=dt.date(2026, 7, 2),
            items=[
                ItemFound(kind="life_buoy", id="E1", condition="damaged"),
                ItemFound(kind="warning_sign", condition="ok", lon=112.9601, lat=29.805),
            ],
        ),
        user="wang",
    )
    store.add_inspection(
        _inspection(
            2,
            date=dt.date(2026, 7, 9),
            items=[
                ItemFound(kind="life_buoy", id="E1", condition="ok"),
                ItemFound(kind="rescue_rope", condition="missing"),  # lacking: no equipment change
            ],
        ),
        user="wang",
    )
    records = store.equipment_records()
    assert list(records.columns) == list(RECORD_COLUMNS)
    assert list(records["id"]) == ["E1", f"insp{first.id}-2", "E1"]
    assert list(records["condition"]) == ["damaged", "ok", "ok"]
    assert list(records["water_id"]) == ["W1"] * 3
    assert records.loc[1, "lon"] == 112.9601 and np.isnan(records.loc[0, "lon"])

    updated = apply_patrol_records(frames["equipment"], records)
    e1 = updated.loc[updated["id"] == "E1"].iloc[0]
    assert e1["condition"] == "ok"  # the later inspection wins
    assert pd.Timestamp(e1["last_inspected"]) == pd.Timestamp("2026-07-09")
    new = updated.loc[updated["id"] == f"insp{first.id}-2"].iloc[0]
    assert (new["kind"], new["condition"], new["water_id"]) == ("warning_sign", "ok", "W1")
    assert new.geometry.equals(Point(112.9601, 29.805))
    assert store.equipment_records().equals(records)  # stable ids


def test_next_risk_analysis_reflects_an_inspection(
    store: Store, frames: dict[str, gpd.GeoDataFrame]
) -> None:
    from analysis.risk import assess_risk
    from geo.layers import Layers

    def spots(equipment: gpd.GeoDataFrame) -> pd.DataFrame:
        layers = Layers.from_dict({**frames, "equipment": equipment}).to_metric()
        result = assess_risk(layers, settings=Settings(), date=DAY)
        return result.spots.set_index("spot_id")

    before = spots(frames["equipment"])
    guarded = before.index[before["has_life_buoy"]]
    assert len(guarded) and not before.loc[guarded, "has_warning_sign"].any()
    e1 = frames["equipment"].geometry.iloc[0]
    store.add_inspection(
        _inspection(
            items=[
                ItemFound(kind="life_buoy", id="E1", condition="missing"),
                ItemFound(kind="warning_sign", condition="ok", lon=e1.x, lat=e1.y),
            ]
        ),
        user="wang",
    )
    after = spots(apply_patrol_records(frames["equipment"], store.equipment_records()))
    assert not after["has_life_buoy"].any()  # the buoy was found missing
    assert after.loc[guarded, "has_warning_sign"].all()  # the new sign counts


# --- layers -------------------------------------------------------------------------------------


def _layer(n: int = 4) -> gpd.GeoDataFrame:
    geoms = [
        Point(112.95, 29.8),
        LineString([(112.95, 29.8), (112.96, 29.81)]),
        box(112.95, 29.8, 112.96, 29.81),
        None,
    ]
    frame = gpd.GeoDataFrame(
        {
            "id": [f"F{i}" for i in range(n)],
            "name": (["东村小学", None, "清水河", "x"] * n)[:n],
            "pupils": np.arange(n, dtype="int64") * 10,
            "area": ([1.5, np.nan, 2.25, 1e-7] * n)[:n],
            "open": ([True, False] * n)[:n],
            "counted": pd.array(([1, None, 3, 4] * n)[:n], dtype="Int64"),
            "visited": pd.to_datetime((["2026-05-01", None, "2026-01-10 08:30", "2025-12-31"] * n)[:n], format="ISO8601"),
            "stamp": pd.to_datetime((["2026-05-01T08:00+08:00", None] * n)[:n], utc=True).tz_convert("Asia/Shanghai"),
            "opened": pd.Series(([dt.date(2020, 9, 1), None] * n)[:n], dtype=object),
        },
        geometry=(geoms * n)[:n],
        crs="EPSG:4326",
    )  # fmt: skip
    return frame.rename_geometry("geom_wgs84")


def test_layer_round_trip(store: Store) -> None:
    assert store.read_layers() == {} and store.layer_versions() == {}
    frame = _layer()
    assert store.replace_layer("schools", frame, user="li") == 1
    back = store.read_layers()["schools"]
    assert back.crs.to_epsg() == 4326
    assert list(back.columns) == list(frame.columns)
    assert_geodataframe_equal(back, frame, check_dtype=True, check_index_type=True)

    # A new version replaces it; an input in another CRS is stored in WGS84.
    metric = _layer(2).to_crs("EPSG:32649")
    assert store.replace_layer("schools", metric, user="li") == 2
    store.replace_layer("waters", frame.iloc[:0], user="li")
    assert store.layer_versions() == {"schools": 2, "waters": 1}
    layers = store.read_layers()
    assert len(layers["schools"]) == 2 and len(layers["waters"]) == 0
    assert list(layers["waters"].columns) == list(frame.columns)
    got = layers["schools"].geometry.iloc[1]
    assert got.equals_exact(frame.geometry.iloc[1], tolerance=1e-9)
    with store._engine.connect() as conn:  # the view QGIS can open: latest versions only
        current = conn.execute(
            sa.text(
                "SELECT layer, version, COUNT(*) FROM current_layer_features GROUP BY layer, version"
            )
        ).all()
    assert sorted(map(tuple, current)) == [("schools", 2, 2)]


def test_replace_layer_is_atomic(store: Store) -> None:
    store.replace_layer("households", _layer(), user="li")
    revision = store.revision()
    bad = _layer(2600)
    bad["note"] = pd.Series(["ok"] * 2599 + [object()], dtype=object)  # fails in the third chunk
    with pytest.raises(InputError, match=r"column 'note', row 2600"):
        store.replace_layer("households", bad, user="li")
    inf = _layer()
    inf.loc[1, "area"] = np.inf
    with pytest.raises(InputError, match="finite"):
        store.replace_layer("households", inf, user="li")
    with pytest.raises(InputError, match="no CRS"):
        store.replace_layer("households", _layer().set_crs(None, allow_override=True), user="li")
    with pytest.raises(InputError, match="layer name"):
        store.replace_layer("house holds; drop", _layer(), user="li")
    assert store.layer_versions() == {"households": 1}
    assert store.revision() == revision
    assert_geodataframe_equal(store.read_layers()["households"], _layer())
    assert store.replace_layer("households", _layer(3), user="li") == 2  # still writable


def test_old_layer_versions_are_pruned(store: Store) -> None:
    # the last keep_layer_versions (3) versions keep their features; older ones lose them at
    # the next import, but their import records stay; another layer is untouched
    assert store.keep_layer_versions == 3
    store.replace_layer("waters", _layer(2), user="li")
    for n in range(1, 6):
        assert store.replace_layer("households", _layer(n), user="li") == n
    with store._engine.connect() as conn:
        kept = conn.execute(
            sa.text(
                "SELECT layer, version, COUNT(*) FROM layer_features GROUP BY layer, version "
                "ORDER BY layer, version"
            )
        ).all()
        records = conn.execute(
            sa.text("SELECT COUNT(*) FROM layers WHERE name = 'households'")
        ).scalar_one()
    assert [tuple(r) for r in kept] == [
        ("households", 3, 3),
        ("households", 4, 4),
        ("households", 5, 5),
        ("waters", 1, 2),
    ]
    assert records == 5
    assert len(store.read_layers()["households"]) == 5


def test_revision_strictly_increases(store: Store) -> None:
    seen = [store.revision()]
    store.add_inspection(_inspection(), user="a")
    seen.append(store.revision())
    store.replace_layer("equipment", _layer(), user="a")
    seen.append(store.revision())
    store.add_inspection(_inspection(1), user="a")
    seen.append(store.revision())
    assert seen == sorted(set(seen)) and len(seen) == 4
    store.audit(user="a", role="admin", action="read", resource="x")  # reads and users: no change
    store.add_user("a", "admin")
    assert store.revision() == seen[-1]


# --- concurrency and durability ------------------------------------------------------------------


def test_50_concurrent_writers_all_land(
    database_settings: DatabaseSettings, tmp_path: Path
) -> None:
    """50 writers x 100 inspections; on SQLite each writer has its own store (busy lock)."""
    workspace = tmp_path / "ws"
    main = Store.open(database_settings, workspace)
    n_threads, per_thread = 50, 100
    sqlite = main.backend == "sqlite"
    stores = (
        [Store.open(database_settings, workspace) for _ in range(n_threads)]
        if sqlite
        else [main] * n_threads
    )
    ids: list[list[int]] = [[] for _ in range(n_threads)]
    errors: list[BaseException] = []
    start = threading.Barrier(n_threads)

    def write(k: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                ids[k].append(
                    stores[k].add_inspection(_inspection(i, inspector=f"w{k}"), user=f"w{k}").id
                )
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(n_threads)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for s in set(stores) | {main}:
            s.close()
    assert not errors, errors[:3]
    every = [i for chunk in ids for i in chunk]
    assert len(every) == len(set(every)) == n_threads * per_thread
    with Store.open(database_settings, workspace) as store:
        assert store.count_inspections() == n_threads * per_thread
        assert store.revision() == n_threads * per_thread
        stored = store.inspections()
        assert {i.id for i in stored} == set(every)
        assert len(store.equipment_records()) == n_threads * per_thread
        by_writer = {f"w{k}": [] for k in range(n_threads)}  # type: dict[str, list[str]]
        for rec in stored:
            by_writer[rec.inspector].append(rec.target_id)
        assert all(v == [f"S{i}" for i in range(per_thread)] for v in by_writer.values())


_WRITER = """
import datetime as dt, pathlib, sys
from geo.settings import DatabaseSettings
from geo.storage import InspectionIn, ItemFound, Store

workspace, url, count, name = sys.argv[1], sys.argv[2] or None, int(sys.argv[3]), sys.argv[4]
store = Store.open(DatabaseSettings(url=url), pathlib.Path(workspace))
print("ready", flush=True)
for i in range(count):
    record = InspectionIn(
        target="spot", target_id=f"S{i}", date=dt.date(2026, 7, 15), inspector=name,
        items=[ItemFound(kind="life_buoy", id=f"E{i}", condition="damaged")],
    )
    print(store.add_inspection(record, user=name).id, flush=True)
store.close()
"""


def _writer(
    workspace: Path, settings: DatabaseSettings, count: int, name: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(workspace), settings.url or "", str(count), name],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


ACKNOWLEDGED = 50  # inspections each writer acknowledges before it is killed


def test_processes_race_then_sigkill_loses_nothing_acknowledged(
    database_settings: DatabaseSettings, tmp_path: Path
) -> None:
    """Two processes open the same empty database at once (concurrent migration), write
    concurrently (on SQLite: the busy lock between processes) and are killed with SIGKILL
    mid-stream; every inspection a writer acknowledged is there after a restart."""
    workspace = tmp_path / "ws"
    procs = [_writer(workspace, database_settings, 1_000_000, f"p{k}") for k in range(2)]
    acknowledged: list[list[int]] = [[] for _ in procs]
    failures: list[str] = []

    def read(k: int) -> None:
        out = procs[k].stdout
        assert out is not None
        for line in out:  # a line cut off by the kill has no newline: not acknowledged
            if line.endswith("\n") and line.strip() != "ready":
                acknowledged[k].append(int(line))

    readers = [threading.Thread(target=read, args=(k,)) for k in range(len(procs))]
    for r in readers:
        r.start()
    deadline = time.monotonic() + 120
    try:
        while min(len(a) for a in acknowledged) < ACKNOWLEDGED and time.monotonic() < deadline:
            for p in procs:
                if p.poll() is not None:
                    failures.append(p.stderr.read() if p.stderr else f"exit {p.returncode}")
            if failures:
                break
            time.sleep(0.05)
    finally:
        for p in procs:
            p.send_signal(signal.SIGKILL)
        for p in procs:
            p.wait(timeout=30)
            if p.stderr:
                p.stderr.close()
        for r in readers:
            r.join(timeout=30)
        for p in procs:
            if p.stdout:
                p.stdout.close()
    assert not failures, failures[0]
    assert all(p.returncode == -signal.SIGKILL for p in procs)
    assert all(len(a) >= ACKNOWLEDGED for a in acknowledged), [len(a) for a in acknowledged]
    every = [i for a in acknowledged for i in a]
    assert len(every) == len(set(every))
    with Store.open(database_settings, workspace) as store:
        stored = {i.id: i for i in store.inspections()}
        assert set(every) <= set(stored)
        assert all(stored[i].items[0].condition == "damaged" for i in every)
        # at most one unacknowledged (committed, not yet printed) inspection per writer
        assert len(stored) <= len(every) + len(procs)
        store.add_inspection(_inspection(), user="after")  # still writable


# --- command line -------------------------------------------------------------------------------


def test_cli_user_add_list_remove(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli import app

    monkeypatch.delenv("TONGAN_DATABASE_URL", raising=False)
    runner = CliRunner(env={"COLUMNS": "250"})
    ws = ["--workspace", str(tmp_path)]
    result = runner.invoke(app, ["user", "add", "王河长", "--role", "river_chief", *ws])
    assert result.exit_code == 0, result.output
    assert "只显示这一次" in result.output
    token = result.output.splitlines()[1].strip()
    with Store.open(DatabaseSettings(url=None), tmp_path) as store:
        user = store.authenticate(token)
        assert user is not None and user.role == "river_chief"
        assert [e["action"] for e in store.audit_log()] == ["user.add"]

    result = runner.invoke(app, ["user", "add", "王河长", "--role", "viewer", *ws, "--lang", "en"])
    assert result.exit_code == 2 and "already exists" in result.output
    result = runner.invoke(app, ["user", "add", "li", "--role", "mayor", *ws])
    assert result.exit_code == 2
    result = runner.invoke(app, ["user", "list", *ws, "--lang", "en"])
    assert result.exit_code == 0 and "王河长" in result.output and "river_chief" in result.output
    assert token not in result.output
    result = runner.invoke(app, ["user", "remove", "王河长", *ws, "--lang", "en"])
    assert result.exit_code == 0 and "Removed user" in result.output
    result = runner.invoke(app, ["user", "remove", "王河长", *ws])
    assert result.exit_code == 2 and "no user" in result.output
    with Store.open(DatabaseSettings(url=None), tmp_path) as store:
        assert store.authenticate(token) is None and store.users() == []
