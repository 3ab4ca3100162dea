"""``tongan site``: choose where to open the next children's homes or stations."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from api._common import (
    ColumnsOption,
    CrsOption,
    LangOption,
    SourceArg,
    handle_errors,
    out_console,
    progress_steps,
    resolve_lang,
)
from api.map_files import save_map
from geo.settings import Language

if TYPE_CHECKING:
    from analysis.siting import SitingResult


class ModelChoice(StrEnum):
    mclp = "mclp"
    lscp = "lscp"
    pmedian = "pmedian"


class WeightChoice(StrEnum):
    all = "all"
    left_behind = "left_behind"
    in_difficulty = "in_difficulty"


_TXT: dict[str, dict[str, str]] = {
    "title": {"zh": "选址结果", "en": "Siting result"},
    "sites": {"zh": "选定新站点", "en": "Chosen sites"},
    "rank": {"zh": "序号", "en": "Rank"},
    "site": {"zh": "站点", "en": "Site"},
    "village": {"zh": "所在村", "en": "Village"},
    "gain": {"zh": "边际增益", "en": "Marginal gain"},
    "hh_gained": {"zh": "新覆盖家庭", "en": "Households newly covered"},
    "item": {"zh": "指标", "en": "Figure"},
    "value": {"zh": "数值", "en": "Value"},
    "model": {"zh": "模型", "en": "Model"},
    "standard": {"zh": "步行标准(米)", "en": "Walking standard (m)"},
    "cov_before": {"zh": "覆盖率(新建前,加权)", "en": "Coverage before (weighted)"},
    "cov_after": {"zh": "覆盖率(新建后,加权)", "en": "Coverage after (weighted)"},
    "uncovered": {"zh": "仍未覆盖家庭", "en": "Households still uncovered"},
    "candidates": {"zh": "候选站点数", "en": "Candidate sites"},
    "thinned": {
        "zh": "{n:,}(原网格 {was:,} 个过多,间距放大到 {spacing:,.0f} 米)",
        "en": "{n:,} (the grid gave {was:,}: too many, spacing widened to {spacing:,.0f} m)",
    },
    "solver": {"zh": "求解器 / 状态", "en": "Solver / status"},
    "objective": {"zh": "目标值", "en": "Objective"},
    "gap": {"zh": "最优性间隙", "en": "Optimality gap"},
    "time": {"zh": "求解时间(秒)", "en": "Solve time (s)"},
    "written": {"zh": "已写出", "en": "Written"},
    "loading": {"zh": "构建路网与距离", "en": "network and distances"},
    "solving": {"zh": "求解", "en": "solving"},
}

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
    return _TXT[key][lang]


def _candidates(result: SitingResult, lang: Language) -> str:
    """How many candidate sites, and how their grid was widened when there were too many."""
    n = len(result.candidates)
    if result.candidates_thinned_from is None or result.candidate_spacing_m is None:
        return f"{n:,}"
    return _t("thinned", lang).format(
        n=n, was=result.candidates_thinned_from, spacing=result.candidate_spacing_m
    )


def register(app: typer.Typer) -> None:
    app.command(name="site")(site)


@handle_errors
def site(
    source: SourceArg = None,
    model: Annotated[
        ModelChoice, typer.Option("--model", help="mclp (max cover), lscp (set cover), pmedian.")
    ] = ModelChoice.mclp,
    k: Annotated[int, typer.Option("-k", "--k", min=1, help="New sites to open.")] = 3,
    candidates: Annotated[
        Path | None,
        typer.Option(help="Candidate sites (points); generated from road nodes if omitted."),
    ] = None,
    capacity: Annotated[
        float | None, typer.Option(min=0, help="Weighted children one site can serve.")
    ] = None,
    standard_m: Annotated[
        float | None,
        typer.Option("--standard-m", min=1, help="Walking standard in metres (default 1000)."),
    ] = None,
    weights: Annotated[
        WeightChoice, typer.Option(help="Demand: all children, left_behind or in_difficulty.")
    ] = WeightChoice.all,
    require_missing: Annotated[
        bool,
        typer.Option(help="At least one new site in every village without one."),
    ] = False,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("out/site"),
    crs: CrsOption = None,
    columns: ColumnsOption = None,
    lang: LangOption = None,
) -> None:
    """Site new children's homes / stations on walking distances (MCLP, LSCP, p-median)."""
    from analysis.privacy import aggregate_households
    from analysis.siting import site_facilities
    from api._common import load_valid_layers
    from geo.errors import InputError
    from geo.export import write_tables
    from geo.load import read_layers
    from geo.network import build_network
    from geo.settings import get_settings
    from maps.siting import siting_map

    language = resolve_lang(lang)
    settings = get_settings()
    if candidates is not None and not candidates.exists():
        msg = f"--candidates {candidates} does not exist; give a points file"
        raise InputError(msg)
    layers = load_valid_layers(source, crs=crs, columns=columns, lang=language).to_metric()
    cand_layer = None
    if candidates is not None:
        frames = read_layers(candidates, crs=crs) if candidates.is_dir() else None
        import geopandas as gpd

        cand_layer = (
            next(iter(frames.values())) if frames else gpd.read_file(candidates, engine="pyogrio")
        )
    with progress_steps(2, _t("loading", language)) as step:
        network = build_network(layers.roads)
        step(_t("solving", language))
        result = site_facilities(
            layers,
            settings=settings,
            model=model.value,
            k=k,
            candidates=cand_layer,
            capacity=capacity,
            standard_m=standard_m,
            weights=weights.value,
            require_villages="missing" if require_missing else None,
            network=network,
        )
        step("")

    cells = aggregate_households(
        result.households,
        columns=["weight", "covered_before", "covered_after"],
        settings=settings.privacy,
    )
    headers = _HEADERS[language]
    public = result.public(settings.privacy)  # the files are shared: demand rounded (issue 15)
    written = write_tables(
        {
            "chosen": public.chosen,
            "villages": public.villages,
            "candidates": result.candidates,
            "demand_cells": cells,
        },
        out,
        stem="site",
        headers=headers,
        lang=language,
    )
    m = siting_map(result, demand_cells=cells, lang=language, reference=layers)
    html = out / "site_map.html"
    save_map(m, html)

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
    console.print(f"{_t('written', language)}: {written.excel.parent} ({html.name})")
