"""Messages of the risk map (maps/risk.py): layer names, legends, popups and tooltips."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "map_risk_waters": {"zh": "水域", "en": "Waters"},
    "map_risk_spots": {"zh": "风险点", "en": "Risk spots"},
    "map_risk_red": {"zh": "红色(高风险)", "en": "red (high risk)"},
    "map_risk_yellow": {"zh": "黄色(较高风险)", "en": "yellow (elevated)"},
    "map_risk_green": {"zh": "绿色(一般)", "en": "green (general)"},
    "map_risk_equipment": {"zh": "救生设施(现有)", "en": "Equipment present"},
    "map_risk_broken": {"zh": "损坏或缺失", "en": "damaged or missing"},
    "map_risk_fences": {"zh": "防护栏", "en": "Fences"},
    "map_risk_density": {"zh": "儿童密度(聚合)", "en": "Child density (aggregated)"},
    "map_risk_suppressed": {"zh": "户数过少,不显示", "en": "too few households, withheld"},
    "map_risk_households": {"zh": "重点儿童家庭(授权)", "en": "Households (authorised)"},
    "map_risk_risk": {"zh": "风险", "en": "Risk"},
    "map_risk_hazard": {"zh": "危险度", "en": "Hazard"},
    "map_risk_exposure": {"zh": "暴露度", "en": "Exposure"},
    "map_risk_mitigation": {"zh": "防护度", "en": "Mitigation"},
    "map_risk_children": {"zh": "步行范围内儿童", "en": "Children within walking distance"},
    "map_risk_near": {"zh": "近水家庭(户)", "en": "Households near the water"},
    "map_risk_schools": {"zh": "步行范围内学校", "en": "Schools within walking distance"},
    "map_risk_missing": {"zh": "缺少", "en": "Missing"},
    "map_risk_none": {"zh": "无", "en": "none"},
    "map_risk_water": {"zh": "水域", "en": "Water"},
    "map_risk_village": {"zh": "村", "en": "Village"},
    "map_risk_chief": {"zh": "河长", "en": "River chief"},
    "map_risk_inspected": {"zh": "最近检查", "en": "Last inspected"},
    "map_risk_explanation": {"zh": "说明", "en": "Explanation"},
    "map_risk_condition": {"zh": "状态", "en": "Condition"},
    "map_risk_legend_risk": {"zh": "溺水风险点", "en": "Drowning-risk spots"},
    "map_risk_legend_eq": {"zh": "救生设施", "en": "Equipment"},
    "map_risk_legend_density": {"zh": "儿童数(每格)", "en": "Children per cell"},
    "map_risk_children_col": {"zh": "儿童数", "en": "Children"},
    "map_risk_spot_cells": {
        "zh": "风险点(缩小时按格汇总)",
        "en": "Risk spots (summed per cell when zoomed out)",
    },
    "map_risk_legend_cells": {"zh": "风险点(每格)", "en": "Risk spots per cell"},
    "map_risk_zoom_in": {
        "zh": "放大到第 {z} 级显示单个风险点",
        "en": "zoom in to level {z} for single spots",
    },
    "map_risk_cell_tip": {
        "zh": "红 {red} · 黄 {yellow} · 绿 {green}",
        "en": "red {red} · yellow {yellow} · green {green}",
    },
    "map_risk_households_col": {"zh": "户数", "en": "Households"},
}
