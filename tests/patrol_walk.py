"""A synthetic GPS track that walks one river chief's planned stops of a day on the embedded
sample, skipping one (shared by the tests of ``tongan verify`` and ``POST /api/patrols/verify``).

The plan is ``tongan patrol --start START --date DAY`` (ebike, 6 h, 1 day); 柳塘乡河长 has four
stops on it. The track starts at the first stop at 09:00 Beijing time, rides straight from stop to
stop at 250 m a minute (a point a minute) and stays ``DWELL`` minutes at each stop but
``SKIPPED``. Two of the stops lie 22 m apart, within the radius of each other: both count.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from analysis.patrol import PatrolParams, patrol_spots, plan_over
from analysis.registry import Inputs
from analysis.verify import chief_stops
from geo.layers import Layers
from geo.settings import Settings

DAY = dt.date(2026, 7, 4)
START = "112.943603,29.835967"  # 清河镇 minor-protection workstation, as in the patrol tests
CHIEF = "柳塘乡河长"
SKIPPED = "W002-005"
DWELL = 4
SPEED_M_PER_MIN = 250.0
#: 09:00 Beijing time.
T0 = pd.Timestamp("2026-07-04 01:00", tz="UTC")

HEAD = '<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'


@dataclass(frozen=True)
class Walk:
    """The GPX document and what verifying it must find."""

    gpx: bytes
    stops: list[str]
    distance_m: float
    minutes: float
    last_arrival: str


def planned_stops(layers: Layers) -> gpd.GeoDataFrame:
    """柳塘乡河长's planned stops of DAY, as ``tongan verify`` plans them."""
    inputs = Inputs(layers, layers.to_metric(), Settings(), DAY, True)
    params = PatrolParams(date=DAY, start=START)
    plan = plan_over(inputs, params, patrol_spots(inputs, DAY))
    return chief_stops(plan, CHIEF, DAY)


def walk(stops: gpd.GeoDataFrame) -> Walk:
    """A point a minute: straight rides between the stops kept, DWELL minutes at each."""
    kept = stops[stops["spot_id"] != SKIPPED]
    xy = list(zip(kept.geometry.x, kept.geometry.y, strict=True))
    points = [xy[0]] + [xy[0]] * DWELL
    distance = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(xy):
        leg = math.hypot(x1 - x0, y1 - y0)
        n = max(1, math.ceil(leg / SPEED_M_PER_MIN))
        points += [(x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n) for k in range(1, n + 1)]
        points += [(x1, y1)] * DWELL
        distance += leg
    wgs = gpd.GeoSeries(gpd.points_from_xy(*zip(*points, strict=True)), crs=stops.crs).to_crs(4326)
    body = "".join(
        f'<trkpt lat="{p.y:.8f}" lon="{p.x:.8f}">'
        f"<time>{(T0 + pd.Timedelta(minutes=i)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        for i, p in enumerate(wgs)
    )
    gpx = f"{HEAD}<trk><name>巡查</name><trkseg>{body}</trkseg></trk></gpx>".encode()
    last = T0 + pd.Timedelta(minutes=len(points) - 1 - DWELL) + pd.Timedelta(hours=8)
    return Walk(
        gpx, list(stops["spot_id"]), distance, float(len(points) - 1), last.strftime("%H:%M")
    )


def main() -> None:
    """Write the walk's GPX to stdout: ``python -m tests.patrol_walk > walk.gpx``."""
    import sys

    from geo.load import read_layers
    from geo.validate import validate_layers
    from sample_layers.generate import SAMPLE_PATH

    layers, _ = validate_layers(read_layers(SAMPLE_PATH))
    sys.stdout.buffer.write(walk(planned_stops(layers)).gpx)


if __name__ == "__main__":
    main()
