"""Messages of the flood map (maps/flood.py): layer names, legends, popups and tooltips."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "map_flood_institutions": {"zh": "儿童机构(按隐患等级)", "en": "Institutions by hazard level"},
    "map_flood_waters": {"zh": "水域", "en": "Waters"},
    "map_flood_routes": {"zh": "撤离路线", "en": "Escape routes"},
    "map_flood_legend_levels": {"zh": "隐患等级", "en": "Hazard level"},
    "map_flood_legend": {"zh": "汛期隐患排查", "en": "Flood-season review"},
    "map_flood_name": {"zh": "名称", "en": "Name"},
    "map_flood_kind": {"zh": "类型", "en": "Kind"},
    "map_flood_level": {"zh": "隐患等级", "en": "Hazard level"},
    "map_flood_reasons": {"zh": "原因", "en": "Reasons"},
    "map_flood_exposed": {"zh": "涉及儿童/学生", "en": "Children / pupils"},
    "map_flood_office": {"zh": "责任部门", "en": "Responsible office"},
    "map_flood_escape": {"zh": "撤离距离", "en": "Escape distance"},
    "map_flood_route_to": {"zh": "撤离路线:", "en": "Escape route: "},
    "map_flood_none": {"zh": "无", "en": "none"},
    "map_flood_metres": {"zh": "{d:.0f} 米", "en": "{d:.0f} m"},
}
