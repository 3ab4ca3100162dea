"""Messages of the reference map (maps/reference.py): layer names, legends, popups and tooltips."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "map_reference_areas": {"zh": "行政区划", "en": "Areas"},
    "map_reference_waters": {"zh": "水域", "en": "Waters"},
    "map_reference_roads": {"zh": "道路", "en": "Roads"},
    "map_reference_labels": {"zh": "地名", "en": "Place names"},
    "map_reference_local_roads": {
        "zh": "村道、机耕道、小路放大到第 {z} 级显示",
        "en": "village roads, tracks and paths from zoom {z}",
    },
}
