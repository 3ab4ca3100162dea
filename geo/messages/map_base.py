"""Messages of the base map (maps/base.py): layer names, legends, popups and tooltips."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "map_base_osm": {"zh": "OpenStreetMap 地图", "en": "OpenStreetMap"},
    "map_base_blank": {"zh": "空白底图(离线)", "en": "Plain background (offline)"},
    "map_base_legend": {"zh": "图例", "en": "Legend"},
    "map_base_search_layer": {"zh": "村名搜索", "en": "Village search"},
    "map_base_search_placeholder": {"zh": "搜索村名", "en": "Search a village"},
}
