"""The routable road network: walking distances along roads, the hot path of Tongan.

The roads layer is turned once into a :class:`RoadNetwork` (:mod:`geo.network.build`);
households, children's homes and water spots are then snapped onto its edges
(:func:`snap_points`, :mod:`geo.network.snap`; connectors may not cross a barrier,
:mod:`geo.network.barriers`) and walking distances are computed (:mod:`geo.network.distances`)
with one multi-source Dijkstra run (:func:`distances_from`, :func:`nearest_by_group`), one
many-to-many run (:func:`distance_matrix`, dense: small inputs), or many-to-many runs in blocks
of sources that keep only the pairs within a limit (:func:`distance_pairs`, sparse: a county's
candidate sites and households). :func:`reach` and :func:`service_areas`
(:mod:`geo.network.areas`) give the part of the network within a walk of each source.

Topology rules (:func:`build_network`)
--------------------------------------
* Vertices closer than ``tolerance_m`` are merged (KD-tree clustering, single linkage), so road
  ends digitised a few decimetres apart still meet.
* A junction is a line end, or a vertex used more than once: shared by two lines or visited twice
  by the same line. Lines are split at junctions; each piece between two junctions is an edge.
* Two lines that merely *cross* without a shared vertex are **not** connected: bridges and
  overpasses must not become junctions. Digitise a shared vertex where roads really meet.
* Every edge is walkable in both directions.

Walking distance
----------------
The distance from a point A to a point B is ``connector(A) + along-network distance between
their snapped positions + connector(B)``, where a connector is the straight segment from a point
to the nearest point of the nearest edge it may reach (not crossing a barrier such as a river).
"""

from __future__ import annotations

from geo.network.areas import service_areas
from geo.network.build import RoadNetwork, build_network
from geo.network.distances import (
    DistancePairs,
    NearestSource,
    distance_matrix,
    distance_pairs,
    distances_from,
    nearest_by_group,
    reach,
)
from geo.network.snap import SNAP_REASONS, SnapResult, snap_points

__all__ = [
    "SNAP_REASONS",
    "DistancePairs",
    "NearestSource",
    "RoadNetwork",
    "SnapResult",
    "build_network",
    "distance_matrix",
    "distance_pairs",
    "distances_from",
    "nearest_by_group",
    "reach",
    "service_areas",
    "snap_points",
]
