"""``tongan site``: choose where to open the next children's homes or stations."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import typer
from rich.table import Table

from analysis.registry import View
from analysis.siting import SitingResult
from api._common import out_console
from api.commands.analyses import CliSpec, Extra, Option, Run
from geo.errors import InputError
from geo.i18n import MESSAGES
from geo.settings import Language, Settings


class ModelChoice(StrEnum):
    mclp = "mclp"
    lscp = "lscp"
    pmedian = "pmedian"


class WeightChoice(StrEnum):
    all = "all"
    left_behind = "left_behind"
    in_difficulty = "in_difficulty"


#: The texts of this command are the catalogue's ``cli_site_*`` messages (geo/messages/cli.py).

_HEADERS: dict[str, dict[str, str]] = {
    "zh": {
        "rank": "序号",
        "site_id": "站点编号",
        "village_code": "村代码",
        "village_name": "村名",
        "source": "来源",
        "gain": "边际增益",
        "households_gained": "新覆盖家庭数",
        "households": "家庭数",
        "weight": "需求权重",
        "covered_before": "新建前覆盖家庭",
        "covered_after": "新建后覆盖家庭",
        "share_before": "新建前覆盖率",
        "share_after": "新建后覆盖率",
        "has_home": "已有儿童之家",
        "snapped": "已接入路网",
        "chosen": "选中",
        "id": "户编号",
        "distance_before": "新建前步行距离",
        "distance_after": "新建后步行距离",
    },
    "en": {},
}


def _t(key: str, lang: Language) -> str:
    return MESSAGES[f"cli_site_{key}"][lang]


def _candidates(result: SitingResult, lang: Language) -> str:
    """How many candidate sites, and how their grid was widened when there were too many."""
    n = len(result.candidates)
    if result.candidates_thinned_from is None or result.candidate_spacing_m is None:
        return f"{n:,}"
    return _t("thinned", lang).format(
        n=n, was=result.candidates_thinned_from, spacing=result.candidate_spacing_m
    )


def _check(options: Mapping[str, Any], settings: Settings) -> None:
    candidates = options.get("candidates")
    if candidates is not None and not candidates.exists():
        msg = f"--candidates {candidates} does not exist; give a points file"
        raise InputError(msg)


def _read_candidates(path: Path) -> gpd.GeoDataFrame:
    from geo.load import read_layers

    frames = read_layers(path) if path.is_dir() else None
    if frames:
        return next(iter(frames.values()))
    frame: gpd.GeoDataFrame = gpd.read_file(path, engine="pyogrio")
    return frame


def _tables(result: SitingResult, view: View) -> dict[str, pd.DataFrame]:
    """The shared files: the chosen sites' and the villages' demand rounded (issue 15), the
    candidates, and the demand counted in hexagons."""
    from analysis.registry import map_cells

    cells = map_cells(
        result.households, ["weight", "covered_before", "covered_after"], settings=view.settings
    )
    public = result.public(view.settings.privacy)
    return {
        "chosen": public.chosen,
        "villages": public.villages,
        "candidates": result.candidates,
        "demand_cells": cells,
    }


def _report(run: Run) -> None:
    """The chosen sites and the solution's figures."""
    result: SitingResult = run.result
    language = run.view.lang
    written = run.written
    html = run.files[-1]
    console = out_console()
    sites = Table(title=_t("sites", language))
    for key in ("rank", "site", "village", "gain", "hh_gained"):
        sites.add_column(_t(key, language))
    for _, row in result.chosen.iterrows():
        sites.add_row(
            str(row["rank"]),
            str(row["site_id"]),
            str(row["village_name"]),
            f"{row['gain']:.0f}",
            str(row["households_gained"]),
        )
    console.print(sites)
    summary = Table(title=_t("title", language))
    summary.add_column(_t("item", language))
    summary.add_column(_t("value", language), justify="right")
    for key, value in (
        ("model", result.model),
        ("standard", f"{result.standard_m:g}"),
        ("candidates", _candidates(result, language)),
        ("cov_before", f"{100 * result.coverage_before:.1f}%"),
        ("cov_after", f"{100 * result.coverage_after:.1f}%"),
        ("uncovered", str(len(result.uncovered))),
        ("solver", f"{result.solver} / {result.status}"),
        ("objective", f"{result.objective:.1f}"),
        ("gap", f"{100 * result.gap:.2f}%"),
        ("time", f"{result.time_s:.2f}"),
    ):
        summary.add_row(_t(key, language), value)
    console.print(summary)
    folder = written.excel.parent if written and written.excel else run.out
    console.print(f"{_t('written', language)}: {folder} ({html.name})")


CLI = CliSpec(
    "siting",
    command="site",
    help="Site new children's homes / stations on walking distances (MCLP, LSCP, p-median).",
    out="out/site",
    stem="site",
    map_name="site_map.html",
    options={
        "model": Option(
            ("--model",),
            help="mclp (max cover), lscp (set cover), pmedian.",
            annotation=ModelChoice,
            default=ModelChoice.mclp,
        ),
        "k": Option(("-k", "--k"), help="New sites to open.", annotation=int, default=3, min=1),
        "standard_m": Option(
            ("--standard-m",),
            help="Walking standard in metres (default 1000).",
            annotation=float | None,
            min=1,
        ),
    },
    extras=(
        Extra(
            "candidates",
            Option(
                help="Candidate sites (points); generated from road nodes if omitted.",
                annotation=Path | None,
            ),
            load=_read_candidates,
        ),
        Extra(
            "capacity",
            Option(help="Weighted children one site can serve.", annotation=float | None, min=0),
        ),
        Extra(
            "weights",
            Option(
                help="Demand: all children, left_behind or in_difficulty.",
                annotation=WeightChoice,
                default=WeightChoice.all,
            ),
            load=lambda w: WeightChoice(w).value,
        ),
        Extra(
            "require_villages",
            Option(
                ("--require-missing/--no-require-missing",),
                help="At least one new site in every village without one.",
                annotation=bool,
                default=False,
            ),
            load=lambda on: "missing" if on else None,
        ),
    ),
    # the solution on exact demand; the files shared rounded (_tables), the map without homes
    authorised=None,
    authorised_as=True,
    map_authorised=False,
    headers={"zh": _HEADERS["zh"]},
    check=_check,
    tables=_tables,
    report=_report,
)


def register(app: typer.Typer) -> None:
    """``tongan site`` is generated from the analysis contract (:mod:`api.commands.analyses`)."""
