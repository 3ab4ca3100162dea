"""Issue 22: ``tongan init`` on an OSM extract, a roster filled in, then every analysis.

The extract is ``tests/data/osm/village.osm`` (hand-written: a township boundary, two village
place nodes, waters, roads, schools, facilities). The roster carries names, ID numbers and a
phone number; none of them may reach the database or any output file.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from api.cli import app
from geo.load import read_layers
from geo.settings import DatabaseSettings
from geo.storage import Store
from geo.validate import validate_layers
from tests.geo.test_roster import id_number

runner = CliRunner(env={"COLUMNS": "250"})
VILLAGE = Path(__file__).parents[1] / "data" / "osm" / "village.osm"
NAMES = ("张三丰", "李四娘", "王五郎")
IDS = (id_number("43062620100101001"), id_number("43062620130202002"))
PHONE = "13812345678"
SECRETS = (*NAMES, *IDS, PHONE)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("init") / "county"
    result = runner.invoke(app, ["init", "--osm", str(VILLAGE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_init_writes_layers_templates_and_says_villages_are_approximate(folder: Path) -> None:
    assert sorted(p.name for p in folder.glob("*.gpkg")) == [
        "areas.gpkg", "facilities.gpkg", "roads.gpkg", "schools.gpkg", "waters.gpkg",
    ]  # fmt: skip
    areas = read_layers(folder)["areas"]
    assert sorted(zip(areas["name"], areas["level"], strict=True)) == [
        ("东山村", "village"), ("和平村", "village"), ("长寿镇", "township"),
    ]  # fmt: skip
    assert set(areas.loc[areas["level"] == "village", "parent_code"]) == {"way/901"}
    # the two Voronoi cells tile the township: equal area sums (EPSG:32649, UTM 49N)
    metric = areas.to_crs(32649).set_index("level").area
    assert metric["village"].sum() == pytest.approx(metric["township"], rel=1e-9)
    book = openpyxl.load_workbook(folder / "templates" / "households.xlsx")
    sheet = book["填写"]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["户编号", "村(社区)", "儿童数", "留守儿童数", "困境儿童数"]
    assert sheet["A2"].value == "示例"
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["B2:B5000"] == "=选项!$B$2:$B$3"
    assert [book["选项"]["B2"].value, book["选项"]["B3"].value] == ["东山村", "和平村"]
    facilities = openpyxl.load_workbook(folder / "templates" / "facilities.xlsx")["填写"]
    assert [c.value for c in facilities[1]][-2:] == ["经度", "纬度"]
    assert facilities["C2"].value == "儿童之家"


def test_validate_lists_what_is_still_missing(folder: Path) -> None:
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("[错误]")]
    assert len(errors) == 1 and errors[0].startswith("[错误] households: 缺少必需图层")
    assert "templates/households.xlsx" in errors[0]


def test_init_refuses_a_folder_with_data(folder: Path) -> None:
    result = runner.invoke(app, ["init", "--osm", str(VILLAGE), "--out", str(folder)])
    assert result.exit_code == 2 and "nothing of yours is overwritten" in result.output


def _fill_roster(folder: Path, dest: Path) -> Path:
    """Copy the workspace, and fill the households template as a civil-affairs office would."""
    dest.mkdir()
    for path in folder.glob("*.gpkg"):
        (dest / path.name).write_bytes(path.read_bytes())
    template = pd.read_excel(folder / "templates" / "households.xlsx", sheet_name="填写")
    rows = pd.DataFrame(
        {
            "村(社区)": ["和平", "东山村委会", "和平村"],
            "儿童数": [2, 1, 3],
            "留守儿童数": [1, 1, 2],
            "困境儿童数": [0, 1, 1],
            "孤儿数": [0, 1, 0],
            "低保特困儿童数": [0, 0, 1],
            "姓名": list(NAMES),
            "身份证号": [IDS[0], "", IDS[1]],
            "备注": ["", f"奶奶电话 {PHONE}", ""],
        }
    )
    pd.concat([template, rows], ignore_index=True).to_excel(dest / "households.xlsx", index=False)
    return dest


def _no_secret_in(root: Path) -> None:
    files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".xlsx":  # zipped XML: read the cells
            book = openpyxl.load_workbook(path, read_only=True)
            cells = [str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row]
            data = "\n".join(cells).encode("utf-8")
            assert data, path.name
        for secret in SECRETS:
            assert secret.encode("utf-8") not in data, (path.name, secret)
            assert secret.encode("utf-16-le") not in data, (path.name, secret)


def test_roster_then_every_analysis_runs_and_nothing_personal_is_kept(
    folder: Path, tmp_path: Path
) -> None:
    source = _fill_roster(folder, tmp_path / "county")
    result = runner.invoke(app, ["validate", str(source), "--out", str(tmp_path / "v.gpkg")])
    assert result.exit_code == 0, result.output
    assert "已删除 3 个个人信息列" in result.output and "位置为估算" in result.output
    outputs = tmp_path / "outputs"
    for args in (
        ["coverage", "--out", str(outputs / "coverage")],
        ["risk", "--out", str(outputs / "risk"), "--date", "2026-07-01"],
        ["site", "--out", str(outputs / "site"), "-k", "1"],
        ["flood-review", "--out", str(outputs / "flood"), "--date", "2026-07-01"],
        ["patrol", "--start", "113.5,28.711", "--out", str(outputs / "patrol")],
        ["visits", "--village", "node/911", "--out", str(outputs / "visits")],
    ):
        run = runner.invoke(app, [args[0], str(source), *args[1:]])
        assert run.exit_code == 0, (args[0], run.output)
        assert "Traceback" not in run.output
        for secret in SECRETS:
            assert secret not in run.output, (args[0], secret)
    cover = runner.invoke(app, ["coverage", str(source), "--out", str(outputs / "c2")])
    assert "估算" in cover.output  # the coverage notes say the locations are estimated
    risk = runner.invoke(app, ["risk", str(source), "--out", str(outputs / "r2")])
    assert "3 户没有坐标,位置按所在村的道路估算" in risk.output
    # the database: store the validated households, read them back, and read the file's bytes
    layers, report = validate_layers(read_layers(source))
    assert report.ok
    workspace = tmp_path / "ws"
    with Store.open(DatabaseSettings(url=None), workspace) as store:
        store.replace_layer("households", layers.households, user="test")
        back = store.read_layers()["households"]
    assert back["location_estimated"].astype(bool).all() and len(back) == 3
    assert back["village_code"].tolist() == ["node/911", "node/912", "node/911"]
    for secret in SECRETS:
        assert secret not in back.to_csv()
    _no_secret_in(workspace)
    _no_secret_in(outputs)
    _no_secret_in(tmp_path / "v.gpkg")
