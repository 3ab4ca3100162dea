"""Issue 15: the command line's files written without ``--authorised`` (``--no-authorised`` for
``tongan visits``, whose default is the children's director's view) and ``tongan province``'s
outputs give no household away either. Every file of every output folder is attacked."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import shapely
from typer.testing import CliRunner

from api.cli import app
from geo.layers import Layers
from geo.settings import get_settings
from tests.privacy.attack import ATTACKS, Truth, attack, score
from tests.privacy.extract import Extent, geometries_of

KINDS = {".html": "html", ".gpkg": "gpkg", ".xlsx": "xlsx", ".csv": "csv", ".gpx": "gpx",
         ".geojson": "geojson", ".json": "json", ".parquet": "parquet"}  # fmt: skip
DATE = "2026-07-15"


def _commands(sample: Layers) -> dict[str, list[str]]:
    ws = sample.facilities.sort_values("kind", key=lambda k: k.ne("township_workstation"))
    start = ws.to_crs(4326).geometry.iloc[0]
    village = str(sample.areas.loc[sample.areas["level"] == "village", "code"].iloc[0])
    return {
        "risk": ["risk", "--date", DATE],
        "coverage": ["coverage"],
        "site": ["site", "-k", "2"],
        "patrol": ["patrol", "--start", f"{start.x:.6f},{start.y:.6f}", "--date", DATE],
        "visits": ["visits", "--village", village, "--date", DATE, "--no-authorised"],
        "flood-review": ["flood-review", "--date", DATE],
        # the plan's report (its tables as HTML), workbook and GeoPackage; the PDF prints the same
        "plan": ["plan", "--date", DATE, "--no-pdf"],
    }


@pytest.fixture(scope="module")
def cli_outputs(sample: Layers, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    runner = CliRunner(env={"COLUMNS": "200"})
    out = {}
    for name, args in _commands(sample).items():
        folder = tmp_path_factory.mktemp(f"cli_{name}")
        result = runner.invoke(app, [*args, "--out", str(folder), "--lang", "en"])
        assert result.exit_code == 0, f"tongan {' '.join(args)}: {result.output}"
        out[name] = folder
    return out


def files_of(folder: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in KINDS:
            yield path, KINDS[path.suffix]


def attack_folder(truth: Truth, extent: Extent, folder: Path) -> tuple[list[str], int]:
    lines, coordinates = [], 0
    for path, kind in files_of(folder):
        shapes = geometries_of(kind, path.read_bytes(), extent)
        coordinates += sum(int(shapely.get_num_coordinates(g)) for g in shapes)
        found = attack(truth, shapes)
        for name in ATTACKS:
            s = score(truth, found.points[name])
            if s.leaks:
                lines.append(f"{path.relative_to(folder.parent)} [{name}]: {s}")
    return lines, coordinates


def test_command_line_files_give_no_household_away(
    cli_outputs: dict[str, Path], truth: Truth, extent: Extent
) -> None:
    lines, coordinates = [], 0
    for name, folder in cli_outputs.items():
        kinds = {k for _, k in files_of(folder)}
        assert kinds, f"tongan {name} wrote no file to attack in {folder}"
        found, n = attack_folder(truth, extent, folder)
        lines.extend(f"tongan {name}: {line}" for line in found)
        coordinates += n
    print(f"{coordinates} coordinates read from the command line's files")
    for line in lines:
        print("  LEAK", line)
    assert coordinates > 5_000
    assert not lines, "households recovered from files written without --authorised:\n" + "\n".join(
        lines
    )


# --- tongan province ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> tuple[Layers, Path]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from synthetic_province import synthetic_province, write_province

    layers = synthetic_province(2, scale=0.004)
    src = write_province(layers, tmp_path_factory.mktemp("province_in"), row_group_rows=700)
    out = tmp_path_factory.mktemp("province_out")
    args = ["province", "--layers", str(src), "--out", str(out), "--workers", "1"]
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, [*args, "--date", DATE, "--lang", "en"])
    assert result.exit_code == 0, result.output
    return layers, out


def test_province_outputs_give_no_household_away(province: tuple[Layers, Path]) -> None:
    layers, out = province
    truth = Truth.of(layers, get_settings().privacy.cell_m)
    x0, y0, x1, y1 = layers.areas.to_crs(4326).total_bounds
    extent = Extent(x0 - 0.05, y0 - 0.05, x1 + 0.05, y1 + 0.05)
    lines, coordinates = attack_folder(truth, extent, out)
    print(
        f"tongan province: {coordinates} coordinates from {len(list(files_of(out)))} files; {len(truth.households)} households"
    )
    assert coordinates > 100, f"tongan province wrote too little to attack: {list(files_of(out))}"
    assert not lines, "households recovered from tongan province's outputs:\n" + "\n".join(lines)
