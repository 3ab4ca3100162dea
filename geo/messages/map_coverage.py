"""Messages of the coverage map (maps/coverage.py): layer names, legends, popups and tooltips."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "map_coverage_villages": {"zh": "村儿童覆盖率", "en": "Village coverage of children"},
    "map_coverage_areas": {"zh": "服务范围(步行 {s:g} 米)", "en": "Service areas ({s:g} m walk)"},
    "map_coverage_facilities": {"zh": "儿童服务设施", "en": "Child-service facilities"},
    "map_coverage_gaps": {"zh": "覆盖缺口区域", "en": "Coverage gaps"},
    "map_coverage_hh": {"zh": "未覆盖家庭(授权可见)", "en": "Uncovered households (authorised)"},
    "map_coverage_cells": {
        "zh": "未覆盖家庭(网格汇总)",
        "en": "Uncovered households (hexagon counts)",
    },
    "map_coverage_checks": {"zh": "政策检查发现", "en": "Policy-check findings"},
    "map_coverage_share": {"zh": "覆盖率", "en": "share covered"},
    "map_coverage_no_children": {"zh": "无儿童数据", "en": "no children"},
    "map_coverage_kind": {"zh": "类型", "en": "kind"},
    "map_coverage_children": {"zh": "儿童", "en": "children"},
    "map_coverage_covered": {"zh": "步行标准内儿童", "en": "children within the standard"},
    "map_coverage_left_behind": {"zh": "留守儿童", "en": "left-behind"},
    "map_coverage_in_difficulty": {"zh": "困境儿童", "en": "in difficulty"},
    "map_coverage_median": {"zh": "步行距离中位数(米)", "en": "median walk (m)"},
    "map_coverage_p90": {"zh": "90% 分位步行距离(米)", "en": "90th percentile walk (m)"},
    "map_coverage_directors": {"zh": "需儿童主任(名)", "en": "directors needed"},
    "map_coverage_households": {"zh": "家庭户数", "en": "households"},
    "map_coverage_village": {"zh": "所在村", "en": "village"},
    "map_coverage_small": {"zh": "小缺口(仅授权可见)", "en": "small gap (authorised only)"},
    "map_coverage_area": {"zh": "室内面积(平方米)", "en": "floor area (m²)"},
    "map_coverage_road": {"zh": "可达道路(米)", "en": "reached roads (m)"},
    "map_coverage_distance": {"zh": "步行距离(米)", "en": "walking distance (m)"},
    "map_coverage_reach": {"zh": "可达情况", "en": "reach"},
    "map_coverage_suppressed": {"zh": "户数过少,已隐藏", "en": "too few households, withheld"},
    "map_coverage_finding": {"zh": "发现", "en": "finding"},
    "map_coverage_missing": {"zh": "缺少", "en": "missing"},
    "map_coverage_reach_ok": {"zh": "超出步行标准", "en": "beyond the standard"},
    "map_coverage_reach_too_far_from_road": {"zh": "远离道路或隔水", "en": "off the road network"},
    "map_coverage_reach_unreachable": {"zh": "路网不连通", "en": "not connected"},
    "map_coverage_finding_missing": {
        "zh": "{finding}(缺少:{items})",
        "en": "{finding} (missing: {items})",
    },
}
