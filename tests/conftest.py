"""Shared fixtures: a tiny hand-built study area, small enough to reason about by hand."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pytest

from geo.settings import DatabaseSettings, Settings
from tests.tiny_area import TODAY, X0, Y0, D, tiny_frames  # noqa: F401 (X0, Y0, D: re-exported)

if TYPE_CHECKING:
    from geo.storage import Store


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def frames() -> dict[str, gpd.GeoDataFrame]:
    """Raw layers as a user would supply them (schema names, WGS84)."""
    return tiny_frames()


# --- the workspace database on both back ends (issue 9) ---------------------------------------

#: Set by .ci/postgres.sh (``eval "$(.ci/postgres.sh)"``): a PostGIS database the tests may
#: create schemas in.
POSTGRES_URL_ENV = "TONGAN_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_settings(request: pytest.FixtureRequest) -> Iterator[DatabaseSettings]:
    """Settings of a fresh, empty database: SQLite in the test's workspace, or PostGIS.

    sqlite: ``DatabaseSettings(url=None)``, the file lives in whatever workspace the test opens
    (use ``tmp_path``). postgresql: a new schema in the ``TONGAN_TEST_POSTGRES_URL`` database
    (first on the connection's search_path, PostGIS from ``public``), dropped afterwards. Skipped
    when that variable is unset, except on CI (``CI`` set), where it fails: CI always tests PostGIS.
    """
    if request.param == "sqlite":
        yield DatabaseSettings(url=None)
        return
    base = os.environ.get(POSTGRES_URL_ENV)
    if not base:
        hint = (
            f"{POSTGRES_URL_ENV} is unset and make test found no PostgreSQL; install postgresql "
            'postgresql-postgis (make system), or start one with eval "$(.ci/postgres.sh)"'
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI must test PostgreSQL: {hint}")
        pytest.skip(hint)
    with postgres_schema(base) as settings:
        yield settings


@contextmanager
def postgres_schema(base: str) -> Iterator[DatabaseSettings]:
    """Settings of a new schema in the PostGIS database at ``base``, dropped afterwards."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    url = make_url(base)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(url, poolclass=NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        scoped = url.update_query_dict({"options": f"-csearch_path={schema},public"})
        yield DatabaseSettings(url=scoped.render_as_string(hide_password=False))
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def store(database_settings: DatabaseSettings, tmp_path: Path) -> Iterator[Store]:
    """An open, empty :class:`geo.storage.Store` on each back end (workspace ``tmp_path/workspace``)."""
    from geo.storage import Store

    opened = Store.open(database_settings, tmp_path / "workspace")
    try:
        yield opened
    finally:
        opened.close()
