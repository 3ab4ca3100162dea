"""The attacks on the shapes an output gives away, and what they recover of the households.

From every shape (metric CRS) an attacker takes candidate positions: every vertex, the centroid of
every part, the centre of the circle through every three consecutive vertices of a ring or line
(the arcs of a buffer give back the point buffered) and the corners of every bounding box. A
household is *recovered* when a candidate lies within ``RECOVERY_M`` (25 m) of it.

Public geometry is no leak: a shape is set aside as public when each of its vertices lies on a
public layer (roads, waters, areas, facilities, schools, equipment, hazards, incidents, known
spots: every layer but the households), on the privacy hexagon lattice (pointy-top hexagons of
flat-to-flat width ``cell_m * 2**k`` anchored at the metric CRS origin, vertices or centres), or
a buffer of public layers (most of its arcs centred on them, such as a service area of roads). The
remaining candidates are compared with the real households and, as a pure-chance baseline, with
the same households each moved by a random 60-150 m: a leak is a recovery the baseline does not
explain (:func:`excess`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from numpy.typing import NDArray
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from geo.layers import Layers

#: A household with a candidate this close is recovered (issue 15).
RECOVERY_M = 25.0
#: A candidate this close to a household was computed from it, not guessed.
EXACT_M = 0.5
#: A vertex this close to public geometry or the lattice lies on it.
ON_M = 1.0
#: Coarsenings of the lattice that maps use (cell_m * 2**k).
LATTICE_LEVELS = range(7)
#: Circles fitted to three vertices wider than this are straight lines, not arcs.
MAX_RADIUS_M = 5_000.0
#: A shape with at least this share of its arcs centred on public geometry is a buffer of it
#: (the service areas' arcs: about 0.7; the arcs of buffered households: below 0.02).
BUFFER_SHARE = 0.5
#: The chance baseline moves every household by a random distance in this range (m).
SHIFT_M = (60.0, 150.0)
BASELINE_DRAWS = 3

Points = NDArray[np.float64]
_SQRT3 = np.sqrt(3.0)


@dataclass
class Truth:
    """The real households, the public geometry and the lattice, in the metric CRS."""

    crs: pyproj.CRS
    households: Points
    public: shapely.STRtree
    public_geoms: NDArray[np.object_]
    cell_m: float
    to_metric: pyproj.Transformer
    shifted: list[Points] = field(default_factory=list)

    @classmethod
    def of(cls, layers: Layers, cell_m: float, seed: int = 15) -> Truth:
        metric = layers.to_metric()
        xy = shapely.get_coordinates(metric.households.geometry.to_numpy())
        public = [
            g
            for name, frame in metric.items()
            if name != "households"
            for g in frame.geometry.to_numpy()
            if g is not None and not g.is_empty
        ]
        geoms = np.asarray(public, dtype=object)
        polygons = np.isin(shapely.get_type_id(geoms), [3, 6])
        geoms[polygons] = shapely.boundary(geoms[polygons])  # on a polygon is on its outline
        rng = np.random.default_rng(seed)
        shifted = []
        for _ in range(BASELINE_DRAWS):
            angle = rng.uniform(0, 2 * np.pi, len(xy))
            dist = rng.uniform(*SHIFT_M, len(xy))
            shifted.append(xy + np.c_[np.cos(angle), np.sin(angle)] * dist[:, None])
        transformer = pyproj.Transformer.from_crs(4326, metric.crs, always_xy=True)
        return cls(metric.crs, xy, shapely.STRtree(geoms), geoms, cell_m, transformer, shifted)

    def metric(self, geoms: Iterable[BaseGeometry]) -> list[BaseGeometry]:
        """WGS84 shapes in the metric CRS."""
        arr = np.asarray([g for g in geoms if g is not None and not g.is_empty], dtype=object)
        if not len(arr):
            return []
        return list(
            shapely.transform(arr, lambda xy: np.c_[self.to_metric.transform(xy[:, 0], xy[:, 1])])
        )

    # --- what is public ---------------------------------------------------------------------

    def on_public(self, xy: Points) -> NDArray[np.bool_]:
        """Whether each point lies on public geometry."""
        if not len(xy):
            return np.zeros(0, dtype=bool)
        pts = shapely.points(xy)
        hit, _ = self.public.query(pts, predicate="dwithin", distance=ON_M)
        out = np.zeros(len(xy), dtype=bool)
        out[hit] = True
        return out

    def on_lattice(self, xy: Points, *, edges: bool = False) -> NDArray[np.bool_]:
        """Whether each point is a vertex or centre of a lattice hexagon (any level), or with
        ``edges`` anywhere on a hexagon's edge (where an overlay of two unions of cells puts
        its nodes)."""
        out = np.zeros(len(xy), dtype=bool)
        for k in LATTICE_LEVELS:
            out |= lattice_distance(xy, self.cell_m * 2**k) <= ON_M
            if edges:
                out |= lattice_edge_distance(xy, self.cell_m * 2**k) <= ON_M
        return out

    def is_public(self, geom: BaseGeometry) -> bool:
        """Whether a shape is made of public geometry or lattice cells only (no household)."""
        xy = shapely.get_coordinates(geom)
        if not len(xy):
            return True
        explained = self.on_public(xy) | self.on_lattice(xy, edges=True)
        if explained.mean() >= 0.98:
            return True
        if geom.geom_type in {"Point", "MultiPoint"} or len(xy) < 8:
            return False
        # a buffer of public geometry: its arcs are centred on roads (a service area), while
        # the arcs of a buffer of households are centred on homes
        lines = [line for part in _parts(geom) for line in _lines(part)]
        centres = np.concatenate([circle_centres(line) for line in lines] or [np.zeros((0, 2))])
        if len(centres) < 8:
            return False
        on = self.on_public(centres) | self.on_lattice(centres)
        return bool(on.mean() >= BUFFER_SHARE)


def _cell_centres(xy: Points, size: float) -> tuple[Points, Points]:
    """Centre of the lattice hexagon (circumradius ``size``) holding each point."""
    q, r = hexagon_of(xy, size * _SQRT3).T
    return size * _SQRT3 * (q + r / 2), size * 1.5 * r


def lattice_distance(xy: Points, cell_m: float) -> Points:
    """Distance of each point to the nearest vertex or centre of the hexagon lattice."""
    size = cell_m / _SQRT3
    x, y = xy[:, 0], xy[:, 1]
    cx0, cy0 = _cell_centres(xy, size)
    best = np.hypot(x - cx0, y - cy0)
    for angle in np.deg2rad(np.arange(6) * 60 + 30):
        vx, vy = cx0 + size * np.cos(angle), cy0 + size * np.sin(angle)
        best = np.minimum(best, np.hypot(x - vx, y - vy))
    return best


def lattice_edge_distance(xy: Points, cell_m: float) -> Points:
    """Distance of each point to the edge of the lattice hexagon holding it."""
    size = cell_m / _SQRT3
    cx0, cy0 = _cell_centres(xy, size)
    dx, dy = xy[:, 0] - cx0, xy[:, 1] - cy0
    # a pointy-top hexagon's edges face 0, 60 and 120 degrees, at the apothem from its centre
    reach = np.max(
        [np.abs(dx * np.cos(a) + dy * np.sin(a)) for a in np.deg2rad([0.0, 60.0, 120.0])], axis=0
    )
    return np.abs(size * _SQRT3 / 2 - reach)


# --- candidates ------------------------------------------------------------------------------


def circle_centres(xy: Points) -> Points:
    """Centres of the circles through every three consecutive vertices of a ring or line."""
    if len(xy) < 3:
        return np.zeros((0, 2))
    a, b, c = xy[:-2], xy[1:-1], xy[2:]
    d = 2 * (
        a[:, 0] * (b[:, 1] - c[:, 1])
        + b[:, 0] * (c[:, 1] - a[:, 1])
        + c[:, 0] * (a[:, 1] - b[:, 1])
    )
    ok = np.abs(d) > 1e-9
    a, b, c, d = a[ok], b[ok], c[ok], d[ok]
    sa, sb, sc = (a**2).sum(1), (b**2).sum(1), (c**2).sum(1)
    ux = (sa * (b[:, 1] - c[:, 1]) + sb * (c[:, 1] - a[:, 1]) + sc * (a[:, 1] - b[:, 1])) / d
    uy = (sa * (c[:, 0] - b[:, 0]) + sb * (a[:, 0] - c[:, 0]) + sc * (b[:, 0] - a[:, 0])) / d
    centres = np.c_[ux, uy]
    radius = np.hypot(centres[:, 0] - a[:, 0], centres[:, 1] - a[:, 1])
    return centres[radius <= MAX_RADIUS_M]


def _parts(geom: BaseGeometry) -> list[BaseGeometry]:
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in _parts(g)]
    return [geom]


def _lines(part: BaseGeometry) -> list[Points]:
    if part.geom_type == "Polygon":
        return [np.asarray(part.exterior.coords)] + [np.asarray(r.coords) for r in part.interiors]
    if part.geom_type == "LineString":
        return [np.asarray(part.coords)]
    return []


ATTACKS = ("vertices", "centroids", "circles", "bbox")


def candidates(geom: BaseGeometry) -> dict[str, Points]:
    """The candidate positions of one shape, per attack."""
    parts = [p for p in _parts(geom) if not p.is_empty]
    x0, y0, x1, y1 = geom.bounds
    lines = [line for p in parts for line in _lines(p)]
    return {
        "vertices": shapely.get_coordinates(geom),
        "centroids": np.asarray([[p.centroid.x, p.centroid.y] for p in parts]).reshape(-1, 2),
        "circles": np.concatenate([circle_centres(line) for line in lines] or [np.zeros((0, 2))]),
        "bbox": np.asarray([[x0, y0], [x0, y1], [x1, y0], [x1, y1]]),
    }


@dataclass
class Findings:
    """What the attacks recovered from a set of shapes."""

    shapes: int = 0
    public_shapes: int = 0
    points: dict[str, Points] = field(default_factory=dict)

    def all_points(self) -> Points:
        return np.concatenate([*self.points.values(), np.zeros((0, 2))])


def public_mask(truth: Truth, shapes: Sequence[BaseGeometry]) -> NDArray[np.bool_]:
    """Which shapes are public (:meth:`Truth.is_public`), vertices tested all at once."""
    arr = np.asarray(shapes, dtype=object)
    if not len(arr):
        return np.zeros(0, dtype=bool)
    xy, index = shapely.get_coordinates(arr, return_index=True)
    explained = truth.on_public(xy) | truth.on_lattice(xy)
    total = np.bincount(index, minlength=len(arr))
    good = np.bincount(index, weights=explained, minlength=len(arr))
    share = np.divide(good, total, out=np.ones(len(arr)), where=total > 0)
    out = share >= 0.98
    for i in np.flatnonzero(~out & (total >= 8)):
        kinds = {p.geom_type for p in _parts(arr[i])}
        if kinds & {"Polygon", "LineString"}:
            out[i] = truth.is_public(arr[i])
    return out


def attack(truth: Truth, shapes: Sequence[BaseGeometry]) -> Findings:
    """Candidate positions (metric) of the WGS84 shapes that are not public, per attack."""
    shapes = truth.metric(shapes)
    out = Findings(points={a: np.zeros((0, 2)) for a in ATTACKS})
    public = public_mask(truth, shapes)
    out.shapes, out.public_shapes = len(shapes), int(public.sum())
    kept: dict[str, list[Points]] = {a: [] for a in ATTACKS}
    for geom in (g for g, p in zip(shapes, public, strict=True) if not p):
        for name, pts in candidates(geom).items():
            kept[name].append(pts)
    for name, chunks in kept.items():
        if chunks:
            pts = np.concatenate(chunks)
            out.points[name] = np.unique(np.round(pts, 2), axis=0)
    return out


def recovered(households: Points, points: Points, within: float = RECOVERY_M) -> NDArray[np.bool_]:
    """Which households have a candidate within ``within`` metres."""
    if not len(points):
        return np.zeros(len(households), dtype=bool)
    dist, _ = cKDTree(points).query(households, k=1, distance_upper_bound=within)
    return np.asarray(np.isfinite(dist))


@dataclass(frozen=True)
class Score:
    """Households recovered from some output: within 25 m and within 0.5 m, and by chance."""

    within_25m: int
    exact: int
    baseline: int
    baseline_exact: int
    candidates: int

    @property
    def excess(self) -> int:
        """Recoveries within 25 m beyond what chance gives (the pure-chance baseline)."""
        return self.within_25m - self.baseline

    @property
    def leaks(self) -> bool:
        """More households recovered than chance explains (3 sigma, and at least 3 more)."""
        far = self.excess > max(3.0, 3.0 * np.sqrt(max(self.baseline, 1)))
        near = self.exact - self.baseline_exact > max(
            3.0, 3.0 * np.sqrt(max(self.baseline_exact, 1))
        )
        return bool(far or near)

    def __str__(self) -> str:
        return (
            f"{self.within_25m} households within 25 m (chance {self.baseline}), "
            f"{self.exact} within 0.5 m (chance {self.baseline_exact}), "
            f"{self.candidates} candidate points"
        )


def score(truth: Truth, points: Points) -> Score:
    """Score candidate points against the households and the chance baseline."""
    hits = int(recovered(truth.households, points).sum())
    exact = int(recovered(truth.households, points, EXACT_M).sum())
    base = max((int(recovered(s, points).sum()) for s in truth.shifted), default=0)
    base_exact = max((int(recovered(s, points, EXACT_M).sum()) for s in truth.shifted), default=0)
    return Score(hits, exact, base, base_exact, len(points))


def frame_shapes(frame: gpd.GeoDataFrame) -> list[BaseGeometry]:
    """The shapes of a frame, in WGS84."""
    wgs = frame.to_crs(4326) if frame.crs is not None else frame
    return [g for g in wgs.geometry if g is not None and not g.is_empty]


def hexagon_of(xy: Points, cell_m: float) -> NDArray[np.int64]:
    """The axial ``(q, r)`` of the lattice hexagon (flat-to-flat ``cell_m``) holding each point."""
    size = cell_m / _SQRT3
    q = (_SQRT3 / 3 * xy[:, 0] - xy[:, 1] / 3) / size
    r = (2 / 3 * xy[:, 1]) / size
    cy = -q - r
    rx, ry, rz = np.round(q), np.round(cy), np.round(r)
    dx, dy, dz = np.abs(rx - q), np.abs(ry - cy), np.abs(rz - r)
    fix_x = (dx > dy) & (dx > dz)
    fix_y = ~fix_x & (dy > dz)
    rx = np.where(fix_x, -ry - rz, rx)
    rz = np.where(~fix_x & ~fix_y, -rx - ry, rz)
    return np.c_[rx, rz].astype(np.int64)
