r"""Province-scale runs: risk, coverage and flood review of every county as tasks on Dask.

A province (about 100 counties, tens of millions of people) is run county by county on a Dask
cluster: ``dask.distributed`` schedules the tasks (a :class:`~distributed.LocalCluster` on this
machine, or an existing cluster), ``dask_geopandas`` streams the layers.

1. **Partition** (:mod:`geo.partition`): every layer is read in chunks and each chunk is cut by
   county *reach* (the county buffered by ``province.border_buffer_m``) into hive-partitioned
   GeoParquet; one task per chunk.
2. **Check**, one task per county: the county's partition is read, every required layer must
   have a feature inside the county (a county missing one is *skipped* with the reason), then
   :func:`geo.validate.validate_layers` (fatal problems skip the county too).
3. **Stages**, one task per county and stage (:func:`registered_stages`: the ``stage`` of every
   registered analysis, :mod:`analysis.registry`: risk, coverage, flood review, safety education),
   each depending on the county's check: the normal analysis runs on the whole partition, then
   only the rows the county *owns* are kept (:func:`geo.partition.owner_of`: a spot, an
   institution or a gap by its location, a household, village or township by its code) and
   written as ``<out>/<stage>/<table>/county_code=<code>/part.0.parquet``.

Because the analysis sees everything within the reach, a county's results equal those of the
same analysis run on that county's partition alone; and they equal those of a run on the whole
province as long as the reach is at least the longest distance an analysis looks across
(``exposure_distance_m`` and ``walking_standard_m``, 1,000 m, against a 3,000 m buffer).

Failures: a task that raises is re-run ``province.retries`` times; a task whose worker dies is
moved to another worker by Dask, up to ``province.allowed_worker_deaths`` deaths
(``KilledWorker`` after that). A county whose task finally fails is reported ``failed`` with the
stage and the reason while the other counties complete.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import resource
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from analysis.county import CountyLayers, Reason, Stage, StageOutput
from analysis.coverage import coverage_stage
from analysis.flood import flood_stage
from analysis.registry import analyses
from analysis.risk import risk_stage
from geo.errors import TonganError
from geo.partition import (
    ChunkCount,
    clear,
    county_reaches,
    find_province_layers,
    open_layer,
    partition_chunk,
    read_county_layers,
    write_county_table,
)
from geo.schemas import SCHEMAS
from geo.settings import Language, Settings
from geo.validate import validate_layers

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = [
    "CountyLayers",
    "ProvinceResult",
    "Skipped",
    "StageOutput",
    "StageReport",
    "authorised_coverage_stage",
    "check_county",
    "coverage_stage",
    "flood_stage",
    "local_cluster_client",
    "prepare_county",
    "registered_stages",
    "risk_stage",
    "run_province",
    "run_stage",
]

#: Progress callback: ``(stage, done, total)``; stages are ``partition``, ``check`` and the
#: names of the analysis stages.
ProgressHook = Callable[[str, int, int], None]

REASONS: dict[str, dict[Language, str]] = {
    "missing_layer": {
        "zh": "本县没有必需图层 {layer}({layer_zh})的要素;请补充本县的数据",
        "en": "the county has no feature of the required layer {layer} ({layer_zh}); add the county's data",
    },
    "no_villages": {
        "zh": "行政区划图层中没有属于本县的乡镇和村",
        "en": "the areas layer has no township and village of the county",
    },
    "killed": {
        "zh": "{stage}:工作进程意外退出 {n} 次(内存超限或崩溃),已放弃",
        "en": "{stage}: its worker died {n} time(s) (memory limit or crash); given up",
    },
    "error": {"zh": "{stage}:{error}", "en": "{stage}: {error}"},
    "dropped_households": {
        "zh": "边界缓冲区内 {n} 户的村代码不在本分区的行政区划中,未计入",
        "en": "{n} household(s) in the border buffer name a village outside the partition; left out",
    },
}


def _reason(code: str, **values: object) -> Reason:
    return {lang: text.format(**values) for lang, text in REASONS[code].items()}


# --------------------------------------------------------------------------------------------
# one county
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    """A county left out for bad input, with every reason found."""

    reasons: tuple[Reason, ...]


def _own_places(areas: gpd.GeoDataFrame, code: str) -> tuple[frozenset[str], frozenset[str]]:
    level = areas["level"].astype(str)
    parent = areas["parent_code"].astype(str)
    codes = areas["code"].astype(str)
    townships = frozenset(codes[(level == "township") & (parent == code)])
    villages = frozenset(codes[(level == "village") & parent.isin(townships)])
    return townships, villages


def prepare_county(
    frames: Mapping[str, gpd.GeoDataFrame],
    code: str,
    *,
    settings: Settings,
    today: dt.date | None = None,
) -> CountyLayers | Skipped:
    """Check and validate one county's partition.

    Parameters
    ----------
    frames
        Layer name -> the county's partition of it (:func:`geo.partition.read_county_layers`).
    code
        The county's code (an ``areas`` row with ``level == "county"``).
    settings
        Validation settings.
    today
        Reference date of the "date in the future" warnings.

    Returns
    -------
    CountyLayers or Skipped
        Skipped when a required layer has no feature inside the county, the areas hold none of
        its villages, or validation finds a fatal problem (every reason is listed).
    """
    areas = frames["areas"]
    crs = pyproj.CRS.from_user_input(areas.crs)
    frames = {
        name: f if pyproj.CRS.from_user_input(f.crs).equals(crs) else f.to_crs(crs)
        for name, f in frames.items()
    }
    is_county = (areas["level"].astype(str) == "county") & (areas["code"].astype(str) == code)
    county_geom = areas.loc[is_county].geometry.union_all()
    name = str(areas.loc[is_county, "name"].iloc[0]) if is_county.any() else code
    reasons: list[Reason] = []
    for layer, schema in SCHEMAS.items():
        if not schema.required_layer or layer == "areas":
            continue
        frame = frames.get(layer)
        if frame is None or not frame.intersects(county_geom).any():
            reasons.append(_reason("missing_layer", layer=layer, layer_zh=schema.zh))
    townships, villages = _own_places(areas, code)
    if not villages:
        reasons.append(_reason("no_villages"))
    if reasons:
        return Skipped(tuple(reasons))

    notes: list[Reason] = []
    hh = frames["households"]
    known = set(areas["code"].astype(str))
    stray = ~hh["village_code"].astype(str).isin(known) & ~hh.intersects(county_geom)
    if stray.any():
        # a household of the buffer registered in a village beyond it: counted by its own county
        frames = {**frames, "households": hh.loc[~stray].reset_index(drop=True)}
        notes.append(_reason("dropped_households", n=int(stray.sum())))
    # features are taken whole past the border (a long river keeps its reach numbering), so the
    # study-area margin, a check of the CRS, is not applied to a partition
    relaxed = settings.model_copy(update={"study_area_margin_m": math.inf})
    layers, report = validate_layers(dict(frames), settings=relaxed, today=today, required=())
    if not report.ok:
        return Skipped(tuple({"zh": p.line("zh"), "en": p.line("en")} for p in report.errors))
    metric = layers.to_metric()
    a = metric.areas
    counties = a.loc[a["level"].astype(str) == "county", ["code", "geometry"]]
    return CountyLayers(
        code=code,
        name=name,
        layers=metric,
        counties=counties.reset_index(drop=True),
        townships=townships,
        villages=villages,
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------------------------
# tasks (run on the workers)
# --------------------------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    """Peak resident memory of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_address() -> str:
    from distributed import get_worker

    try:
        return str(get_worker().address)
    except ValueError:  # run outside a worker (tests, one process)
        return "local"


