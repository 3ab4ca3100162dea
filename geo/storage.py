"""The workspace database: inspection records, imported layers, users and the audit log (issue 9).

Two back ends behind one :class:`Store`:

* **embedded** (default): one SQLite file in the workspace (``tongan.sqlite``) in WAL mode with
  ``synchronous=FULL``, so a write is on disk when it returns and readers never block the writer;
  writers take the lock up front (``BEGIN IMMEDIATE``) and wait up to ``busy_timeout_ms`` for it.
* **production**: PostgreSQL + PostGIS, chosen by ``TONGAN_DATABASE_URL``
  (``postgresql+psycopg://user:password@host:5432/db``). Imported layers are stored with a real
  ``geometry(Geometry,4326)`` column and a GiST index, so QGIS opens ``layer_features`` directly.

The schema is created and migrated by Alembic (``geo/migrations``) whenever a store is opened,
inside one locked transaction, so two processes may open the same database at once.

Examples
--------
>>> import tempfile, pathlib
>>> from geo.settings import DatabaseSettings
>>> with Store.open(DatabaseSettings(url=None), pathlib.Path(tempfile.mkdtemp())) as store:
...     token = store.add_user("wang", "river_chief")
...     store.authenticate(token).role
'river_chief'
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import hashlib
import hmac
import json
import math
import os
import random
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import sqlalchemy as sa
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.types import UserDefinedType

from geo.bounds import FREE_TEXT, NO_CONTROL, BoundedDate
from geo.errors import InputError, TonganError
from geo.i18n import tr
from geo.patrol_checks import PatrolCheckIn, PlannedStop, StoredPatrolCheck
from geo.schemas import CONDITIONS, EQUIPMENT_KINDS, EQUIPMENT_POINT_KINDS
from geo.settings import DatabaseSettings
from geo.settings import Role as Role
from geo.visit_records import Visit, VisitChecklist, VisitIn

__all__ = [
    "AuditEntry",
    "DatabaseError",
    "Inspection",
    "InspectionIn",
    "ItemFound",
    "Login",
    "Role",
    "Session",
    "Store",
    "User",
    "csrf_of",
    "default_workspace",
]

Backend = Literal["sqlite", "postgresql"]
#: Kinds of equipment an inspection can find (``geo.schemas.EQUIPMENT_KINDS``).
EquipmentKind = Literal[
    "warning_sign", "life_buoy", "rescue_rope", "rescue_pole", "rescue_cabinet", "fence"
]
#: Condition an item is found in (``geo.schemas.CONDITIONS``).
Condition = Literal["ok", "damaged", "missing"]
FenceState = Literal["ok", "damaged", "missing", "none"]
ROLES: tuple[str, ...] = get_args(Role)

if get_args(EquipmentKind) != EQUIPMENT_KINDS or get_args(Condition) != CONDITIONS:
    raise RuntimeError("EquipmentKind and Condition must list geo.schemas' values")

#: Columns of :meth:`Store.equipment_records`, the input of ``analysis.patrol.apply_patrol_records``.
RECORD_COLUMNS = ("id", "condition", "date", "kind", "lon", "lat", "water_id")
_LAYER_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_CHUNK = 1000  # features inserted per statement
_MIGRATION_LOCK = threading.Lock()  # Alembic's context and op proxies are process-global
_PG_MIGRATION_LOCK_KEY = 7_241_961  # pg_advisory_xact_lock key serialising schema migrations
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: Alembic's version table, named apart from other applications' in a shared database.
VERSION_TABLE = "tongan_alembic_version"


def default_workspace() -> Path:
    """The folder of the embedded database: ``TONGAN_WORKSPACE``, else ``./tongan-workspace``.

    Returns
    -------
    pathlib.Path
        An absolute path (resolved against the current directory); it need not exist yet.
    """
    return Path(os.environ.get("TONGAN_WORKSPACE") or "tongan-workspace").absolute()


class DatabaseError(TonganError):
    """The database cannot be reached, is busy, or lacks PostGIS (HTTP 503)."""

    status = 503


# --- records -----------------------------------------------------------------------------------


class ItemFound(BaseModel):
    """One four-ones item (or rescue cabinet, or fence) checked or newly installed.

    Three cases: an item of the equipment layer (``id``), a newly installed one (no id; ``lon``
    and ``lat``), or an item the spot lacks altogether (no id, no location, ``missing``): the
    last is kept in the record but changes no equipment.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: EquipmentKind = Field(description="Kind of item (the equipment layer's kinds).")
    id: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        pattern=NO_CONTROL,
        description="Equipment id when the item is already in the equipment layer; omit for a new one.",
    )
    condition: Condition = Field(description="Condition found: ok, damaged or missing.")
    lon: float | None = Field(
        None, ge=-180, le=180, description="Longitude (WGS84) of a newly installed item."
    )
    lat: float | None = Field(
        None, ge=-90, le=90, description="Latitude (WGS84) of a newly installed item."
    )

    @model_validator(mode="after")
    def _located(self) -> ItemFound:
        if (self.lon is None) != (self.lat is None):
            msg = "give both lon and lat, or neither"
            raise ValueError(msg)
        if self.id is None and self.lon is not None and self.kind not in EQUIPMENT_POINT_KINDS:
            msg = f"a new item located by a point must be one of {list(EQUIPMENT_POINT_KINDS)}; import fences as a layer"
            raise ValueError(msg)
        if self.id is None and self.lon is None and self.condition != "missing":
            msg = "an item not in the equipment layer (no id) needs its location: lon and lat (WGS84); only a missing one may have neither"
            raise ValueError(msg)
        return self


_EXAMPLE: dict[str, JsonValue] = {
    "target": "spot",
    "target_id": "W1-r3",
    "water_id": "W1",
    "date": "2026-07-15",
    "inspector": "王河长",
    "items": [
        {"kind": "life_buoy", "id": "E1", "condition": "damaged"},
        {"kind": "warning_sign", "condition": "ok", "lon": 112.9601, "lat": 29.8052},
    ],
    "fence": "none",
    "note": "救生圈破损, 新装警示牌一块",
}


class InspectionIn(BaseModel):
    """An inspection of a risk spot or an equipment item, as posted to ``POST /api/inspections``."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    target: Literal["spot", "equipment"] = Field(description="What was inspected.")
    target_id: str = Field(
        min_length=1,
        max_length=100,
        pattern=NO_CONTROL,
        description="Id of the risk spot or equipment item.",
    )
    water_id: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        pattern=NO_CONTROL,
        description="The water it lies on (waters.id).",
    )
    date: BoundedDate = Field(description="Date of the inspection (YYYY-MM-DD, 1990-2199).")
    inspector: str = Field(
        min_length=1,
        max_length=100,
        pattern=NO_CONTROL,
        description="Who inspected (name or post).",
    )
    items: list[ItemFound] = Field(
        default_factory=list,
        max_length=200,
        description="Items checked or installed; each updates the equipment layer.",
    )
    fence: FenceState | None = Field(
        None,
        description=(
            "State of the fence, none if there is none. It is given to the fence lines within "
            "equipment_radius_m of where the inspection was: lon/lat, else its first item with "
            "a location, else its first item named by id."
        ),
    )
    note: str = Field(
        "", max_length=2000, pattern=FREE_TEXT, description="Free text (line breaks allowed)."
    )
    lon: float | None = Field(None, ge=-180, le=180, description="Where (WGS84), when known.")
    lat: float | None = Field(None, ge=-90, le=90, description="Where (WGS84), when known.")

    @model_validator(mode="after")
    def _checked(self) -> InspectionIn:
        if not self.inspector.strip():
            msg = "inspector must not be blank"
            raise ValueError(msg)
        if (self.lon is None) != (self.lat is None):
            msg = "give both lon and lat, or neither"
            raise ValueError(msg)
        return self


class Inspection(InspectionIn):
    """A stored inspection: the posted record with its id and who recorded it when."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {**_EXAMPLE, "id": 1, "recorded_at": "2026-07-15T09:30:00Z", "recorded_by": "wang"}
            ]
        }
    )

    id: int = Field(description="Id given by the database, increasing in recorded order.")
    recorded_at: dt.datetime = Field(description="When it was stored (UTC).")
    recorded_by: str = Field(description="User who posted it.")


