"""``/ogc``: OGC API - Features over the layers and the analyses' results (QGIS, GDAL).

What is offered depends on who asks (:func:`collections`): the ``households`` layer only to a
role that may see households, everyone else its aggregate ``household_cells``; result
collections are the public views for such a role, as the pages' tables are.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import geopandas as gpd
from fastapi import APIRouter, Request

from analysis.privacy import public_table
from api.auth import AuthError, Principal
from api.ogc import Collection, ogc_router
from api.pages import RESULT_COLLECTIONS
from api.state import ServerState
from api.workspace import Snapshot
from geo.schemas import SCHEMAS
from geo.settings import Settings


def router() -> APIRouter:
    """The OGC router of one app (its features cache is the app's)."""
    return ogc_router(collections)


def collections(request: Request) -> dict[str, Collection]:
    """The collections offered to this request's principal: layers, then results."""
    state = ServerState.of(request.app)
    principal: Principal = request.state.principal
    snap = state.workspace.snapshot()
    out = layer_collections(snap, principal, state.settings)
    # result collections: exact for a county-wide household role, else the public view (a
    # user with an area gets its own households exactly from the households collection)
    sees = principal.sees_households
    ctx = state.context(snap, state.settings.language, sees)
    for cid, collection in RESULT_COLLECTIONS.items():
        load = functools.partial(collection.load, ctx)
        out[cid] = Collection(
            cid,
            collection.title,
            collection.description,
            load if sees else functools.partial(_public, load, state.settings),
            f"{snap.version}-{sees}",
        )
    return out


def layer_collections(
    snap: Snapshot, principal: Principal, settings: Settings
) -> dict[str, Collection]:
    """The non-empty layers (households only for a role that sees them) and the households
    counted over hexagons, small cells withheld."""
    from analysis.privacy import aggregate_households

    out: dict[str, Collection] = {}
    villages = principal.villages
    for name, frame in snap.layers.items():
        if not len(frame) or (name == "households" and villages is not None and not villages):
            continue
        version = snap.layer_version(name)
        refuse = None
        if name == "households" and villages is not None:  # a user with an area: its own
            refuse = functools.partial(_refuse_household, frame, principal)
            frame = frame.loc[frame["village_code"].astype(str).isin(villages)]
            version = f"{version}-{','.join(sorted(villages))}"
        out[name] = Collection(
            name,
            f"{SCHEMAS[name].zh} {name}",
            SCHEMAS[name].meaning,
            functools.partial(_same, frame),
            version,
            refuse,
        )
    out["household_cells"] = Collection(
        "household_cells",
        "重点儿童分布(聚合) household cells",
        "Households and children counted over hexagons; cells with too few households are withheld.",
        functools.partial(
            aggregate_households,
            snap.metric.households,
            columns=["children", "left_behind", "in_difficulty"],
            settings=settings.privacy,
        ),
        snap.layer_version("households"),
    )
    return out


def _refuse_household(frame: gpd.GeoDataFrame, principal: Principal, fid: str) -> None:
    """(403) ``fid`` is a household outside the principal's area: say which it may see."""
    if not (frame["id"].astype(str) == fid).any():
        return
    msg = (
        f"the household {fid!r} is outside the area of {principal.name!r} ({principal.role}, "
        f"area {principal.area}); it may see the households of the villages "
        f"{', '.join(sorted(principal.villages or ()))}, and every other household only as "
        "the aggregates of household_cells"
    )
    raise AuthError(msg, status=403)


def _same(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame


def _public(load: Callable[[], gpd.GeoDataFrame], settings: Settings) -> gpd.GeoDataFrame:
    """A result collection as a role without household access gets it (as the pages' tables)."""
    out = public_table(load(), settings=settings.privacy)
    return gpd.GeoDataFrame(out, geometry=out.geometry.name, crs=out.crs)
