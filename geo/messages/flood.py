"""Messages of the flood-season review: reasons, checklist items and statuses, offices, the
review calendar, and what was measured when nothing was found."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    # the reasons of an institution's hazard level
    "flood_reason_in_flood_zone": {
        "zh": "位于洪水淹没区({name})",
        "en": "inside flood zone {name}",
    },
    "flood_reason_near_flood_zone": {
        "zh": "距洪水淹没区({name}){dist:.0f} 米",
        "en": "{dist:.0f} m from flood zone {name}",
    },
    "flood_reason_water_high": {"zh": "距{kind} {dist:.0f} 米", "en": "{dist:.0f} m from a {kind}"},
    "flood_reason_water_medium": {
        "zh": "距{kind} {dist:.0f} 米",
        "en": "{dist:.0f} m from a {kind}",
    },
    "flood_reason_landslide_zone": {
        "zh": "{dist:.0f} 米内有山体滑坡区({name})",
        "en": "landslide zone {name} within {dist:.0f} m",
    },
    "flood_reason_dangerous_wall": {
        "zh": "{dist:.0f} 米处有危墙({name})",
        "en": "dangerous wall {name} at {dist:.0f} m",
    },
    "flood_reason_dangerous_building": {
        "zh": "{dist:.0f} 米处有危房({name})",
        "en": "dangerous building {name} at {dist:.0f} m",
    },
    "flood_reason_steep_slope": {
        "zh": "周边 {radius:.0f} 米内最大坡度 {deg:.1f}°",
        "en": "slope up to {deg:.1f}° within {radius:.0f} m",
    },
    "flood_reason_past_incident": {
        "zh": "{radius:.0f} 米内曾发生溺水事件 {count} 起",
        "en": "{count} past drowning incident(s) within {radius:.0f} m",
    },
    "flood_reason_escape_far": {
        "zh": "撤离路线 {dist:.0f} 米,超过 {limit:.0f} 米",
        "en": "escape route {dist:.0f} m, longer than {limit:.0f} m",
    },
    "flood_reason_escape_unreachable": {
        "zh": "沿道路到不了洪水区外的安全点({why})",
        "en": "no road route to a safe point outside the flood zones ({why})",
    },
    # the checklist items, in report order
    "flood_item_water": {"zh": "水域", "en": "water"},
    "flood_item_slope": {"zh": "山体边坡", "en": "slope"},
    "flood_item_walls_buildings": {"zh": "危墙危房", "en": "walls and buildings"},
    "flood_item_flood_zone": {"zh": "洪水淹没区", "en": "flood zone"},
    "flood_item_escape_route": {"zh": "撤离路线", "en": "escape route"},
    "flood_item_incidents": {"zh": "既往溺水事件", "en": "past incidents"},
    # why an escape route could not be found
    "flood_why_no_safe_point": {
        "zh": "路网上没有洪水区外的节点",
        "en": "no road node outside the flood zones",
    },
    "flood_why_too_far": {"zh": "距道路过远", "en": "too far from any road"},
    "flood_why_across_barrier": {
        "zh": "只能跨越水域接入道路",
        "en": "the only nearby roads are across water",
    },
    "flood_why_empty": {"zh": "没有坐标", "en": "no coordinates"},
    # check statuses: a hazard found, nothing found, or the check could not be made
    "flood_status_hazard": {"zh": "发现隐患", "en": "hazard"},
    "flood_status_ok": {"zh": "未发现", "en": "none found"},
    "flood_status_not_needed": {
        "zh": "无需(不在洪水区附近)",
        "en": "not needed (away from flood zones)",
    },
    "flood_status_no_dem": {
        "zh": "未提供高程数据,仅按隐患图层",
        "en": "no DEM; hazard layers only",
    },
    "flood_status_no_coverage": {"zh": "高程数据未覆盖", "en": "outside the DEM"},
    "flood_status_reachable": {"zh": "可达", "en": "reachable"},
    "flood_status_unreachable": {"zh": "无法到达", "en": "unreachable"},
    # the office in charge
    "flood_office_education_bureau": {"zh": "教育局", "en": "education bureau"},
    "flood_office_civil_affairs": {"zh": "民政局", "en": "civil affairs office"},
    # review kinds of the season calendar
    "flood_review_pre_season": {"zh": "汛前排查", "en": "pre-season review"},
    "flood_review_in_season": {"zh": "汛期检查", "en": "in-season check"},
    "flood_review_main_season": {"zh": "主汛期检查", "en": "main-season check"},
    "flood_review_critical_weeks": {
        "zh": "七下八上关键期检查",
        "en": "critical weeks check (七下八上)",
    },
    "flood_review_spring_festival": {"zh": "春节前后检查", "en": "Spring Festival check"},
    "flood_review_children_day": {"zh": "六一前后检查", "en": "1 June check"},
    "flood_review_national_day": {"zh": "国庆前后检查", "en": "National Day check"},
    "flood_review_winter_holiday": {"zh": "寒假前后检查", "en": "winter holiday check"},
    "flood_review_summer_holiday": {"zh": "暑假前后检查", "en": "summer holiday check"},
    # the separator of reasons, and what was measured when a check found nothing
    "flood_sep": {"zh": "；", "en": "; "},
    "flood_ok_incidents": {
        "zh": "{radius:.0f} 米内无溺水事件记录",
        "en": "no recorded incident within {radius:.0f} m",
    },
    "flood_ok_water": {
        "zh": "最近水域为{kind},{dist:.0f} 米",
        "en": "nearest water: {kind}, {dist:.0f} m",
    },
    "flood_ok_slope": {"zh": "最大坡度 {deg:.1f}°", "en": "max slope {deg:.1f}°"},
    "flood_ok_walls_buildings": {
        "zh": "{radius:.0f} 米内无危墙危房",
        "en": "none within {radius:.0f} m",
    },
    "flood_ok_flood_zone": {
        "zh": "距洪水淹没区 {dist:.0f} 米",
        "en": "{dist:.0f} m from the nearest flood zone",
    },
    "flood_ok_escape_route": {
        "zh": "步行 {dist:.0f} 米到安全点",
        "en": "{dist:.0f} m walk to a safe point",
    },
}
