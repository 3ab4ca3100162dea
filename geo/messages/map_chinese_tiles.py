"""Messages of the chinese tiles map (maps/chinese_tiles.py): layer names, legends, popups and tooltips."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "map_chinese_tiles_Normal": {"zh": "高德地图", "en": "Amap"},
    "map_chinese_tiles_Satellite": {"zh": "高德卫星图", "en": "Amap satellite"},
    "map_chinese_tiles_tianditu": {"zh": "天地图", "en": "Tianditu"},
    "map_chinese_tiles_tianditu_img": {"zh": "天地图影像", "en": "Tianditu imagery"},
    "map_chinese_tiles_tianditu_labels": {"zh": "天地图注记", "en": "Tianditu labels"},
}