@dataclass(frozen=True)
class StageReport:
    """What one task did for one county: its status, figures, time and memory."""

    stage: str
    code: str
    status: Literal["ok", "skipped"]
    skipped_at: str = ""
    figures: Mapping[str, float] = field(default_factory=dict)
    townships: pd.DataFrame | None = None
    reasons: tuple[Reason, ...] = ()
    seconds: float = 0.0
    peak_mb: float = 0.0
    worker: str = ""


def check_county(
    root: Path, code: str, settings: Settings, today: dt.date | None = None
) -> CountyLayers | Skipped:
    """Task: read one county's partition from ``root`` and :func:`prepare_county` it."""
    return prepare_county(read_county_layers(root, code), code, settings=settings, today=today)


def run_stage(
    name: str,
    stage: Stage,
    county: CountyLayers | Skipped,
    out_dir: Path,
    settings: Settings,
    date: dt.date,
    code: str,
) -> StageReport:
    """Task: run one analysis stage for one county and write its tables.

    Bad input met by the analysis (a :class:`~geo.errors.TonganError`) skips the county with
    the message; any other error propagates, so that Dask retries the task.
    """
    t0 = time.perf_counter()
    if isinstance(county, Skipped):
        return StageReport(name, code, "skipped", skipped_at="check", reasons=county.reasons)
    try:
        output = stage(county, settings, date)
    except TonganError as exc:
        reason = _reason("error", stage=name, error=exc.message)
        return StageReport(name, code, "skipped", skipped_at=name, reasons=(reason,))
    for table, frame in output.tables.items():
        write_county_table(frame, out_dir / name / table, code)
    return StageReport(
        stage=name,
        code=code,
        status="ok",
        figures=dict(output.figures),
        townships=output.townships,
        reasons=county.notes,
        seconds=time.perf_counter() - t0,
        peak_mb=_peak_rss_mb(),
        worker=_worker_address(),
    )


