"""Messages of the drowning-risk analysis: its notes, the spots' explanations and places."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    # notes of a run (RiskResult.notes)
    "risk_no_equipment": {
        "zh": "未提供救生设施图层:所有风险点均视为缺少四个一设施",
        "en": "equipment layer absent: every spot lacks all four items",
    },
    "risk_no_incidents": {
        "zh": "未提供溺水事件图层:危险度未计入既往溺水事件",
        "en": "incidents layer absent: no hazard is raised by past incidents",
    },
    "risk_no_known_spots": {
        "zh": "未提供已知危险点图层:仅评估河段与岸线",
        "en": "known_spots layer absent: only reaches are assessed",
    },
    "risk_estimated_locations": {
        "zh": "{n} 户没有坐标,位置按所在村的道路估算,其附近的暴露度为估计值;入户采集坐标后会更准确",
        "en": "{n} household(s) have estimated locations (placed along their village's roads): exposure near them is an estimate until locations are captured",
    },
    "risk_no_reach": {
        "zh": "没有距家庭或学校 {distance_m:.0f} 米以内的水域河段",
        "en": "no water reach lies within {distance_m:.0f} m of a household or school",
    },
    "risk_spots_off_road": {
        "zh": "{n} 个风险点距道路超过 {distance_m:.0f} 米:暴露度按 0 计",
        "en": "{n} spot(s) lie farther than {distance_m:.0f} m from any road: their exposure is 0",
    },
    "risk_people_off_road": {
        "zh": "{n} 户家庭或学校无法接入路网(距离过远或隔水),未计入任何风险点",
        "en": "{n} household(s)/school(s) could not be snapped to the road network (too far or across water) and count towards no spot",
    },
    # a spot's explanation (the ``explanation`` / ``explanation_en`` columns)
    "risk_explanation": {
        "zh": "风险 {risk:.0f}({cls}):危险度 {hazard:.2f}({factors});暴露度 {exposure:.1f}:步行范围内儿童 {children} 名(近水 {near} 户)、学校 {schools} 所;防护 {mitigation:.2f}:{lack}",
        "en": "risk {risk:.0f} ({cls}): hazard {hazard:.2f} ({factors}); exposure {exposure:.1f}: {children} children within walking distance ({near} households near the water), {schools} schools; mitigation {mitigation:.2f}: {lack}",
    },
    "risk_class_red": {"zh": "红", "en": "red"},
    "risk_class_yellow": {"zh": "黄", "en": "yellow"},
    "risk_class_green": {"zh": "绿", "en": "green"},
    "risk_lacks": {"zh": "缺{items}", "en": "lacks {items}"},
    "risk_lacks_nothing": {"zh": "四个一及防护栏齐全", "en": "all four-ones and a fence"},
    "risk_list_sep": {"zh": "、", "en": ", "},
    # hazard factors
    "risk_factor_entries": {"zh": "下水点{n}处", "en": "{n} entry points"},
    "risk_factor_flood": {"zh": "汛期", "en": "flood season"},
    "risk_factor_summer": {"zh": "暑假", "en": "summer holidays"},
    "risk_season_times": {"zh": "×{factor}", "en": "×{factor}"},
    "risk_season_normal": {"zh": "平时", "en": "outside the season"},
    "risk_factor_unknown_water": {"zh": "未知水域", "en": "unknown water"},
    "risk_factor_known": {"zh": "已登记{kind}", "en": "registered {kind}"},
    "risk_factor_incidents": {
        "zh": "附近曾发生溺水事件{n}起",
        "en": "{n} drowning incidents nearby",
    },
    # where a spot is, in words
    "risk_place_water": {"zh": "水边", "en": "water"},
    "risk_place_village": {"zh": "{village}{what}", "en": "{village} {what}"},
}
