"""Messages of the offline basemaps a county supplies (``tongan serve --tiles``)."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "local_tiles": {"zh": "本地底图({name})", "en": "Local basemap ({name})"},
    "no_tiles": {
        "zh": "未配置本地底图;启动时加 tongan serve --tiles 文件(MBTiles、PMTiles 或 GeoTIFF)",
        "en": "no local basemap; start with tongan serve --tiles FILE (MBTiles, PMTiles or GeoTIFF)",
    },
    "tile_vector": {
        "zh": "{name} 是矢量瓦片:地图页面暂只显示栅格瓦片,瓦片仍可在 /tiles 取用",
        "en": "{name} holds vector tiles: map pages show raster tiles only for now; the tiles are still served at /tiles",
    },
}
