"""``tongan province``: risk, coverage and flood review of every county of a province on Dask."""

from __future__ import annotations

import datetime as dt
import shutil
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer
from rich.progress import Progress, TaskID
from rich.table import Table

from analysis.registry import analyses
from api._common import (
    LangOption,
    err_console,
    handle_errors,
    out_console,
    parse_date,
    progress_bar,
    resolve_lang,
)
from geo.i18n import MESSAGES, tr
from geo.settings import Language, Settings

if TYPE_CHECKING:
    from analysis.province import ProvinceResult

#: Chinese headers of the summary tables (CSV and Excel).
HEADERS_ZH: dict[str, str] = {
    "county_code": "县代码", "county_name": "县", "status": "状态", "stage": "停止环节",
    "reason_zh": "原因", "reason_en": "原因(英文)", "township_code": "乡镇代码",
    "township_name": "乡镇", "spots": "风险点数", "red": "红色", "yellow": "黄色",
    "green": "绿色", "lacking_any": "缺少设施的风险点数", "warning_sign": "需购警示牌",
    "life_buoy": "需购救生圈", "rescue_rope": "需购救生绳", "rescue_pole": "需购救生杆",
    "fence_m": "需购防护栏(米)", "households": "家庭户数", "children": "儿童数",
    "children_covered": "步行标准内儿童", "left_behind": "留守儿童",
    "left_behind_covered": "步行标准内留守儿童", "in_difficulty": "困境儿童",
    "in_difficulty_covered": "步行标准内困境儿童", "share_children": "儿童覆盖率",
    "households_beyond": "步行标准外家庭户数", "gaps": "缺口区域数", "findings": "政策检查发现数",
    "institutions": "排查机构数", "flood_high": "高隐患机构", "flood_medium": "中隐患机构",
    "flood_low": "低隐患机构", "exposed_high": "高隐患机构涉及儿童/学生",
    "risk_s": "溺水风险用时(秒)", "coverage_s": "服务覆盖用时(秒)", "flood_s": "汛期排查用时(秒)",
    "seconds": "合计用时(秒)", "worker": "工作进程", "tasks": "任务数",
    "peak_mb": "内存峰值(MiB)", "limit_mb": "内存上限(MiB)", "layer": "图层", "chunks": "分块数",
    "rows": "读入要素数", "written": "写入各县分区的要素数", "outside": "不在任何县范围内的要素数",
}  # fmt: skip

SHEETS_ZH = {
    "counties": "按县汇总",
    "townships": "按乡镇汇总",
    "workers": "工作进程",
    "layers": "图层分区",
}

#: Headers and sheet names per language (English: the column and table names).
HEADERS: dict[Language, dict[str, str]] = {"zh": HEADERS_ZH}
SHEETS: dict[Language, dict[str, str]] = {"zh": SHEETS_ZH}


def _t(key: str, lang: Language, **values: object) -> str:
    return tr(f"province_{key}", lang, **values)


class _Bars:
    """One rich progress bar per stage, created when the stage reports first."""

    def __init__(self, progress: Progress, lang: Language) -> None:
        self.progress = progress
        self.lang = lang
        self.tasks: dict[str, TaskID] = {}
        # a stage without its own label is named by its analysis's title
        self.labels = {a.stage_key: a.label(lang) for a in analyses().values() if a.stage}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            code = f"province_{stage}"
            label = _t(stage, self.lang) if code in MESSAGES else self.labels.get(stage, stage)
            self.tasks[stage] = self.progress.add_task(label, total=total)
        self.progress.update(self.tasks[stage], completed=done, total=total)


def register(app: typer.Typer) -> None:
    """Register ``tongan province`` on the app."""
    app.command("province")(handle_errors(province))


