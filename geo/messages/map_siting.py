"""Messages of the siting map (maps/siting.py): layer names, legends, popups and tooltips."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "map_siting_existing": {"zh": "现有设施", "en": "Existing facilities"},
    "map_siting_candidates": {"zh": "候选站点", "en": "Candidate sites"},
    "map_siting_chosen": {"zh": "选定新站点(按序号)", "en": "Chosen sites (by rank)"},
    "map_siting_reach_before": {"zh": "服务范围(新建前)", "en": "Service reach (before)"},
    "map_siting_reach_after": {"zh": "服务范围(新建后)", "en": "Service reach (after)"},
    "map_siting_demand": {"zh": "需求(六边形汇总)", "en": "Demand (hexagon totals)"},
    "map_siting_households": {"zh": "重点儿童家庭(已授权)", "en": "Households (authorised)"},
    "map_siting_legend": {"zh": "选址", "en": "Siting"},
    "map_siting_rank": {"zh": "序号", "en": "Rank"},
    "map_siting_site": {"zh": "站点", "en": "Site"},
    "map_siting_village": {"zh": "所在村", "en": "Village"},
    "map_siting_gain": {"zh": "边际增益", "en": "Marginal gain"},
    "map_siting_hh_gained": {"zh": "新覆盖家庭", "en": "Households newly covered"},
    "map_siting_cov_before": {"zh": "村覆盖率(新建前)", "en": "Village coverage before"},
    "map_siting_cov_after": {"zh": "村覆盖率(新建后)", "en": "Village coverage after"},
    "map_siting_all_before": {"zh": "总覆盖率(新建前)", "en": "Overall coverage before"},
    "map_siting_all_after": {"zh": "总覆盖率(新建后)", "en": "Overall coverage after"},
    "map_siting_hh": {"zh": "家庭数", "en": "Households"},
    "map_siting_weight": {"zh": "需求权重", "en": "Demand weight"},
    "map_siting_suppressed": {"zh": "户数过少,已隐藏", "en": "too few households, withheld"},
    "map_siting_name": {"zh": "名称", "en": "Name"},
}