# --------------------------------------------------------------------------------------------
# the province
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ProvinceResult:
    """The province run: per county, per township, per worker, and the tables written.

    Attributes
    ----------
    counties
        One row per county: ``county_code``, ``county_name``, ``status`` (ok / skipped /
        failed), ``stage`` (where it stopped), ``reason_zh``, ``reason_en``, the figures of
        every stage, and ``<stage>_s`` (task seconds) with ``seconds`` their sum.
    townships
        One row per township of the counties that completed: ``county_code``,
        ``township_code``, ``township_name`` and the figures of every stage.
    workers
        One row per worker process that ran a county task or is alive at the end: ``worker``,
        ``tasks`` (county tasks), ``busy_s`` (seconds spent in them), ``peak_mb`` (peak
        resident memory of the process), ``limit_mb`` (its memory limit; NaN when unlimited or unknown), ``alive`` (False for a
        worker that died, e.g. past its limit).
    chunks
        One row per layer: ``layer``, ``chunks``, ``rows`` read, ``written`` (rows in all the
        county partitions), ``outside`` (rows in no county's reach).
    tables
        Stage -> result tables written (``<out>/<stage>/<table>``, hive-partitioned by
        ``county_code``).
    seconds
        Wall time of the partition step and of the county tasks (``partition``, ``counties``).
    """

    counties: pd.DataFrame
    townships: pd.DataFrame
    workers: pd.DataFrame
    chunks: pd.DataFrame
    tables: Mapping[str, tuple[Path, ...]]
    seconds: Mapping[str, float]

    @property
    def failed(self) -> list[str]:
        """Codes of the counties that did not complete (skipped or failed)."""
        codes: list[str] = self.counties.loc[
            self.counties["status"] != "ok", "county_code"
        ].tolist()
        return codes


