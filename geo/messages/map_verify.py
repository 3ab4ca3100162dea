"""Messages of the patrol-verification map (maps/verify.py): layers, legend, popups."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "map_verify_legend": {"zh": "巡查核验", "en": "Patrol check"},
    "map_verify_track": {"zh": "巡查轨迹", "en": "GPS track"},
    "map_verify_visited": {"zh": "已巡查(计划点)", "en": "visited (planned)"},
    "map_verify_skipped": {"zh": "漏查(计划点)", "en": "skipped (planned)"},
    "map_verify_unplanned": {"zh": "计划外停留", "en": "unplanned stop"},
    "map_verify_spot": {"zh": "编号", "en": "spot"},
    "map_verify_water": {"zh": "水域", "en": "water"},
    "map_verify_planned": {"zh": "计划到达", "en": "planned arrival"},
    "map_verify_arrival": {"zh": "实际到达", "en": "arrival"},
    "map_verify_minutes": {"zh": "停留(分钟)", "en": "minutes there"},
    "map_verify_none": {"zh": "未到", "en": "not reached"},
}