@dataclass(frozen=True)
class AuditEntry:
    """An audit log entry, written in the transaction of the write it records.

    For a stored inspection the store appends the new id to ``resource``
    (``/api/inspections/17``), so every stored inspection has its entry, even when the server is
    killed right after the commit.
    """

    user: str
    role: str
    action: str
    resource: str
    detail: str = ""


@dataclass(frozen=True)
class User:
    """A user of the API; the token itself is never stored, only its SHA-256."""

    name: str
    role: Role
    created_at: dt.datetime
    area: str | None = None
    has_password: bool = False


@dataclass(frozen=True)
class Login:
    """The outcome of a password check (:meth:`Store.check_password`).

    ``user`` is the user when the password was right; ``locked_until`` is set when the user is
    locked (then even the right password is refused until that time, UTC).
    """

    user: User | None
    locked_until: dt.datetime | None = None


@dataclass(frozen=True)
class Session:
    """A browser session: its user, when it ends, and the SHA-256 of its CSRF token."""

    user: User
    expires_at: dt.datetime
    csrf_sha256: str


# --- tables -------------------------------------------------------------------------------------


class _PostGISGeometry(UserDefinedType[bytes]):
    """``geometry(Geometry,4326)``, written from and read as WKB."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "geometry(Geometry,4326)"

    def bind_expression(self, bindvalue: Any) -> Any:
        return sa.func.ST_GeomFromWKB(bindvalue, 4326)

    def column_expression(self, colexpr: Any) -> Any:
        return sa.func.ST_AsBinary(colexpr, type_=self)


@dataclass
class _Tables:
    revision: sa.Table
    users: sa.Table
    sessions: sa.Table
    audit: sa.Table
    inspections: sa.Table
    items: sa.Table
    layers: sa.Table
    features: sa.Table
    visits: sa.Table
    patrol_checks: sa.Table

    # Statements built once, so their compiled form is cached (the hot write path).
    @functools.cached_property
    def bump(self) -> sa.Update:
        rev = self.revision
        return (
            sa.update(rev).where(rev.c.id == 1).values(value=rev.c.value + 1).returning(rev.c.value)
        )

    @functools.cached_property
    def insert_inspection(self) -> sa.Insert:
        return sa.insert(self.inspections).returning(self.inspections.c.id)

    @functools.cached_property
    def insert_items(self) -> sa.Insert:
        return sa.insert(self.items)


@functools.cache
def _tables(backend: Backend) -> _Tables:
    """Core tables for queries (the DDL is in ``geo/migrations``)."""
    md = sa.MetaData()
    ident = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    stamp = sa.DateTime(timezone=True)
    layers, features = _layer_tables(md, ident, stamp, backend)
    return _Tables(
        revision=sa.Table(
            "store_revision",
            md,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("value", sa.BigInteger),
            sa.Column("edits", sa.BigInteger),
        ),
        users=sa.Table(
            "users",
            md,
            sa.Column("name", sa.String, primary_key=True),
            sa.Column("role", sa.String),
            sa.Column("token_sha256", sa.String),
            sa.Column("created_at", stamp),
            sa.Column("area", sa.String),
            sa.Column("password_hash", sa.String),
            sa.Column("failed_logins", sa.Integer),
            sa.Column("locked_until", stamp),
        ),
        sessions=_sessions_table(md),
        audit=sa.Table(
            "audit",
            md,
            sa.Column("id", ident, primary_key=True),
            sa.Column("at", stamp),
            sa.Column("user_name", sa.String),
            sa.Column("role", sa.String),
            sa.Column("action", sa.String),
            sa.Column("resource", sa.Text),
            sa.Column("detail", sa.Text),
        ),
        inspections=sa.Table(
            "inspections",
            md,
            sa.Column("id", ident, primary_key=True),
            sa.Column("target", sa.String),
            sa.Column("target_id", sa.String),
            sa.Column("water_id", sa.String),
            sa.Column("date", sa.Date),
            sa.Column("inspector", sa.String),
            sa.Column("fence", sa.String),
            sa.Column("note", sa.Text),
            sa.Column("lon", sa.Float),
            sa.Column("lat", sa.Float),
            sa.Column("recorded_at", stamp),
            sa.Column("recorded_by", sa.String),
        ),
        items=sa.Table(
            "inspection_items",
            md,
            sa.Column("inspection_id", ident, primary_key=True),
            sa.Column("n", sa.Integer, primary_key=True),
            sa.Column("kind", sa.String),
            sa.Column("item_id", sa.String),
            sa.Column("condition", sa.String),
            sa.Column("lon", sa.Float),
            sa.Column("lat", sa.Float),
        ),
        layers=layers,
        features=features,
        visits=_visits_table(md, ident, stamp),
        patrol_checks=_patrol_checks_table(md, ident, stamp),
    )


def _layer_tables(
    md: sa.MetaData, ident: Any, stamp: sa.DateTime, backend: Backend
) -> tuple[sa.Table, sa.Table]:
    """The imported layers' versions and their features."""
    js = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    geom: Any = _PostGISGeometry() if backend == "postgresql" else sa.LargeBinary()
    layers = sa.Table(
        "layers",
        md,
        sa.Column("name", sa.String, primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("imported_at", stamp),
        sa.Column("imported_by", sa.String),
        sa.Column("n_features", sa.Integer),
        sa.Column("columns", js),
    )
    features = sa.Table(
        "layer_features",
        md,
        sa.Column("id", ident, primary_key=True),
        sa.Column("layer", sa.String),
        sa.Column("version", sa.Integer),
        sa.Column("fid", sa.Integer),
        sa.Column("properties", js),
        sa.Column("geom", geom),
    )
    return layers, features


def _visits_table(md: sa.MetaData, ident: Any, stamp: sa.DateTime) -> sa.Table:
    return sa.Table(
        "visits",
        md,
        sa.Column("id", ident, primary_key=True),
        sa.Column("household_id", sa.String),
        sa.Column("kind", sa.String),
        sa.Column("date", sa.Date),
        sa.Column("checklist", sa.Text),
        sa.Column("problems", sa.Text),
        sa.Column("help", sa.Text),
        sa.Column("follow_up", sa.Date),
        sa.Column("lon", sa.Float),
        sa.Column("lat", sa.Float),
        sa.Column("relocate", sa.Boolean),
        sa.Column("recorded_at", stamp),
        sa.Column("recorded_by", sa.String),
        sa.Column("idempotency_key", sa.String),
    )


def _patrol_checks_table(md: sa.MetaData, ident: Any, stamp: sa.DateTime) -> sa.Table:
    counts = ("planned", "visited", "skipped", "red_planned", "red_visited", "unplanned")
    return sa.Table(
        "patrol_checks",
        md,
        sa.Column("id", ident, primary_key=True),
        sa.Column("river_chief", sa.String),
        sa.Column("day", sa.Date),
        *(sa.Column(name, sa.Integer) for name in counts),
        sa.Column("distance_m", sa.Float),
        sa.Column("minutes", sa.Float),
        sa.Column("stops", sa.Text),
        sa.Column("recorded_by", sa.String),
        sa.Column("recorded_at", stamp),
    )


def _sessions_table(md: sa.MetaData) -> sa.Table:
    stamp = sa.DateTime(timezone=True)
    return sa.Table(
        "sessions",
        md,
        sa.Column("id_sha256", sa.String, primary_key=True),
        sa.Column("user_name", sa.String),
        sa.Column("created_at", stamp),
        sa.Column("expires_at", stamp),
        sa.Column("csrf_sha256", sa.String),
    )


# --- helpers ------------------------------------------------------------------------------------


def _storable_layer(name: str, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The layer in WGS84, once its name, CRS and columns are checked (:class:`InputError`)."""
    if not _LAYER_NAME.match(name):
        msg = f"layer name {name!r}: use letters, digits and _ (at most 63, not starting with a digit)"
        raise InputError(msg)
    if frame.crs is None:
        msg = f"layer {name!r} has no CRS; give it one (EPSG:4326 for WGS84) before storing it"
        raise InputError(msg)
    if not frame.columns.is_unique:
        msg = f"layer {name!r} has duplicate column names"
        raise InputError(msg)
    if frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    return frame


def _column_specs(frame: gpd.GeoDataFrame) -> list[dict[str, str]]:
    """``name``, ``kind`` and ``dtype`` of every column, as stored in ``layers.columns``."""
    geometry_name = frame.geometry.name
    specs: list[dict[str, str]] = []
    for col in frame.columns:
        if col == geometry_name:
            specs.append({"name": str(col), "kind": "geometry", "dtype": "geometry"})
        else:
            series = frame[col]
            specs.append(
                {"name": str(col), "kind": _column_kind(series), "dtype": str(series.dtype)}
            )
    return specs


def _feature_rows(
    name: str,
    version: int,
    attributes: list[tuple[str, list[Any], str]],
    wkb: NDArray[np.object_],
    rows: range,
) -> list[dict[str, object]]:
    """The ``layer_features`` rows of the features ``rows``; a value JSON cannot hold raises
    :class:`InputError` naming the column and row."""
    out = []
    for i in rows:
        props: dict[str, object] = {}
        for col, values, kind in attributes:
            try:
                props[col] = _cell(values[i], kind)
            except ValueError as exc:
                msg = f"layer {name!r}, column {col!r}, row {i + 1}: {exc}"
                raise InputError(msg) from None
        out.append(
            {
                "layer": name,
                "version": version,
                "fid": i,
                "properties": props,
                "geom": None if wkb[i] is None else bytes(wkb[i]),
            }
        )
    return out


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime) -> dt.datetime:
    """An aware UTC datetime (SQLite hands back naive UTC, PostgreSQL the session's zone)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_of(session_id: str) -> str:
    """The CSRF token of a session: derived from its secret id, so a page signed in by the
    session cookie can be given it again, and a site without the cookie cannot make it."""
    return hashlib.sha256(b"tongan-csrf:" + session_id.encode("utf-8")).hexdigest()


def _password_hash(password: str | None) -> str | None:
    if password is None:
        return None
    from geo.passwords import hash_password

    return hash_password(password)


def _user(row: Any) -> User:
    """A :class:`User` from a row of ``users``."""
    return User(
        name=row.name,
        role=row.role,
        created_at=_utc(row.created_at),
        area=row.area,
        has_password=row.password_hash is not None,
    )


def _dumps(value: object) -> str:
    """JSON as stored: UTF-8 text (readable Chinese in SQLite), no NaN or Infinity."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _mask(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _normalise_url(raw: str) -> URL:
    try:
        url = make_url(raw)
    except sa_exc.ArgumentError:
        msg = (
            f"TONGAN_DATABASE_URL {raw.split('@')[-1]!r} is not a database URL; use "
            "postgresql+psycopg://user:password@host:5432/dbname (or unset it for the embedded file)"
        )
        raise InputError(msg) from None
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("postgresql", "sqlite"):
        msg = (
            f"unsupported database {_mask(url)}: Tongan stores its data in PostgreSQL + PostGIS "
            "(postgresql+psycopg://...) or in the embedded SQLite file (unset TONGAN_DATABASE_URL)"
        )
        raise InputError(msg)
    return url


def _missing(value: object) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def _jsonable(value: object) -> object:
    """A property value as JSON; raises ValueError for values JSON cannot hold."""
    if _missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating | decimal.Decimal):
        number = float(value)
        if not math.isfinite(number):
            msg = f"{number} is not a finite number"
            raise ValueError(msg)
        return number
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):  # pd.Timestamp is a datetime
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_jsonable(v) for v in value]
    msg = f"a value of type {type(value).__name__} cannot be stored"
    raise ValueError(msg)


def _column_kind(series: pd.Series) -> str:
    """How a column is stored: datetime (ISO strings), date (ISO strings of dt.date) or value."""
    if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(series):
        return "datetime"
    if series.dtype == object:
        present = series.dropna()
        if len(present) and all(
            isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in present
        ):
            return "date"
    return "value"


def _cell(value: object, kind: str) -> object:
    if kind in ("datetime", "date"):
        return None if _missing(value) else value.isoformat()  # type: ignore[attr-defined]
    return _jsonable(value)


def _restore(values: list[object], spec: Mapping[str, str]) -> pd.Series:
    """The column as it was written, from its stored values and recorded dtype."""
    kind, dtype = spec["kind"], spec["dtype"]
    if kind == "date":
        return pd.Series(
            [None if v is None else dt.date.fromisoformat(str(v)) for v in values], dtype=object
        )
    if kind == "datetime":
        aware = "," in dtype  # datetime64[ns, Asia/Shanghai]
        parsed = pd.Series(
            pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601", utc=aware)
        )
        try:
            return parsed.astype(dtype)
        except (TypeError, ValueError):
            return parsed
    series = pd.Series(values, dtype=object)
    if dtype == "object":
        return series
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):
        return series


def _features_frame(
    columns: Sequence[Mapping[str, str]],
    properties: list[Mapping[str, object]],
    geoms: list[bytes | None],
) -> gpd.GeoDataFrame:
    data: dict[str, pd.Series] = {}
    geometry_name = "geometry"
    for spec in columns:
        name = spec["name"]
        if spec["kind"] == "geometry":
            geometry_name = name
            data[name] = gpd.GeoSeries(
                shapely.from_wkb(np.asarray(geoms, dtype=object)), crs="EPSG:4326"
            )
        else:
            data[name] = _restore([p.get(name) for p in properties], spec)
    return gpd.GeoDataFrame(data, geometry=geometry_name, crs="EPSG:4326")


# --- the store ----------------------------------------------------------------------------------


class Store:
    """The workspace database; open with :meth:`Store.open`, safe to share between threads.

    Every write runs in one transaction and is durable when the method returns.
    """

    def __init__(
        self,
        engine: Engine,
        backend: Backend,
        url: URL,
        *,
        busy_timeout_ms: int = 30_000,
        keep_layer_versions: int = 3,
    ) -> None:
        self.keep_layer_versions = keep_layer_versions
        self._engine = engine
        # Writers on SQLite take the write lock when they begin (BEGIN IMMEDIATE): a deferred
        # transaction that reads first could not wait for the lock and would fail at once.
        self._write_engine = engine.execution_options(tongan_write=True)
        self.backend: Backend = backend
        self._url = url
        self._t = _tables(backend)
        # SQLite has one writer at a time: this store's threads queue here (no polling), other
        # processes and stores wait in SQLite's busy handler.
        self._write_lock = threading.Lock() if backend == "sqlite" else None
        self._busy_timeout_s = busy_timeout_ms / 1000

    @property
    def folder(self) -> Path | None:
        """The folder of the embedded database file (None with PostgreSQL)."""
        if self.backend != "sqlite" or not self._url.database:
            return None
        return Path(self._url.database).parent

    # --- life cycle -----------------------------------------------------------------------------

    @classmethod
    def open(cls, settings: DatabaseSettings, workspace: Path) -> Store:
        """Connect, create or migrate the schema to the latest revision, and return the store.

        Parameters
        ----------
        settings
            ``settings.url`` (``TONGAN_DATABASE_URL``) selects PostgreSQL + PostGIS; unset, the
            embedded SQLite file ``workspace / settings.sqlite_name`` is used (created if needed).
        workspace
            Folder of the embedded database (see :func:`default_workspace`); unused with a URL.

        Returns
        -------
        Store

        Raises
        ------
        DatabaseError
            The database cannot be reached or opened, or PostGIS is not available.
        InputError
            The URL is malformed or names an unsupported database.
        """
        if settings.url:
            url = _normalise_url(settings.url)
        else:
            try:
                workspace.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                msg = f"cannot create the workspace folder {workspace}: {exc.strerror}; choose another with --workspace or TONGAN_WORKSPACE"
                raise DatabaseError(msg) from None
            url = URL.create("sqlite+pysqlite", database=str(workspace / settings.sqlite_name))
        backend: Backend = "postgresql" if url.get_backend_name() == "postgresql" else "sqlite"
        if backend == "sqlite":
            engine = sa.create_engine(url, json_serializer=_dumps)
            _configure_sqlite(engine, settings.busy_timeout_ms)
        else:
            engine = sa.create_engine(
                url,
                json_serializer=_dumps,
                pool_pre_ping=True,
                pool_size=10,
                max_overflow=20,
                connect_args={"connect_timeout": 10, "application_name": "tongan"},
            )
        store = cls(
            engine,
            backend,
            url,
            busy_timeout_ms=settings.busy_timeout_ms,
            keep_layer_versions=settings.keep_layer_versions,
        )
        try:
            store._migrate()
        except BaseException:
            engine.dispose()
            raise
        return store

    def _migrate(self) -> None:
        from alembic.util.exc import CommandError

        try:
            with self._guard("opening"):
                if self.backend == "postgresql":
                    self._ensure_postgis()
                self._retry_while_locked(self._migrate_once)
        except (sa_exc.DatabaseError, CommandError) as exc:
            msg = (
                f"cannot create or migrate the schema of {_mask(self._url)}: {_first_line(exc)}. "
                "Fix: point TONGAN_DATABASE_URL (or --workspace) at a Tongan database, or at an "
                "empty one this user may create tables in (PostgreSQL: a database or schema it owns)"
            )
            raise DatabaseError(msg) from None

    def _retry_while_locked(self, step: Callable[[], None]) -> None:
        """Run ``step``, again after a short random pause while SQLite answers "locked" at once.

        Two processes creating the same new SQLite file can be refused without SQLite's busy
        wait (switching the file to WAL, or a lock that would deadlock); such a refusal is
        retried until ``busy_timeout_ms`` has passed, so opening never fails just for racing.
        """
        deadline = time.monotonic() + self._busy_timeout_s
        while True:
            try:
                step()
                return
            except sa_exc.OperationalError as exc:
                locked = "locked" in str(exc) or "busy" in str(exc)
                if self.backend != "sqlite" or not locked or time.monotonic() > deadline:
                    raise
            time.sleep(random.uniform(0.01, 0.1))

    def _migrate_once(self) -> None:
        from alembic import command
        from alembic.runtime.migration import MigrationContext

        # One transaction holding the write lock (SQLite) or an advisory lock
        # (PostgreSQL): a second process opening at the same time waits, then finds
        # the schema at head.
        with self._write_engine.connect() as conn, conn.begin():
            if self.backend == "postgresql":
                conn.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:key)"),
                    {"key": _PG_MIGRATION_LOCK_KEY},
                )
            context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
            current = set(context.get_current_heads())
            heads, known = _revisions()
            if current == heads:
                return
            if current - known:
                msg = (
                    f"the database {_mask(self._url)} has schema revision "
                    f"{', '.join(sorted(current))}, newer than this version of Tongan "
                    f"knows ({', '.join(sorted(heads))}). Fix: upgrade Tongan"
                )
                raise DatabaseError(msg)
            with _MIGRATION_LOCK:  # Alembic's context and op proxies are global
                command.upgrade(_alembic_config(conn), "head")

    def _ensure_postgis(self) -> None:
        with self._engine.connect() as conn:
            if conn.execute(
                sa.text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
            ).first():
                return
            try:
                conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
                conn.commit()
            except sa_exc.DBAPIError as exc:
                msg = (
                    f"the database {_mask(self._url)} lacks the PostGIS extension and this user "
                    f"may not create it ({_first_line(exc)}). Fix: install PostGIS on the server "
                    "(Debian: apt-get install postgresql-postgis) and, as a superuser, run "
                    "CREATE EXTENSION postgis; in that database"
                )
                raise DatabaseError(msg) from None

    def close(self) -> None:
        """Close every pooled connection (the store is unusable afterwards)."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def describe(self) -> str:
        """The database URL with its password masked (for logs and ``tongan serve``)."""
        return _mask(self._url)

    def __repr__(self) -> str:
        return f"Store({self.describe()!r})"

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """Turn driver errors about the connection or lock into a DatabaseError with the fix."""
        try:
            yield
        except (sa_exc.OperationalError, sa_exc.InterfaceError) as exc:
            detail = _first_line(exc)
            if self.backend == "sqlite":
                fix = (
                    "another program may hold the database lock for too long (raise "
                    "TONGAN_DATABASE__BUSY_TIMEOUT_MS), or the workspace folder is not writable"
                    if "locked" in detail or "busy" in detail
                    else "check that the workspace folder exists and is writable"
                )
            else:
                fix = (
                    "check that PostgreSQL is running and reachable and that TONGAN_DATABASE_URL "
                    "(user, password, host, port, database) is right, or unset it to use the "
                    "embedded SQLite file"
                )
            msg = f"database error while {doing} {_mask(self._url)}: {detail}. Fix: {fix}"
            raise DatabaseError(msg) from None

    @contextmanager
    def _write(self, doing: str) -> Iterator[Connection]:
        lock = self._write_lock
        if lock is not None and not lock.acquire(timeout=self._busy_timeout_s):
            msg = f"the database {_mask(self._url)} stayed busy for {self._busy_timeout_s:g} s while {doing} it; try again"
            raise DatabaseError(msg)
        try:
            with self._guard(doing), self._write_engine.begin() as conn:
                yield conn
        finally:
            if lock is not None:
                lock.release()

    @contextmanager
    def _read(self, doing: str) -> Iterator[Connection]:
        with self._guard(doing), self._engine.connect() as conn:
            yield conn

    def _bump(self, conn: Connection, *, edit: bool = False) -> int:
        """Increase the revision in the writing transaction; it is visible with the write only.

        On PostgreSQL the row stays locked until commit, which orders the writers. ``edit``
        also counts a correction or withdrawal of a stored record (:meth:`edits`).
        """
        if edit:
            rev = self._t.revision
            conn.execute(sa.update(rev).where(rev.c.id == 1).values(edits=rev.c.edits + 1))
        return int(conn.execute(self._t.bump).scalar_one())

    def edits(self) -> int:
        """How many times a stored inspection was corrected or withdrawn (a cache key)."""
        return self.state()[1]

    def state(self) -> tuple[int, int]:
        """The revision and the edit count (:meth:`edits`), read together."""
        rev = self._t.revision
        with self._read("reading the revision of") as conn:
            row = conn.execute(sa.select(rev.c.value, rev.c.edits).where(rev.c.id == 1)).one()
        return int(row.value), int(row.edits)

    def revision(self) -> int:
        """A number that increases with every inspection and layer import (a cache key)."""
        rev = self._t.revision
        with self._read("reading the revision of") as conn:
            return int(conn.execute(sa.select(rev.c.value).where(rev.c.id == 1)).scalar_one())

    # --- users ----------------------------------------------------------------------------------

    def add_user(
        self, name: str, role: Role, *, area: str | None = None, password: str | None = None
    ) -> str:
        """Create a user and return its token; only the token's SHA-256 is stored.

        Parameters
        ----------
        name
            Unique user name (1-100 characters).
        role
            One of :data:`geo.settings.Role` (what each may do: :data:`geo.access.ROLE_TABLE`).
        area
            The user's area code (checked against the areas layer by the caller,
            :func:`geo.access.check_area`); None: the whole study area.
        password
            A password to sign in from the browser with (only its Argon2id hash is stored);
            None: the user signs in with the token only.

        Returns
        -------
        str
            The token, shown this once: it cannot be recovered later.

        Raises
        ------
        InputError
            The name is blank, too long or taken, or the role is unknown.
        """
        name = _user_name(name)
        if role not in ROLES:
            msg = f"unknown role {role!r}; choose one of {', '.join(ROLES)}"
            raise InputError(msg)
        token = secrets.token_urlsafe(32)
        users = self._t.users
        try:
            with self._write("adding a user to") as conn:
                conn.execute(
                    sa.insert(users).values(
                        name=name,
                        role=role,
                        token_sha256=_hash_token(token),
                        created_at=_now(),
                        area=area,
                        password_hash=_password_hash(password),
                        failed_logins=0,
                    )
                )
        except sa_exc.IntegrityError:
            msg = f"a user named {name!r} already exists; remove it first or choose another name"
            raise InputError(msg) from None
        return token

    def remove_user(self, name: str) -> None:
        """Delete a user; its token stops working at once.

        Raises
        ------
        InputError
            No such user.
        """
        users = self._t.users
        with self._write("removing a user from") as conn:
            conn.execute(sa.delete(self._t.sessions).where(self._t.sessions.c.user_name == name))
            gone = conn.execute(sa.delete(users).where(users.c.name == name)).rowcount
        if not gone:
            msg = f"no user named {name!r}"
            raise InputError(msg)

    def users(self) -> list[User]:
        """Every user, by name."""
        users = self._t.users
        with self._read("listing the users of") as conn:
            rows = conn.execute(sa.select(users).order_by(users.c.name)).all()
        return [_user(r) for r in rows]

    def authenticate(self, token: str) -> User | None:
        """The user a token belongs to, or None (unknown or removed user)."""
        if not token:
            return None
        digest = _hash_token(token)
        users = self._t.users
        with self._read("checking a token against") as conn:
            row = conn.execute(sa.select(users).where(users.c.token_sha256 == digest)).first()
        if row is None or not hmac.compare_digest(row.token_sha256, digest):
            return None
        return _user(row)

    # --- passwords and sessions (issue 18) ------------------------------------------------------

    def set_password(self, name: str, password: str) -> None:
        """Set (or replace) a user's password and unlock it; its sessions end.

        Raises
        ------
        InputError
            No such user.
        """
        users = self._t.users
        with self._write("setting a password in") as conn:
            done = conn.execute(
                sa.update(users)
                .where(users.c.name == name)
                .values(password_hash=_password_hash(password), failed_logins=0, locked_until=None)
            ).rowcount
            conn.execute(sa.delete(self._t.sessions).where(self._t.sessions.c.user_name == name))
        if not done:
            msg = f"no user named {name!r}"
            raise InputError(msg)

    def check_password(
        self, name: str, password: str, *, max_failures: int, lockout: dt.timedelta
    ) -> Login:
        """Check a user's password, counting failures; lock the user after ``max_failures``.

        An unknown user, a user without a password and a wrong password all give
        ``Login(None)`` (after the same hashing work, so timing does not tell them apart); a
        locked user gets ``Login(None, locked_until)`` whatever the password.
        """
        from geo.passwords import verify_nothing, verify_password

        users = self._t.users
        with self._read("checking a password against") as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name)).first()
        if row is None or row.password_hash is None:
            verify_nothing(password)
            return Login(None)
        now = _now()
        if row.locked_until is not None and _utc(row.locked_until) > now:
            verify_nothing(password)
            return Login(None, _utc(row.locked_until))
        right = verify_password(row.password_hash, password)
        with self._write("counting a sign-in in") as conn:
            if right:
                values: dict[str, Any] = {"failed_logins": 0, "locked_until": None}
            elif (row.failed_logins or 0) + 1 >= max_failures:
                values = {"failed_logins": 0, "locked_until": now + lockout}
            else:
                values = {"failed_logins": users.c.failed_logins + 1}
            conn.execute(sa.update(users).where(users.c.name == name).values(**values))
        if right:
            return Login(_user(row))
        return Login(None, values.get("locked_until"))

    def create_session(self, name: str, *, lifetime: dt.timedelta) -> tuple[str, str]:
        """Open a browser session for ``name``: its id and its CSRF token (:func:`csrf_of` the id).

        Only their SHA-256 is stored; expired sessions of every user are deleted here.
        """
        session_id = secrets.token_urlsafe(32)
        csrf = csrf_of(session_id)
        now = _now()
        sessions = self._t.sessions
        with self._write("opening a session in") as conn:
            conn.execute(sa.delete(sessions).where(sessions.c.expires_at <= now))
            conn.execute(
                sa.insert(sessions).values(
                    id_sha256=_hash_token(session_id),
                    user_name=name,
                    created_at=now,
                    expires_at=now + lifetime,
                    csrf_sha256=_hash_token(csrf),
                )
            )
        return session_id, csrf

    def session(self, session_id: str) -> Session | None:
        """The open session ``session_id`` belongs to, or None (unknown, ended or expired)."""
        if not session_id:
            return None
        digest = _hash_token(session_id)
        sessions, users = self._t.sessions, self._t.users
        query = (
            sa.select(users, sessions.c.expires_at, sessions.c.csrf_sha256, sessions.c.id_sha256)
            .join(users, users.c.name == sessions.c.user_name)
            .where(sessions.c.id_sha256 == digest)
        )
        with self._read("reading a session from") as conn:
            row = conn.execute(query).first()
        if row is None or not hmac.compare_digest(row.id_sha256, digest):
            return None
        expires = _utc(row.expires_at)
        if expires <= _now():
            return None
        return Session(_user(row), expires, row.csrf_sha256)

    def end_session(self, session_id: str) -> None:
        """End a session (signing out); an unknown id is no error."""
        sessions = self._t.sessions
        with self._write("ending a session in") as conn:
            conn.execute(sa.delete(sessions).where(sessions.c.id_sha256 == _hash_token(session_id)))

    # --- audit ----------------------------------------------------------------------------------

    def audit(self, *, user: str, role: str, action: str, resource: str, detail: str = "") -> None:
        """Append one entry to the audit log (every write and every household-level read)."""
        with self._write("writing the audit log of") as conn:
            self._audit(conn, AuditEntry(user, role, action, resource, detail))

    def _audit(self, conn: Connection, entry: AuditEntry | None, resource: str = "") -> None:
        """Write ``entry`` in the caller's transaction (``resource`` replaces its resource)."""
        if entry is None:
            return
        conn.execute(
            sa.insert(self._t.audit).values(
                at=_now(),
                user_name=entry.user,
                role=entry.role,
                action=entry.action,
                resource=resource or entry.resource,
                detail=entry.detail,
            )
        )

    def audit_log(self, *, limit: int = 100) -> list[dict[str, Any]]:
        """The latest audit entries, newest first: id, at (UTC), user, role, action, resource, detail."""
        audit = self._t.audit
        with self._read("reading the audit log of") as conn:
            rows = conn.execute(sa.select(audit).order_by(audit.c.id.desc()).limit(limit)).all()
        return [
            {
                "id": int(r.id),
                "at": _utc(r.at),
                "user": r.user_name,
                "role": r.role,
                "action": r.action,
                "resource": r.resource,
                "detail": r.detail,
            }
            for r in rows
        ]

    # --- inspections ----------------------------------------------------------------------------

    def add_inspection(
        self, record: InspectionIn, *, user: str, audit: AuditEntry | None = None
    ) -> Inspection:
        """Store an inspection (see :meth:`record_inspection`, which also gives the revision)."""
        return self.record_inspection(record, user=user, audit=audit)[0]

    def record_inspection(
        self, record: InspectionIn, *, user: str, audit: AuditEntry | None = None
    ) -> tuple[Inspection, int]:
        """Store an inspection, its items and its audit entry in one transaction.

        Durable when it returns. The revision is raised first: on PostgreSQL its row lock orders
        the writers, so inspection ids commit in increasing order and a reader that has seen id
        ``n`` has seen every id below it (what :meth:`inspection_frames` ``after`` relies on).

        Parameters
        ----------
        record
            The inspection as posted.
        user
            Name of the user who posts it.
        audit
            The audit entry of the request; its resource gets ``/{id}`` appended.

        Returns
        -------
        Inspection, int
            The stored record with its id, ``recorded_at`` and ``recorded_by``, and the revision
            its transaction committed.
        """
        recorded_at = _now()
        with self._write("storing an inspection in") as conn:
            revision = self._bump(conn)
            new_id = self._insert_inspection(conn, record, user=user, recorded_at=recorded_at)
            if audit is not None:
                self._audit(conn, audit, f"{audit.resource}/{new_id}")
        stored = Inspection(
            **record.model_dump(), id=int(new_id), recorded_at=recorded_at, recorded_by=user
        )
        return stored, revision

    def _insert_inspection(
        self,
        conn: Connection,
        record: InspectionIn,
        *,
        user: str,
        recorded_at: dt.datetime,
        inspection_id: int | None = None,
    ) -> int:
        t = self._t
        values = {
            "target": record.target,
            "target_id": record.target_id,
            "water_id": record.water_id,
            "date": record.date,
            "inspector": record.inspector,
            "fence": record.fence,
            "note": record.note,
            "lon": record.lon,
            "lat": record.lat,
            "recorded_at": recorded_at,
            "recorded_by": user,
        }
        if inspection_id is None:
            new_id = int(conn.execute(t.insert_inspection, values).scalar_one())
        else:
            new_id = inspection_id
            conn.execute(
                sa.update(t.inspections).where(t.inspections.c.id == new_id).values(**values)
            )
            conn.execute(sa.delete(t.items).where(t.items.c.inspection_id == new_id))
        if record.items:
            conn.execute(
                t.insert_items,
                [
                    {
                        "inspection_id": new_id,
                        "n": n,
                        "kind": item.kind,
                        "item_id": item.id,
                        "condition": item.condition,
                        "lon": item.lon,
                        "lat": item.lat,
                    }
                    for n, item in enumerate(record.items, start=1)
                ],
            )
        return new_id

    def inspection(self, inspection_id: int) -> Inspection | None:
        """The stored inspection with this id, or None."""
        t = self._t
        with self._read("reading an inspection of") as conn:
            row = conn.execute(
                sa.select(t.inspections).where(t.inspections.c.id == inspection_id)
            ).first()
            items = conn.execute(
                sa.select(t.items)
                .where(t.items.c.inspection_id == inspection_id)
                .order_by(t.items.c.n)
            ).all()
        return None if row is None else _inspection(row, [_item(i) for i in items])

    def replace_inspection(
        self, inspection_id: int, record: InspectionIn, *, audit: AuditEntry | None = None
    ) -> Inspection | None:
        """Correct a stored inspection (same id, author and time); None if there is none.

        The revision and the edit count rise in the same transaction, with the audit entry.
        """
        t = self._t
        with self._write("correcting an inspection in") as conn:
            self._bump(conn, edit=True)
            head = conn.execute(
                sa.select(t.inspections.c.recorded_at, t.inspections.c.recorded_by).where(
                    t.inspections.c.id == inspection_id
                )
            ).first()
            if head is None:
                conn.rollback()
                return None
            self._insert_inspection(
                conn,
                record,
                user=head.recorded_by,
                recorded_at=head.recorded_at,
                inspection_id=inspection_id,
            )
            self._audit(conn, audit)
        return Inspection(
            **record.model_dump(),
            id=inspection_id,
            recorded_at=_utc(head.recorded_at),
            recorded_by=head.recorded_by,
        )

    def delete_inspection(self, inspection_id: int, *, audit: AuditEntry | None = None) -> bool:
        """Withdraw a stored inspection and its items; False if there is none.

        The audit entry (written in the same transaction) keeps what was withdrawn: give the
        record as JSON in its ``detail``.
        """
        t = self._t
        with self._write("withdrawing an inspection from") as conn:
            self._bump(conn, edit=True)
            conn.execute(sa.delete(t.items).where(t.items.c.inspection_id == inspection_id))
            gone = conn.execute(
                sa.delete(t.inspections).where(t.inspections.c.id == inspection_id)
            ).rowcount
            if not gone:
                conn.rollback()
                return False
            self._audit(conn, audit)
        return True

    # --- visits ----------------------------------------------------------------------------------

    def record_visit(
        self,
        record: VisitIn,
        *,
        user: str,
        key: str | None = None,
        audit: AuditEntry | None = None,
    ) -> tuple[Visit, bool]:
        """Store a home visit or contact with its audit entry, once per ``key``.

        The revision and the edit count rise in the transaction (a visit changes the households
        layer: the server rebuilds its snapshot). A record whose ``key`` is stored already is
        not stored again: the stored one is returned (a phone resending what it made offline).

        Returns
        -------
        Visit, bool
            The stored record, and whether this call stored it (False: the key's earlier one).

        Raises
        ------
        InputError
            (409) The key belongs to another user's record.
        """
        v = self._t.visits
        with self._write("storing a visit in") as conn:
            self._bump(conn, edit=True)  # first: its row lock orders writers of the same key
            if key is not None:
                row = conn.execute(sa.select(v).where(v.c.idempotency_key == key)).first()
                if row is not None:
                    conn.rollback()
                    if row.recorded_by != user:
                        raise InputError(tr("visit_key_taken", "zh"), status=409)
                    return _visit(row), False
            values = {
                **record.model_dump(exclude={"checklist"}),
                "checklist": _dumps(record.checklist.model_dump(exclude_none=True)),
                "recorded_at": _now(),
                "recorded_by": user,
                "idempotency_key": key,
            }
            new_id = int(conn.execute(sa.insert(v).returning(v.c.id), values).scalar_one())
            if audit is not None:
                self._audit(conn, audit, f"{audit.resource}/{new_id}")
        return Visit(
            **record.model_dump(), id=new_id, recorded_at=values["recorded_at"], recorded_by=user
        ), True

    def visits(
        self, *, households: Sequence[str] | None = None, limit: int | None = None
    ) -> list[Visit]:
        """Stored visits in recorded order, of these households only when given."""
        v = self._t.visits
        query = sa.select(v).order_by(v.c.id)
        if households is not None:
            query = query.where(v.c.household_id.in_(list(households)))
        if limit is not None:
            query = query.limit(limit)
        with self._read("reading the visits of") as conn:
            return [_visit(r) for r in conn.execute(query).all()]

    def visit(self, visit_id: int) -> Visit | None:
        """The stored visit with this id, or None."""
        v = self._t.visits
        with self._read("reading the visits of") as conn:
            row = conn.execute(sa.select(v).where(v.c.id == visit_id)).first()
        if row is None:
            return None
        return _visit(row)

    def visit_with_key(self, key: str, *, user: str) -> Visit | None:
        """The visit stored under ``key``, when ``user`` stored it (None: no such record).

        Raises
        ------
        InputError
            (409) The key belongs to another user's record.
        """
        v = self._t.visits
        with self._read("reading the visits of") as conn:
            row = conn.execute(sa.select(v).where(v.c.idempotency_key == key)).first()
        if row is None:
            return None
        if row.recorded_by != user:
            raise InputError(tr("visit_key_taken", "zh"), status=409)
        return _visit(row)

    def visit_frame(self) -> pd.DataFrame:
        """Every stored visit as a frame of :data:`geo.visit_records.VISIT_COLUMNS` and the
        ``problems`` found (the supervisor's open problems)."""
        v = self._t.visits
        with self._read("reading the visits of") as conn:
            rows = conn.execute(
                sa.select(
                    v.c.id,
                    v.c.household_id,
                    v.c.kind,
                    v.c.date,
                    v.c.checklist,
                    v.c.lon,
                    v.c.lat,
                    v.c.relocate,
                    v.c.problems,
                ).order_by(v.c.id)
            ).all()
        return pd.DataFrame(
            {
                "visit_id": pd.Series([int(r.id) for r in rows], dtype="int64"),
                "household_id": pd.Series([r.household_id for r in rows], dtype=object),
                "kind": pd.Series([r.kind for r in rows], dtype=object),
                "date": pd.to_datetime(pd.Series([r.date for r in rows], dtype=object)),
                "checklist": pd.Series([json.loads(r.checklist) for r in rows], dtype=object),
                "lon": pd.Series([r.lon for r in rows], dtype="float64"),
                "lat": pd.Series([r.lat for r in rows], dtype="float64"),
                "relocate": pd.Series([bool(r.relocate) for r in rows], dtype=bool),
                "problems": pd.Series([r.problems for r in rows], dtype=object),
            }
        )

    # --- patrol checks -------------------------------------------------------------------------

    def record_patrol_check(
        self, check: PatrolCheckIn, *, user: str, audit: AuditEntry | None = None
    ) -> StoredPatrolCheck:
        """Store what a patrol check found, with its audit entry; a check of the same river
        chief and day replaces the earlier one (which keeps its id).

        The revision does not rise: a check changes no layer.
        """
        t = self._t.patrol_checks
        values = {
            "river_chief": check.river_chief,
            "day": check.day,
            "planned": check.planned,
            "visited": check.visited,
            "skipped": check.skipped,
            "red_planned": check.red_planned,
            "red_visited": check.red_visited,
            "unplanned": check.unplanned,
            "distance_m": check.distance_m,
            "minutes": check.minutes,
            "stops": _dumps([s.model_dump() for s in check.stops]),
            "recorded_by": user,
            "recorded_at": _now(),
        }
        dialect = postgresql if self.backend == "postgresql" else sqlite
        insert = dialect.insert(t).values(values)
        kept = {"id", "river_chief", "day"}
        upsert = insert.on_conflict_do_update(
            index_elements=[t.c.river_chief, t.c.day],
            set_={c.name: insert.excluded[c.name] for c in t.columns if c.name not in kept},
        ).returning(t.c.id)
        with self._write("storing a patrol check in") as conn:
            new_id = int(conn.execute(upsert).scalar_one())
            if audit is not None:
                self._audit(conn, audit, f"{audit.resource}/{new_id}")
        return StoredPatrolCheck(
            **check.model_dump(),
            id=new_id,
            recorded_by=user,
            recorded_at=values["recorded_at"],
        )

    def patrol_checks(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        chiefs: Sequence[str] | None = None,
    ) -> list[StoredPatrolCheck]:
        """Stored patrol checks by day and river chief: of the days from ``since`` to ``until``
        (inclusive) and of these chiefs only, when given."""
        t = self._t.patrol_checks
        query = sa.select(t).order_by(t.c.day, t.c.river_chief)
        if since is not None:
            query = query.where(t.c.day >= since)
        if until is not None:
            query = query.where(t.c.day <= until)
        if chiefs is not None:
            query = query.where(t.c.river_chief.in_(list(chiefs)))
        with self._read("reading the patrol checks of") as conn:
            return [_patrol_check(r) for r in conn.execute(query).all()]

    def _inspection_filter(
        self, since: dt.date | None, limit: int | None, offset: int
    ) -> sa.Select[tuple[Any, ...]]:
        ins = self._t.inspections
        query = sa.select(ins).order_by(ins.c.id)
        if since is not None:
            query = query.where(ins.c.date >= since)
        if offset:
            query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return query

    def inspections(
        self, *, since: dt.date | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Inspection]:
        """Stored inspections in recorded order, optionally from a date on, a page at a time.

        Parameters
        ----------
        since
            Only inspections dated on or after this day.
        limit, offset
            Paging: at most ``limit`` records after skipping ``offset``.
        """
        t = self._t
        page = self._inspection_filter(since, limit, offset).subquery()
        with self._read("reading the inspections of") as conn:
            rows = conn.execute(sa.select(page).order_by(page.c.id)).all()
            items = conn.execute(
                sa.select(t.items)
                .where(t.items.c.inspection_id.in_(sa.select(page.c.id)))
                .order_by(t.items.c.inspection_id, t.items.c.n)
            ).all()
        found: dict[int, list[ItemFound]] = {}
        for it in items:
            found.setdefault(int(it.inspection_id), []).append(_item(it))
        return [_inspection(r, found.get(int(r.id), [])) for r in rows]

    def count_inspections(self) -> int:
        """How many inspections are stored."""
        ins = self._t.inspections
        with self._read("counting the inspections of") as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(ins)).scalar_one())

    def record_frames(self, *, after: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The inspections with an id above ``after`` and their items, as two frames.

        Returns
        -------
        heads, items
            ``heads``: one row per inspection in id order, columns ``inspection_id``, ``target``,
            ``target_id``, ``water_id``, ``date`` (datetime64), ``fence``, ``lon``, ``lat``.
            ``items``: one row per item in id and item order, columns ``inspection_id``, ``n``
            (from 1), ``item_id``, ``kind``, ``condition``, ``lon``, ``lat``.
        """
        t = self._t
        ins, items = t.inspections, t.items
        with self._read("reading the inspections of") as conn:
            heads = conn.execute(
                sa.select(
                    ins.c.id,
                    ins.c.target,
                    ins.c.target_id,
                    ins.c.water_id,
                    ins.c.date,
                    ins.c.fence,
                    ins.c.lon,
                    ins.c.lat,
                )
                .where(ins.c.id > after)
                .order_by(ins.c.id)
            ).all()
            rows = conn.execute(
                sa.select(items)
                .where(items.c.inspection_id > after)
                .order_by(items.c.inspection_id, items.c.n)
            ).all()
        head_frame = pd.DataFrame(
            {
                "inspection_id": pd.Series([int(h.id) for h in heads], dtype="int64"),
                "target": pd.Series([h.target for h in heads], dtype=object),
                "target_id": pd.Series([h.target_id for h in heads], dtype=object),
                "water_id": pd.Series([h.water_id for h in heads], dtype=object),
                "date": pd.to_datetime(pd.Series([h.date for h in heads], dtype=object)),
                "fence": pd.Series([h.fence for h in heads], dtype=object),
                "lon": pd.Series([h.lon for h in heads], dtype="float64"),
                "lat": pd.Series([h.lat for h in heads], dtype="float64"),
            }
        )
        item_frame = pd.DataFrame(
            {
                "inspection_id": pd.Series([int(r.inspection_id) for r in rows], dtype="int64"),
                "n": pd.Series([int(r.n) for r in rows], dtype="int64"),
                "item_id": pd.Series([r.item_id for r in rows], dtype=object),
                "kind": pd.Series([r.kind for r in rows], dtype=object),
                "condition": pd.Series([r.condition for r in rows], dtype=object),
                "lon": pd.Series([r.lon for r in rows], dtype="float64"),
                "lat": pd.Series([r.lat for r in rows], dtype="float64"),
            }
        )
        return head_frame, item_frame

    def equipment_records(self) -> pd.DataFrame:
        """Every item found, in recorded order, as ``analysis.patrol.apply_patrol_records`` takes
        it (:func:`patrol_input` of :meth:`record_frames`)."""
        return patrol_input(*self.record_frames())

    def fence_records(self) -> pd.DataFrame:
        """Every inspection that stated a fence, in recorded order, as
        ``analysis.patrol.apply_fence_records`` takes it (:func:`fence_input`)."""
        return fence_input(*self.record_frames())

    # --- imported layers ------------------------------------------------------------------------

    def replace_layer(
        self, name: str, frame: gpd.GeoDataFrame, *, user: str, audit: AuditEntry | None = None
    ) -> int:
        """Store a new version of an imported layer, atomically: on any error nothing changes.

        The features of versions older than the last ``keep_layer_versions`` are deleted in the
        same transaction (their rows in ``layers``, who imported what when, stay).

        Parameters
        ----------
        name
            Layer name (letters, digits, underscore; e.g. ``equipment``).
        frame
            The validated layer; reprojected to WGS84 (EPSG:4326) if in another CRS. Attribute
            values are stored as JSON: datetimes and dates as ISO strings, NaN/None/NaT as null.
        user
            Who imports it.
        audit
            The audit entry of the import, written in the same transaction.

        Returns
        -------
        int
            The layer's new version number (1 for the first import).

        Raises
        ------
        InputError
            A bad name, a frame without CRS, duplicate column names, or a value JSON cannot hold
            (the error names the column and row).
        """
        frame = _storable_layer(name, frame)
        specs = _column_specs(frame)
        attributes = [
            (str(c), frame[c].tolist(), s["kind"])
            for c, s in zip(frame.columns, specs, strict=True)
            if s["kind"] != "geometry"
        ]
        wkb = shapely.to_wkb(frame.geometry.to_numpy(), output_dimension=2)
        t = self._t
        with self._write("storing a layer in") as conn:
            self._bump(conn)
            latest = conn.execute(
                sa.select(sa.func.max(t.layers.c.version)).where(t.layers.c.name == name)
            ).scalar_one()
            version = int(latest or 0) + 1
            conn.execute(
                sa.insert(t.layers).values(
                    name=name,
                    version=version,
                    imported_at=_now(),
                    imported_by=user,
                    n_features=len(frame),
                    columns=specs,
                )
            )
            # Rows are converted chunk by chunk inside the transaction: a bad value anywhere
            # rolls back every chunk already inserted.
            for start in range(0, len(frame), _CHUNK):
                stop = min(start + _CHUNK, len(frame))
                rows = _feature_rows(name, version, attributes, wkb, range(start, stop))
                conn.execute(sa.insert(t.features), rows)
            conn.execute(
                sa.delete(t.features).where(
                    t.features.c.layer == name,
                    t.features.c.version <= version - self.keep_layer_versions,
                )
            )
            self._audit(conn, audit)
        return version

    def layer_versions(self) -> dict[str, int]:
        """The latest version number of each imported layer."""
        layers = self._t.layers
        with self._read("reading the layers of") as conn:
            rows = conn.execute(
                sa.select(layers.c.name, sa.func.max(layers.c.version)).group_by(layers.c.name)
            ).all()
        return {str(name): int(version) for name, version in rows}

    def read_layers(self) -> dict[str, gpd.GeoDataFrame]:
        """The latest version of every imported layer, in WGS84, with its columns as imported."""
        t = self._t
        out: dict[str, gpd.GeoDataFrame] = {}
        with self._read("reading the layers of") as conn:
            latest = (
                sa.select(t.layers.c.name, sa.func.max(t.layers.c.version).label("version"))
                .group_by(t.layers.c.name)
                .subquery()
            )
            heads = conn.execute(
                sa.select(t.layers.c.name, t.layers.c.version, t.layers.c.columns)
                .join(
                    latest,
                    sa.and_(
                        latest.c.name == t.layers.c.name, latest.c.version == t.layers.c.version
                    ),
                )
                .order_by(t.layers.c.name)
            ).all()
            for head in heads:
                rows = conn.execute(
                    sa.select(t.features.c.properties, t.features.c.geom)
                    .where(t.features.c.layer == head.name, t.features.c.version == head.version)
                    .order_by(t.features.c.fid)
                ).all()
                out[head.name] = _features_frame(
                    head.columns,
                    [r.properties for r in rows],
                    [None if r.geom is None else bytes(r.geom) for r in rows],
                )
        return out


# --- module helpers -----------------------------------------------------------------------------


def patrol_input(heads: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """The items of :meth:`Store.record_frames` as ``analysis.patrol.apply_patrol_records`` takes them.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``condition``, ``date``, ``kind``, ``lon``, ``lat``, ``water_id`` (the
        inspection's water). A newly installed item (no id) gets the stable id
        ``insp{inspection id}-{item number}``, so every later record can refer to it. Items
        with neither id nor location (found missing) change no equipment and are left out.
    """
    used = items[items["item_id"].notna() | items["lon"].notna()]
    head = heads.set_index("inspection_id")
    generated = "insp" + used["inspection_id"].astype(str) + "-" + used["n"].astype(str)
    return pd.DataFrame(
        {
            "id": used["item_id"].where(used["item_id"].notna(), generated).astype(object),
            "condition": used["condition"].astype(object),
            "date": pd.to_datetime(head["date"].reindex(used["inspection_id"]).to_numpy()),
            "kind": used["kind"].astype(object),
            "lon": used["lon"].astype("float64"),
            "lat": used["lat"].astype("float64"),
            "water_id": head["water_id"].reindex(used["inspection_id"]).to_numpy(dtype=object),
        },
        columns=list(RECORD_COLUMNS),
    ).reset_index(drop=True)


def fence_input(heads: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """The inspections stating a fence, as ``analysis.patrol.apply_fence_records`` takes them.

    Returns
    -------
    pandas.DataFrame
        Columns ``fence`` (ok / damaged / missing / none), ``date``, ``lon``, ``lat`` (where
        the inspection was, else where its first located item is; NaN when neither) and
        ``item_id`` (its first item naming an equipment id, to locate it by that item).
    """
    fenced = heads[heads["fence"].notna()]
    located = items[items["lon"].notna() & items["lat"].notna()].drop_duplicates("inspection_id")
    named = items[items["item_id"].notna()].drop_duplicates("inspection_id")
    at = located.set_index("inspection_id")
    ids = fenced["inspection_id"]
    own = fenced["lon"].notna().to_numpy()
    lon = np.where(own, fenced["lon"], at["lon"].reindex(ids).to_numpy())
    lat = np.where(own, fenced["lat"], at["lat"].reindex(ids).to_numpy())
    return pd.DataFrame(
        {
            "fence": fenced["fence"].astype(object).to_numpy(),
            "date": pd.to_datetime(fenced["date"].to_numpy()),
            "lon": lon.astype("float64"),
            "lat": lat.astype("float64"),
            "item_id": named.set_index("inspection_id")["item_id"]
            .reindex(ids)
            .to_numpy(dtype=object),
        },
        columns=["fence", "date", "lon", "lat", "item_id"],
    )


def _visit(row: Any) -> Visit:
    return Visit(
        id=int(row.id),
        household_id=row.household_id,
        kind=row.kind,
        date=row.date,
        checklist=VisitChecklist(**json.loads(row.checklist)),
        problems=row.problems,
        help=row.help,
        follow_up=row.follow_up,
        lon=row.lon,
        lat=row.lat,
        relocate=bool(row.relocate),
        recorded_at=_utc(row.recorded_at),
        recorded_by=row.recorded_by,
    )


def _patrol_check(row: Any) -> StoredPatrolCheck:
    return StoredPatrolCheck(
        id=int(row.id),
        river_chief=row.river_chief,
        day=row.day,
        stops=[PlannedStop(**s) for s in json.loads(row.stops)],
        unplanned=int(row.unplanned),
        distance_m=float(row.distance_m),
        minutes=float(row.minutes),
        recorded_by=row.recorded_by,
        recorded_at=_utc(row.recorded_at),
    )


def _item(row: Any) -> ItemFound:
    return ItemFound(
        kind=row.kind, id=row.item_id, condition=row.condition, lon=row.lon, lat=row.lat
    )


def _inspection(row: Any, items: list[ItemFound]) -> Inspection:
    return Inspection(
        id=int(row.id),
        target=row.target,
        target_id=row.target_id,
        water_id=row.water_id,
        date=row.date,
        inspector=row.inspector,
        items=items,
        fence=row.fence,
        note=row.note,
        lon=row.lon,
        lat=row.lat,
        recorded_at=_utc(row.recorded_at),
        recorded_by=row.recorded_by,
    )


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


def _user_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 100 or any(not c.isprintable() for c in name):
        msg = f"user name {name!r}: give 1 to 100 printable characters"
        raise InputError(msg)
    return name


def _alembic_config(connection: Connection | None = None) -> Any:
    """Alembic's configuration: the scripts in ``geo/migrations``, run on ``connection``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _revisions() -> tuple[set[str], set[str]]:
    """The head revision(s) and every known revision of the migration scripts."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_alembic_config())
    return set(scripts.get_heads()), {s.revision for s in scripts.walk_revisions()}


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, full fsync on commit, foreign keys, a busy wait; explicit BEGIN (IMMEDIATE for writers)."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite would emit its own deferred BEGIN; we begin transactions ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("tongan_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