def province(
    layers: Annotated[
        Path,
        typer.Option(
            "--layers",
            help="Folder of the province's layers: <layer>.parquet (GeoParquet), <layer>/ of GeoParquet parts, or GeoPackages.",
        ),
    ],
    out_dir: Annotated[
        Path,
        typer.Option("--out", help="Folder for the partitioned GeoParquet results and summaries."),
    ] = Path("out/province"),
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="tcp://HOST:PORT of a running Dask scheduler; a LocalCluster on this machine when omitted.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Workers of the local cluster (default: the setting, else one per core)."
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(help="Date assessed, YYYY-MM-DD (default: today); season factors apply."),
    ] = None,
    authorised: Annotated[
        bool,
        typer.Option(
            "--authorised",
            help=(
                "Also write household rows, detailed gap areas and exact counts (personal data "
                "of minors); without it gaps are hexagon cells and counts rounded."
            ),
        ),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Every registered analysis with a province stage (risk, coverage, flood review...) for
    every county of a province, as tasks on Dask."""
    from geo.errors import InputError
    from geo.partition import find_province_layers
    from geo.settings import get_settings

    language = resolve_lang(lang)
    day = parse_date(date)
    settings = get_settings()
    if workers is not None and workers < 1:
        msg = f"--workers must be at least 1, got {workers}"
        raise InputError(msg)
    find_province_layers(layers)  # a wrong folder fails before a cluster starts
    result = _run(
        layers, out_dir, settings=settings, scheduler=scheduler, workers=workers, day=day,
        authorised=authorised, language=language,
    )  # fmt: skip
    if not authorised:
        # the workers' copy of the households is working data: without --authorised no
        # household row stays in the output folder
        shutil.rmtree(out_dir / "partitions" / "households", ignore_errors=True)
    _print_summary(result, language, _write_summary(result, out_dir, language))
    if result.failed:
        raise typer.Exit(1)


def _run(
    layers: Path,
    out_dir: Path,
    *,
    settings: Settings,
    scheduler: str | None,
    workers: int | None,
    day: dt.date,
    authorised: bool,
    language: Language,
) -> ProvinceResult:
    """Start (or join) the cluster and run the registered stages on it."""
    from analysis.province import local_cluster_client, registered_stages, run_province
    from geo.errors import InputError

    with ExitStack() as stack:
        try:
            client = stack.enter_context(
                local_cluster_client(settings, scheduler=scheduler, workers=workers)
            )
        except (OSError, TimeoutError) as exc:
            msg = _t(
                "no_scheduler",
                language,
                addr=scheduler,
                s=settings.province.connect_timeout_s,
                err=exc,
            )
            raise InputError(msg) from None
        n = len(client.scheduler_info(n_workers=-1)["workers"])
        where = scheduler or _t("local", language)
        err_console().print(_t("cluster", language, where=where, n=n), highlight=False)
        with progress_bar(transient=False) as bar:
            return run_province(
                layers,
                out_dir,
                client=client,
                settings=settings,
                date=day,
                stages=registered_stages(authorised=authorised),
                progress=_Bars(bar, language),
            )


def _write_summary(result: ProvinceResult, out_dir: Path, language: Language) -> list[Path]:
    """The county, township, worker and layer tables as CSV and one workbook."""
    from geo.export import write_tables

    counties = result.counties.copy()
    counties["status"] = counties["status"].map(lambda s: _t(str(s), language))
    written = write_tables(
        {
            "counties": counties,
            "townships": result.townships,
            "workers": result.workers,
            "layers": result.chunks,
        },
        out_dir,
        stem="province",
        headers=HEADERS.get(language),
        sheet_names=SHEETS.get(language),
        lang=language,
    )
    return [p for p in (*written.csv, written.excel) if p is not None]


def _print_summary(result: ProvinceResult, lang: Language, paths: list[Path]) -> None:
    out = out_console()
    table = Table(title=_t("title", lang))
    for key in ("county", "status", "spots", "share", "institutions", "seconds", "reason"):
        table.add_column(_t(key, lang))
    for _, r in result.counties.iterrows():
        ok = r["status"] == "ok"

        def num(col: str, row: pd.Series = r) -> str:
            value = row.get(col)
            return f"{value:.0f}" if value is not None and pd.notna(value) else "-"

        share = r.get("share_children")
        table.add_row(
            f"{r['county_name']} ({r['county_code']})",
            _t(str(r["status"]), lang) if ok else f"[red]{_t(str(r['status']), lang)}[/]",
            f"{num('spots')} ({num('red')}/{num('yellow')})",
            f"{share:.1%}" if share is not None and pd.notna(share) else "-",
            f"{num('institutions')} ({num('flood_high')})",
            f"{r['seconds']:.1f}" if pd.notna(r["seconds"]) else "-",
            str(r[f"reason_{lang}"]),
        )
    out.print(table)
    workers = Table(title=_t("workers", lang))
    for key in ("worker", "tasks", "peak", "limit"):
        workers.add_column(_t(key, lang))
    for _, w in result.workers.iterrows():
        limit = f"{w['limit_mb']:.0f}" if pd.notna(w["limit_mb"]) else "-"
        workers.add_row(str(w["worker"]), str(w["tasks"]), f"{w['peak_mb']:.0f}", limit)
    out.print(workers)
    for _, c in result.chunks.iterrows():
        if c["outside"]:
            msg = _t("outside", lang, layer=c["layer"], n=int(c["outside"]))
            out.print(f"[yellow]{msg}[/]", highlight=False)
    out.print(
        _t("times", lang, p=result.seconds["partition"], c=result.seconds["counties"]),
        highlight=False,
    )
    if result.failed:
        out.print(f"[red]{_t('not_done', lang, n=len(result.failed))}[/]")
    for tables in result.tables.values():
        for path in tables:
            out.print(_t("wrote", lang, path=path), highlight=False)
    for path in paths:
        out.print(_t("wrote", lang, path=path), highlight=False)
