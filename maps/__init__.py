"""Folium maps of the analyses' results (results in, ``folium.Map`` out; no computation).

The names are imported on first use (PEP 562), so ``import maps`` does not load folium::

    import maps

    maps.coverage_map(coverage).save("coverage.html")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.lazy import lazy_exports

if TYPE_CHECKING:
    from maps.base import base_map
    from maps.coverage import coverage_map
    from maps.flood import flood_map
    from maps.overview import overview_map
    from maps.patrol import patrol_map
    from maps.risk import risk_map
    from maps.siting import siting_map
    from maps.visits import visits_map

__all__ = [
    "base_map",
    "coverage_map",
    "flood_map",
    "overview_map",
    "patrol_map",
    "risk_map",
    "siting_map",
    "visits_map",
]

#: Public name -> the module defining it (imported on first use).
_EXPORTS = {
    "base_map": "maps.base",
    "coverage_map": "maps.coverage",
    "flood_map": "maps.flood",
    "overview_map": "maps.overview",
    "patrol_map": "maps.patrol",
    "risk_map": "maps.risk",
    "siting_map": "maps.siting",
    "visits_map": "maps.visits",
}


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, __all__, globals())
