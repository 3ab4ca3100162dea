"""The analyses: pure computations on validated layers (no folium, no fastapi).

The functions a notebook calls, each with its frozen result; ``settings`` defaults to
:func:`geo.settings.get_settings` everywhere. The names are imported on first use (PEP 562)::

    import analysis

    coverage = analysis.assess_coverage(layers)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.lazy import lazy_exports

if TYPE_CHECKING:
    from analysis.coverage import CoverageResult, assess_coverage, policy_checks
    from analysis.flood import FloodReview, review_institutions, reviews_due
    from analysis.patrol import (
        PatrolPlan,
        apply_patrol_records,
        patrol_windows,
        plan_patrols,
        spot_priority,
    )
    from analysis.province import ProvinceResult, run_province
    from analysis.risk import RiskResult, assess_risk
    from analysis.season import season_on
    from analysis.siting import SitingResult, demand_weights, site_facilities
    from analysis.visits import VisitPlan, plan_visits, visit_schedule

__all__ = [
    "CoverageResult",
    "FloodReview",
    "PatrolPlan",
    "ProvinceResult",
    "RiskResult",
    "SitingResult",
    "VisitPlan",
    "apply_patrol_records",
    "assess_coverage",
    "assess_risk",
    "demand_weights",
    "patrol_windows",
    "plan_patrols",
    "plan_visits",
    "policy_checks",
    "review_institutions",
    "reviews_due",
    "run_province",
    "season_on",
    "site_facilities",
    "spot_priority",
    "visit_schedule",
]

#: Public name -> the module defining it (imported on first use).
_EXPORTS = {
    "RiskResult": "analysis.risk",
    "assess_risk": "analysis.risk",
    "CoverageResult": "analysis.coverage",
    "assess_coverage": "analysis.coverage",
    "policy_checks": "analysis.coverage",
    "SitingResult": "analysis.siting",
    "demand_weights": "analysis.siting",
    "site_facilities": "analysis.siting",
    "PatrolPlan": "analysis.patrol",
    "apply_patrol_records": "analysis.patrol",
    "patrol_windows": "analysis.patrol",
    "plan_patrols": "analysis.patrol",
    "spot_priority": "analysis.patrol",
    "VisitPlan": "analysis.visits",
    "plan_visits": "analysis.visits",
    "visit_schedule": "analysis.visits",
    "FloodReview": "analysis.flood",
    "review_institutions": "analysis.flood",
    "reviews_due": "analysis.flood",
    "ProvinceResult": "analysis.province",
    "run_province": "analysis.province",
    "season_on": "analysis.season",
}


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, __all__, globals())
