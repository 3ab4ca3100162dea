"""Messages of the patrol map (maps/patrol.py): layer names, legends, popups and tooltips."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "map_patrol_route": {"zh": "第 {d} 天路线", "en": "Day {d} route"},
    "map_patrol_stops": {"zh": "第 {d} 天巡查点", "en": "Day {d} stops"},
    "map_patrol_legend": {"zh": "巡查路线", "en": "Patrol routes"},
    "map_patrol_class": {"zh": "风险等级", "en": "Risk class"},
    "map_patrol_red": {"zh": "红色(高风险)", "en": "red (high)"},
    "map_patrol_yellow": {"zh": "黄色(中风险)", "en": "yellow (medium)"},
    "map_patrol_green": {"zh": "绿色(低风险)", "en": "green (low)"},
    "map_patrol_start": {"zh": "出发点", "en": "Start"},
    "map_patrol_place": {"zh": "位置", "en": "place"},
    "map_patrol_spot": {"zh": "编号", "en": "spot"},
    "map_patrol_water": {"zh": "水域", "en": "water"},
    "map_patrol_arrival": {"zh": "到达", "en": "arrival"},
    "map_patrol_risk": {"zh": "风险", "en": "risk"},
}