@contextmanager
def local_cluster_client(
    settings: Settings, *, scheduler: str | None = None, workers: int | None = None
) -> Iterator[Client]:
    """A ``distributed.Client``: of an existing cluster, or of a LocalCluster started here.

    Parameters
    ----------
    settings
        ``settings.province``: ``workers``, ``threads_per_worker``, ``worker_memory_gb``,
        ``allowed_worker_deaths``, ``connect_timeout_s``.
    scheduler
        ``tcp://HOST:PORT`` of a running scheduler; a local cluster when None.
    workers
        Local worker processes (``settings.province.workers`` when None, else one per core).
    """
    import logging

    from distributed import Client, LocalCluster

    ps = settings.province
    if scheduler is not None:
        with Client(scheduler, timeout=ps.connect_timeout_s) as client:
            yield client
        return
    memory: str | int = "auto" if ps.worker_memory_gb is None else int(ps.worker_memory_gb * 2**30)
    with (
        LocalCluster(
            n_workers=workers or ps.workers,
            threads_per_worker=ps.threads_per_worker,
            processes=True,
            memory_limit=memory,
            dashboard_address=":0",  # any free port: two clusters on one machine do not clash
            # failures reach the user as county reasons (a task error, a worker killed); the
            # workers' own logs would add tracebacks, e.g. of a heartbeat racing the shutdown
            silence_logs=logging.CRITICAL,
            scheduler_kwargs={"allowed_failures": ps.allowed_worker_deaths},
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _partition(
    client: Client,
    layers_dir: Path,
    root: Path,
    settings: Settings,
    progress: ProgressHook,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    import dask
    from distributed import as_completed

    ps = settings.province
    sources = find_province_layers(layers_dir)
    frames = {
        name: open_layer(src, chunk_rows=ps.chunk_rows, chunk_mb=ps.chunk_mb)
        for name, src in sources.items()
    }
    areas = frames["areas"].compute(scheduler="sync")  # small: read here, not on a worker
    reaches = county_reaches(gpd.GeoDataFrame(areas), buffer_m=ps.border_buffer_m)
    reach = dask.delayed(reaches, pure=True)
    tasks = [
        dask.delayed(partition_chunk)(part, reach, root=root, layer=name, index=i)
        for name, frame in frames.items()
        for i, part in enumerate(frame.to_delayed())
    ]
    futures = client.compute(tasks)
    progress("partition", 0, len(futures))
    counts: list[ChunkCount] = []
    for done, future in enumerate(as_completed(futures), start=1):
        counts.append(future.result())
        progress("partition", done, len(futures))
    table = pd.DataFrame([c.__dict__ for c in counts], columns=list(ChunkCount.__annotations__))
    chunks = (
        table.groupby("layer", sort=False)
        .agg(
            chunks=("chunk", "size"),
            rows=("rows", "sum"),
            written=("written", "sum"),
            outside=("outside", "sum"),
        )
        .reset_index()
    )
    return reaches, chunks


def _submit(
    client: Client,
    root: Path,
    out_dir: Path,
    codes: list[str],
    stages: Mapping[str, Stage],
    settings: Settings,
    date: dt.date,
) -> tuple[dict[str, Future[Any]], dict[str, tuple[str, str]], list[Future[Any]]]:
    """Submit one check per county and one task per county and stage (depending on it)."""
    token = uuid.uuid4().hex[:8]
    retries = settings.province.retries
    checks = {
        code: client.submit(
            check_county, root, code, settings, key=f"check-{code}-{token}", retries=retries
        )
        for code in codes
    }
    tasks: dict[str, tuple[str, str]] = {str(f.key): ("check", code) for code, f in checks.items()}
    futures: list[Future[Any]] = list(checks.values())
    for name, stage in stages.items():
        for code in codes:
            f = client.submit(
                run_stage,
                name,
                stage,
                checks[code],
                out_dir,
                settings,
                date,
                code,
                key=f"{name}-{code}-{token}",
                retries=retries,
            )
            tasks[str(f.key)] = (name, code)
            futures.append(f)
    return checks, tasks, futures


def _failure(exc: BaseException, stage: str, settings: Settings) -> Reason:
    """Why a task finally failed: its worker died too often, or it raised."""
    from distributed import KilledWorker

    if isinstance(exc, KilledWorker):
        # the cluster's own limit (an existing cluster has its own configuration)
        allowed = getattr(exc, "allowed_failures", None)
        n = (settings.province.allowed_worker_deaths if allowed is None else allowed) + 1
        return _reason("killed", stage=stage, n=n)
    return _reason("error", stage=stage, error=f"{type(exc).__name__}: {exc}")


def _gather(
    futures: list[Future[Any]],
    tasks: Mapping[str, tuple[str, str]],
    checks: dict[str, Future[Any]],
    stages: Mapping[str, Stage],
    codes: list[str],
    settings: Settings,
    hook: ProgressHook,
) -> tuple[list[StageReport], dict[str, tuple[str, Reason]]]:
    """The stage reports and the counties' failures, as the tasks complete."""
    from distributed import as_completed

    totals = {"check": len(codes)} | {name: len(codes) for name in stages}
    done = dict.fromkeys(totals, 0)
    for stage_name, total in totals.items():
        hook(stage_name, 0, total)
    reports: list[StageReport] = []
    failures: dict[str, tuple[str, Reason]] = {}
    remaining = {code: len(stages) for code in codes}
    for future in as_completed(futures):
        stage_name, code = tasks[str(future.key)]
        if future.status == "error":
            if code not in failures:
                failures[code] = (stage_name, _failure(future.exception(), stage_name, settings))
        elif stage_name != "check":
            reports.append(future.result())
        if stage_name != "check":
            remaining[code] -= 1
            if remaining[code] == 0:
                checks.pop(code, None)  # the county's layers may leave the worker's memory
        done[stage_name] += 1
        hook(stage_name, done[stage_name], totals[stage_name])
    return reports, failures


def run_province(
    layers_dir: Path,
    out_dir: Path,
    *,
    client: Client,
    settings: Settings,
    date: dt.date,
    stages: Mapping[str, Stage] | None = None,
    progress: ProgressHook | None = None,
) -> ProvinceResult:
    """Run the analysis stages for every county of a province on a Dask cluster.

    Parameters
    ----------
    layers_dir
        The province's layers (:func:`geo.partition.find_province_layers`).
    out_dir
        Receives ``partitions/`` (the county partitions) and ``<stage>/<table>/`` (the results,
        GeoParquet partitioned by ``county_code``); earlier ones are replaced. With an existing
        cluster it must be a folder every worker sees.
    client
        A ``distributed.Client`` (:func:`local_cluster_client`).
    settings
        All settings; ``settings.province`` for the partitioning and the retries.
    date
        The day assessed (season factors of the risk, reviews due of the flood review).
    stages
        Name -> :data:`Stage`; every registered analysis's stage when None
        (:func:`registered_stages`).
    progress
        Called with ``(stage, done, total)`` as tasks complete (``as_completed``).

    Returns
    -------
    ProvinceResult

    Raises
    ------
    InputError
        The folder holds no areas layer, or the areas no county.
    CRSError
        A layer states no CRS.
    """
    stages = dict(registered_stages() if stages is None else stages)
    hook: ProgressHook = progress or (lambda stage, done, total: None)
    root = out_dir / "partitions"
    clear(root, *(out_dir / name for name in stages))
    t0 = time.perf_counter()
    limits = _memory_limits(client)  # workers that die during the run are reported too
    reaches, chunks = _partition(client, layers_dir, root, settings, hook)
    t_partition = time.perf_counter() - t0

    t1 = time.perf_counter()
    codes = reaches["code"].tolist()
    checks, tasks, futures = _submit(client, root, out_dir, codes, stages, settings, date)
    reports, failures = _gather(futures, tasks, checks, stages, codes, settings, hook)
    t_counties = time.perf_counter() - t1

    counties = _county_table(reaches, stages, reports, failures)
    townships = _township_table(stages, reports)
    workers = _worker_table(client, reports, limits)
    tables = {
        name: tuple(sorted(p for p in (out_dir / name).iterdir() if p.is_dir()))
        if (out_dir / name).is_dir()
        else ()
        for name in stages
    }
    return ProvinceResult(
        counties=counties,
        townships=townships,
        workers=workers,
        chunks=chunks,
        tables=tables,
        seconds={"partition": t_partition, "counties": t_counties},
    )


def _county_table(
    reaches: gpd.GeoDataFrame,
    stages: Mapping[str, Stage],
    reports: list[StageReport],
    failures: Mapping[str, tuple[str, Reason]],
) -> pd.DataFrame:
    rows: list[dict[str, object]] = []
    by_code: dict[str, list[StageReport]] = {}
    for r in reports:
        by_code.setdefault(r.code, []).append(r)
    order = {name: i for i, name in enumerate(stages)}
    for code, name in zip(reaches["code"], reaches["name"], strict=True):
        mine = sorted(by_code.get(code, []), key=lambda r: order[r.stage])
        row: dict[str, object] = {"county_code": code, "county_name": name}
        skipped = [r for r in mine if r.status == "skipped"]
        notes = [n for r in mine if r.status == "ok" for n in r.reasons]
        if code in failures:
            stage, reason = failures[code]
            row |= {"status": "failed", "stage": stage, "reason_zh": reason["zh"]}
            row["reason_en"] = reason["en"]
        elif skipped:
            reasons = _unique(x for r in skipped for x in r.reasons)
            row |= {"status": "skipped", "stage": skipped[0].skipped_at}
            row["reason_zh"] = ";".join(x["zh"] for x in reasons)
            row["reason_en"] = "; ".join(x["en"] for x in reasons)
        else:
            row |= {"status": "ok", "stage": ""}
            unique = _unique(notes)
            row["reason_zh"] = ";".join(x["zh"] for x in unique)
            row["reason_en"] = "; ".join(x["en"] for x in unique)
        for r in mine:
            if r.status == "ok":
                row |= dict(r.figures)
                row[f"{r.stage}_s"] = round(r.seconds, 3)
        rows.append(row)
    table = pd.DataFrame(rows)
    seconds = [f"{s}_s" for s in stages if f"{s}_s" in table]
    table["seconds"] = table[seconds].sum(axis=1, min_count=1) if seconds else np.nan
    return table


def _unique(reasons: Iterator[Reason] | list[Reason]) -> list[Reason]:
    seen: set[str] = set()
    out: list[Reason] = []
    for r in reasons:
        if r["en"] not in seen:
            seen.add(r["en"])
            out.append(r)
    return out


def _township_table(stages: Mapping[str, Stage], reports: list[StageReport]) -> pd.DataFrame:
    keys = ["county_code", "township_code", "township_name"]
    merged: pd.DataFrame | None = None
    for name in stages:
        parts = [
            r.townships.assign(county_code=r.code)
            for r in reports
            if r.stage == name and r.status == "ok" and r.townships is not None
        ]
        if not parts:
            continue
        frame = pd.concat(parts, ignore_index=True)
        frame["township_code"] = frame["township_code"].astype(str)
        frame["township_name"] = frame["township_name"].astype(str)
        merged = frame if merged is None else merged.merge(frame, on=keys, how="outer")
    if merged is None:
        return pd.DataFrame(columns=keys)
    merged = merged[keys + [c for c in merged.columns if c not in keys]]
    return merged.sort_values(keys[:2], kind="stable").reset_index(drop=True)


def _memory_limits(client: Client) -> dict[str, float]:
    """Memory limit of each worker now connected, MiB (NaN when unlimited)."""
    info = client.scheduler_info(n_workers=-1)["workers"]
    return {a: (w.get("memory_limit") or math.nan) / 2**20 for a, w in info.items()}


def _worker_table(
    client: Client, reports: list[StageReport], limits: Mapping[str, float]
) -> pd.DataFrame:
    limits = {**limits, **_memory_limits(client)}
    live = client.run(_peak_rss_mb)
    rows: dict[str, dict[str, float]] = {}
    for r in reports:
        if r.worker:
            row = rows.setdefault(r.worker, {"tasks": 0, "peak_mb": 0.0, "busy_s": 0.0})
            row["tasks"] += 1
            row["busy_s"] += r.seconds
            row["peak_mb"] = max(row["peak_mb"], r.peak_mb)
    for address, peak in live.items():
        row = rows.setdefault(address, {"tasks": 0, "peak_mb": 0.0, "busy_s": 0.0})
        row["peak_mb"] = max(row["peak_mb"], float(peak))
    table = pd.DataFrame(
        [
            {
                "worker": address,
                "tasks": int(row["tasks"]),
                "busy_s": round(row["busy_s"], 1),
                "peak_mb": round(row["peak_mb"], 1),
                "limit_mb": limits.get(address, math.nan),
                "alive": address in live,
            }
            for address, row in sorted(rows.items())
        ],
        columns=["worker", "tasks", "busy_s", "peak_mb", "limit_mb", "alive"],
    )
    return table


def registered_stages(*, authorised: bool = False) -> dict[str, Stage]:
    """The stage of every registered analysis that has one, in index order
    (:attr:`analysis.registry.Analysis.stage`); ``authorised`` stages keep household detail
    and exact counts (``tongan province --authorised``)."""
    found: dict[str, Stage] = {}
    for a in analyses().values():
        if a.stage is not None:
            found[a.stage_key] = (
                functools.partial(a.stage, authorised=True) if authorised else a.stage
            )
    return found


def __getattr__(name: str) -> object:
    # STAGES and AUTHORISED_STAGES are read from the registry when asked for: the analysis
    # modules register themselves after this module may have been imported
    if name == "STAGES":
        return registered_stages()
    if name == "AUTHORISED_STAGES":
        return registered_stages(authorised=True)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


#: Coverage stage that also writes household rows and small gaps (authorised roles only).
authorised_coverage_stage: Stage = functools.partial(coverage_stage, authorised=True)
