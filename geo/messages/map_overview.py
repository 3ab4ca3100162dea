"""Messages of the overview map (maps/overview.py): layer names, legends, popups and tooltips."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "map_overview_schools": {"zh": "学校", "en": "Schools"},
    "map_overview_facilities": {"zh": "儿童服务设施", "en": "Child facilities"},
    "map_overview_equipment": {"zh": "救生设施", "en": "Rescue equipment"},
    "map_overview_hazards": {"zh": "隐患", "en": "Hazards"},
    "map_overview_cells": {"zh": "重点儿童分布(聚合)", "en": "Children (aggregated)"},
    "map_overview_cell_title": {
        "zh": "每格留守+困境儿童",
        "en": "Left-behind + in-difficulty per cell",
    },
    "map_overview_suppressed": {"zh": "户数过少,不显示", "en": "too few households, withheld"},
    "map_overview_name": {"zh": "名称", "en": "Name"},
    "map_overview_kind": {"zh": "类型", "en": "Kind"},
    "map_overview_households": {"zh": "户数", "en": "Households"},
    "map_overview_children": {"zh": "儿童", "en": "Children"},
    "map_overview_left_behind": {"zh": "留守儿童", "en": "Left-behind"},
    "map_overview_in_difficulty": {"zh": "困境儿童", "en": "In difficulty"},
    "map_overview_condition": {"zh": "状态", "en": "Condition"},
    "map_overview_pupils": {"zh": "在校人数", "en": "Pupils"},
}
