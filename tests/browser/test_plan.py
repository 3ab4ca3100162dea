"""``tongan plan`` (issue 23): the county's plan in one command, read back as its readers would.

The PDF's pages are rendered back with PDFium; the workbook's tables are compared with those of
the single commands run on the same date, which must be equal (one analysis, two front ends).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from analysis.plan import run_plan
from analysis.registry import Analysis, Inputs, NoParams, analyses, get
from api.cli import app
from geo.errors import LayerError
from geo.load import read_layers
from geo.settings import get_settings
from geo.validate import validate_layers
from sample_layers.generate import SAMPLE_PATH

DATE = "2026-07-15"
runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    get_settings.cache_clear()
    out = tmp_path_factory.mktemp("plan")
    result = runner.invoke(app, ["plan", "--date", DATE, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "已写出" in result.output and "plan.pdf" in result.output
    return out


def test_the_plan_writes_report_pdf_workbook_and_geopackage(plan_dir: Path) -> None:
    for name in ("plan.html", "plan.pdf", "plan.xlsx", "plan.gpkg"):
        assert (plan_dir / name).stat().st_size > 10_000, name
    html = (plan_dir / "plan.html").read_text(encoding="utf-8")
    for analysis in analyses().values():  # a chapter per registered analysis, with its map
        assert analysis.label("zh") in html, analysis.name
        image = plan_dir / "maps" / f"{analysis.name}.png"
        assert image.stat().st_size > 20_000 and f'src="maps/{analysis.name}.png"' in html
    assert "示例县汛期儿童安全工作方案" in html


def test_the_pdf_pages_render_with_numbers_and_the_chapters(plan_dir: Path) -> None:
    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(plan_dir / "plan.pdf")
    pages = len(doc)
    assert pages > len(analyses()) + 2  # cover and contents, a chapter each, the townships
    text = [doc[i].get_textpage().get_text_range() for i in range(pages)]
    assert "示例县汛期儿童安全工作方案" in text[0]
    for n in (1, pages):
        assert f"· {n} / {pages}" in text[n - 1]
    whole = "\n".join(text)
    for analysis in analyses().values():
        assert analysis.label("zh") in whole, analysis.name
    chapter = next(i for i, t in enumerate(text) if get("risk").label("zh") in t and i > 1)
    image = np.asarray(doc[chapter].render(scale=0.4).to_pil().convert("L"))
    assert image.std() > 20, "the risk chapter's page is blank"
    doc.close()


def _sheet(path: Path, name: str) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=name)


def test_the_plans_tables_equal_the_single_commands(plan_dir: Path, tmp_path: Path) -> None:
    for command, sheets in {"risk": ("采购清单", "按乡镇汇总"), "coverage": ("村覆盖",)}.items():
        out = tmp_path / command
        dated = ["--date", DATE] if command == "risk" else []
        result = runner.invoke(app, [command, *dated, "--out", str(out)])
        assert result.exit_code == 0, result.output
        single = out / f"{command}.xlsx"
        for sheet in sheets:
            pd.testing.assert_frame_equal(
                _sheet(plan_dir / "plan.xlsx", sheet), _sheet(single, sheet)
            )


def test_one_failing_analysis_leaves_the_others_with_its_reason() -> None:
    def refuse(inputs: Inputs, params: BaseModel) -> object:
        raise LayerError("activities: column village_code is missing")

    def crash(inputs: Inputs, params: BaseModel) -> object:
        raise ZeroDivisionError

    def contract(name: str, run: object) -> Analysis:
        return Analysis(name=name, title="page_risk_title", question="page_risk_question",
                        params=NoParams, run=run, order=1, tables=lambda r, v: {},
                        figures=lambda r, v: ())  # type: ignore[arg-type]  # fmt: skip

    settings = get_settings()
    sample, _ = validate_layers(read_layers(SAMPLE_PATH), settings=settings)
    inputs = Inputs(sample, sample.to_metric(), settings, dt.date(2026, 7, 15), False)
    plan = run_plan(
        inputs, chosen=[contract("refuses", refuse), get("flood"), contract("crashes", crash)]
    )
    assert [p.ok for p in plan.parts] == [False, True, False]
    assert "village_code is missing" in plan.part("refuses").failure.render("zh")  # type: ignore[union-attr]
    assert "ZeroDivisionError" in plan.part("crashes").failure.render("en")  # type: ignore[union-attr]
    assert plan.part("flood").result.institutions is not None
