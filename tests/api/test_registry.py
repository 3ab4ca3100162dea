"""The one analysis contract (issue 17): every front end iterates the registry, the CLI and the
server build the same analysis, and a page builds the road network once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis.registry import analyses
from api.cli import app
from api.data_api import API_PATHS
from api.pages import PAGES, RESULT_COLLECTIONS, Context
from geo.layers import Layers
from geo.settings import Settings
from maps.registry import drawers

DAY = dt.date(2026, 7, 15)


@pytest.fixture(scope="module")
def sample() -> Layers:
    from geo.load import read_layers
    from geo.validate import validate_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, report = validate_layers(read_layers(SAMPLE_PATH), settings=Settings())
    assert report.ok
    return layers


def test_every_front_end_lists_the_registered_analyses() -> None:
    registered = analyses()
    assert list(PAGES) == list(registered)
    assert list(PAGES)[:7] == [
        "risk",
        "coverage",
        "siting",
        "patrol",
        "visits",
        "flood",
        "activities",
    ]
    assert set(registered) <= set(drawers())
    assert set(API_PATHS) == {a.route for a in registered.values() if a.api}
    assert "flood-review" in API_PATHS and "overview" not in API_PATHS
    collections = {c.id for a in registered.values() for c in a.collections}
    assert set(RESULT_COLLECTIONS) == collections >= {"risk_spots", "gap_areas", "chosen_sites"}
    commands = {c.name for c in app.registered_commands}
    assert {
        "risk",
        "coverage",
        "site",
        "flood-review",
        "patrol",
        "visits",
        "activities",
    } <= commands


def test_the_cli_writes_the_tables_the_server_shows(sample: Layers, tmp_path: Path) -> None:
    out = tmp_path / "risk"
    args = ["risk", "--date", DAY.isoformat(), "--authorised", "--lang", "en", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    ctx = Context(sample, Settings(), "en", True, DAY, sample.to_metric())
    page = PAGES["risk"].build(ctx, PAGES["risk"].params(date=DAY))
    assert "reaches" in page.tables  # the server no longer drops it
    for name, frame in page.tables.items():
        written = pd.read_csv(out / f"risk_{name}.csv", encoding="utf-8-sig")
        assert len(written) == len(frame), name


def test_a_page_builds_the_road_network_once(
    sample: Layers, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.network

    calls: list[int] = []
    build = geo.network.build_network

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return build(*args, **kwargs)  # type: ignore[arg-type]

    import analysis.risk

    monkeypatch.setattr(geo.network, "build_network", counting)
    monkeypatch.setattr(analysis.risk, "build_network", counting)
    metric = sample.to_metric()
    ctx = Context(sample, Settings(), "zh", True, DAY, metric)
    PAGES["patrol"].build(ctx, PAGES["patrol"].params(date=DAY))
    assert len(calls) == 1  # the risk spots and the routes share it
    given = Context(sample, Settings(), "zh", True, DAY, metric, network=build(metric.roads))
    PAGES["patrol"].build(given, PAGES["patrol"].params(date=DAY))
    assert len(calls) == 1  # the workspace's network is used as it is
