"""``tongan verify``: was a river chief's patrol of a day done as planned (issue 19 item 3)?

The patrols are planned as ``tongan patrol`` plans them (the same ``--start``, ``--hours``,
``--mode`` and ``--days``, the plan starting on ``--first-day`` or ``--date``); the river chief's
stops of ``--date`` (the stops on the waters they answer for) are matched against the GPS track
(:func:`analysis.verify.check_patrol`). Writes ``verify.csv`` (one row per stop: visited,
skipped, unplanned) and ``verify_map.html`` (offline, its assets beside it) into ``--out``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from analysis.patrol import PatrolParams
from api._common import (
    ColumnsOption,
    CrsOption,
    LangOption,
    handle_errors,
    load_valid_layers,
    out_console,
    parse_date,
    progress_steps,
    resolve_lang,
)
from geo.errors import InputError
from geo.i18n import tr, value_label
from geo.settings import Language

if TYPE_CHECKING:
    from analysis.verify import PatrolCheck
    from geo.layers import Layers

#: The catalogue's header (``verify_col_*``) of each column of verify.csv.
HEADER_KEYS = {
    "river_chief": "chief", "date": "date", "status": "status", "order": "order",
    "spot_id": "spot", "water_name": "water", "risk_class": "class",
    "planned_arrival": "planned", "arrival": "arrival", "minutes": "minutes",
    "lon": "lon", "lat": "lat",
}  # fmt: skip
#: The columns of the printed table, by their catalogue header.
SHOWN = ("status", "order", "spot_id", "water_name", "planned_arrival", "arrival", "minutes")

#: The defaults of ``tongan patrol``: the patrol analysis's own.
HOURS: float = PatrolParams.model_fields["hours"].default
MODE: str = PatrolParams.model_fields["mode"].default
DAYS: int = PatrolParams.model_fields["days"].default


def verify(
    track: Annotated[Path, typer.Argument(help="The patrol's GPS track (GPX 1.1 with <time>).")],
    river_chief: Annotated[
        str, typer.Option("--river-chief", help="The river chief (the waters' river_chief).")
    ],
    date: Annotated[str, typer.Option("--date", help="Day of the track, YYYY-MM-DD.")],
    first_day: Annotated[
        str | None,
        typer.Option("--first-day", help="First day of the patrol plan (default --date)."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(help="Start LON,LAT of the plan (default: the township workstation)."),
    ] = None,
    hours: Annotated[float, typer.Option(help="Hours per day, as `tongan patrol`.")] = HOURS,
    mode: Annotated[str, typer.Option(help="walk, ebike or car, as `tongan patrol`.")] = MODE,
    days: Annotated[int, typer.Option(help="Days planned, as `tongan patrol`.")] = DAYS,
    layers: Annotated[
        Path | None,
        typer.Option("--layers", help="GeoPackage or folder of layers (default: the sample)."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("out/verify"),
    crs: CrsOption = None,
    columns: ColumnsOption = None,
    lang: LangOption = None,
) -> None:
    """Check a river chief's GPS track against their planned stops of a day (巡查核验)."""
    from geo.tracks import read_gpx_track

    language = resolve_lang(lang)
    day = parse_date(date)
    if not track.is_file():
        raise InputError(tr("verify_no_file", language, file=track))
    points = read_gpx_track(track, language)  # a bad file fails before the layers are read
    plan_day = day
    if first_day:
        plan_day = parse_date(first_day, option="--first-day")
    params = _params(plan_day, start=start, hours=hours, mode=mode, days=days)
    source = load_valid_layers(layers, crs=crs, columns=columns, lang=language)
    check = _check(source, params, points, river_chief, day, track.name, language)
    files = _write(check, source, out, language)
    _report(check, files, language)


def _params(day: dt.date, **values: object) -> PatrolParams:
    """The patrol plan's parameters, checked as ``tongan patrol`` checks them."""
    from analysis.registry import get
    from api.commands.analyses import parse_params

    params: PatrolParams = parse_params(get("patrol"), {"date": day, **values})  # type: ignore[assignment]
    return params


def _check(
    source: Layers,
    params: PatrolParams,
    points: object,
    river_chief: str,
    day: dt.date,
    name: str,
    lang: Language,
) -> PatrolCheck:
    from analysis.registry import Inputs
    from analysis.verify import check_patrol
    from geo.settings import get_settings

    with progress_steps(1, tr("verify_title", lang, chief=river_chief, date=day)) as step:
        inputs = Inputs(source, source.to_metric(), get_settings(), dt.date.today(), True)
        check = check_patrol(
            inputs, params, points, river_chief=river_chief, day=day, source=name, lang=lang
        )
        step("1")
    return check


def headers(lang: Language) -> dict[str, str]:
    """The headers of verify.csv in ``lang``."""
    return {col: tr(f"verify_col_{key}", lang) for col, key in HEADER_KEYS.items()}


def _write(check: PatrolCheck, source: Layers, out: Path, lang: Language) -> list[Path]:
    """verify.csv and verify_map.html (its assets copied beside it)."""
    from api.map_files import save_map
    from geo.export import for_people
    from maps.verify import verify_map

    out.mkdir(parents=True, exist_ok=True)
    csv = out / "verify.csv"
    for_people(check.table(), headers(lang), lang).to_csv(csv, index=False, encoding="utf-8-sig")
    m = verify_map(check.result, check.places, check.track, lang=lang, reference=source)
    return [csv, save_map(m, out / "verify_map.html")]


def _report(check: PatrolCheck, files: list[Path], lang: Language) -> None:
    """The stops, then the figures: visited, skipped, unplanned, distance and time."""
    rows = check.table()
    table = Table(title=tr("verify_title", lang, chief=check.river_chief, date=check.date))
    for col in SHOWN:
        table.add_column(tr(f"verify_col_{HEADER_KEYS[col]}", lang))
    orders = [str(o) for o in rows["order"].astype("string").fillna("")]
    for order, (_, r) in zip(orders, rows.iterrows(), strict=True):
        table.add_row(
            value_label(str(r["status"]), lang), order, str(r["spot_id"]),
            str(r["water_name"] or ""), str(r["planned_arrival"]), str(r["arrival"]),
            f"{r['minutes']:.1f}",
        )  # fmt: skip
    console = out_console()
    console.print(table)
    result = check.result
    console.print(
        tr("verify_summary", lang, visited=check.visited, planned=len(result.stops),
           skipped=check.skipped, unplanned=len(result.unplanned),
           km=result.distance_m / 1000, minutes=result.minutes),
        highlight=False,
    )  # fmt: skip
    console.print(
        tr("verify_rule", lang, radius=check.radius_m, min_minutes=check.min_minutes),
        highlight=False,
    )  # fmt: skip
    for path in files:
        console.print(tr("cli_wrote", lang, path=path), highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``tongan verify``."""
    app.command("verify")(handle_errors(verify))
