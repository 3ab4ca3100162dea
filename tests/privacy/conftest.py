"""A real ``tongan serve`` per back end (SQLite, PostGIS) for the whole privacy suite.

The server serves the embedded sample; its users are made with the command line (``tongan user
add NAME --role ROLE``), as an administrator would. The crawls of each role are made once per
server and shared by the tests.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from geo.layers import Layers
from geo.load import read_layers
from geo.settings import get_settings
from geo.validate import validate_layers
from sample_layers.generate import SAMPLE_PATH
from tests.conftest import POSTGRES_URL_ENV
from tests.live_server import start_server, stop_server
from tests.privacy.attack import Truth
from tests.privacy.crawl import Crawl, Crawler
from tests.privacy.extract import Extent

#: The roles without household access, and the token each uses (None: no token).
ROLES = ("anonymous", "viewer", "river_chief")
#: The PostGIS server's ``map_inline_max_features``: its maps send their layers by URL.
BY_URL_ABOVE = 40
_TOKEN = re.compile(r"^\s*([A-Za-z0-9_\-]{20,})\s*$", re.M)


@dataclass
class Server:
    """A running server, its back end and a token per role."""

    url: str
    backend: str
    tokens: dict[str, str | None]
    env: dict[str, str] = field(default_factory=dict)
    crawls: dict[str, Crawl] = field(default_factory=dict)

    def crawl(self, role: str) -> Crawl:
        """Everything ``role`` gets from the server (crawled once)."""
        if role not in self.crawls:
            crawler = Crawler(self.url, self.tokens[role])
            try:
                self.crawls[role] = crawler.everything()
            finally:
                crawler.close()
        return self.crawls[role]

    def crawler(self, role: str) -> Crawler:
        return Crawler(self.url, self.tokens[role])


def add_user(name: str, role: str, workspace: Path, env: dict[str, str]) -> str:
    """``tongan user add NAME --role ROLE``; returns the token it prints."""
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "user", "add", name, "--role", role,
         "--workspace", str(workspace), "--lang", "en"],
        capture_output=True, text=True, env={**os.environ, **env}, check=True, timeout=120,
    )  # fmt: skip
    match = _TOKEN.search(done.stdout)
    assert match, f"no token in the output of tongan user add: {done.stdout!r}"
    return match.group(1)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend_env(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """The environment selecting a fresh database: SQLite in the workspace, or a PostGIS schema."""
    if request.param == "sqlite":
        yield {}
        return
    base = os.environ.get(POSTGRES_URL_ENV)
    if not base:
        hint = f"{POSTGRES_URL_ENV} is unset; start a local PostGIS"
        if os.environ.get("CI"):
            pytest.fail(f"CI must test PostgreSQL: {hint}")
        pytest.skip(hint)
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    url = make_url(base)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    schema = f"privacy_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url, poolclass=NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        scoped = url.update_query_dict({"options": f"-csearch_path={schema},public"})
        yield {"TONGAN_DATABASE__URL": scoped.render_as_string(hide_password=False)}
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def serve(
    source: Path | None, workspace: Path, env: dict[str, str], backend: str, users: str = "redteam"
) -> Iterator[Server]:
    """Start ``tongan serve`` (the sample, or ``source``) with a viewer and a river chief."""
    workspace.mkdir(parents=True, exist_ok=True)
    tokens: dict[str, str | None] = {"anonymous": None}
    for role in ROLES[1:]:
        tokens[role] = add_user(f"{users}_{role}", role, workspace, env)
    args = [str(source)] if source else []
    proc, url = start_server(*args, workspace=workspace, env=env)
    try:
        yield Server(url, backend, tokens, env)
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def server(
    backend_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The sample served on the back end of ``backend_env``.

    The PostGIS server sends every map layer of more than ``BY_URL_ABOVE`` features by URL (with
    its popup file), as a county's maps do; the SQLite one writes the sample's layers into the
    map HTML, as the sample's maps do: the crawls cover both ways a map carries its layers.
    """
    backend = "postgresql" if backend_env else "sqlite"
    env = {
        **backend_env,
        **({"TONGAN_MAP_INLINE_MAX_FEATURES": str(BY_URL_ABOVE)} if backend_env else {}),
    }
    yield from serve(None, tmp_path_factory.mktemp(f"ws_{backend}"), env, backend)


@pytest.fixture(scope="session")
def sample() -> Layers:
    layers, _ = validate_layers(read_layers(SAMPLE_PATH), settings=get_settings())
    return layers


@pytest.fixture(scope="session")
def truth(sample: Layers) -> Truth:
    return Truth.of(sample, get_settings().privacy.cell_m)


@pytest.fixture(scope="session")
def extent(sample: Layers) -> Extent:
    x0, y0, x1, y1 = sample.areas.to_crs(4326).total_bounds
    pad = 0.05
    return Extent(x0 - pad, y0 - pad, x1 + pad, y1 + pad)
