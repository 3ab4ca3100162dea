from __future__ import annotations

import folium
import pytest

from maps.chinese_tiles import choose_basemap, use_amap

# eviltransform's published pair (Shanghai): WGS84 -> GCJ-02, (lat, lon)
WGS = (31.1774276, 121.5272106)
GCJ = (31.17530398364597, 121.531541859215)


def _map() -> folium.Map:
    m = folium.Map(location=list(WGS), tiles=None)
    folium.TileLayer("OpenStreetMap", name="osm").add_to(m)
    folium.Marker(list(WGS)).add_to(m)
    folium.PolyLine([list(WGS), list(WGS)]).add_to(m)
    folium.GeoJson(
        {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "Point", "coordinates": [WGS[1], WGS[0]]},
        }
    ).add_to(m)
    m.fit_bounds([list(WGS), list(WGS)])
    return m


def test_amap_moves_every_overlay_to_gcj02() -> None:
    m = use_amap(_map())
    children = list(m._children.values())
    marker = next(c for c in children if isinstance(c, folium.Marker))
    line = next(c for c in children if isinstance(c, folium.PolyLine))
    geojson = next(c for c in children if isinstance(c, folium.GeoJson))
    assert marker.location == pytest.approx(list(GCJ), abs=1e-9)
    assert line.locations[0] == pytest.approx(list(GCJ), abs=1e-9)
    lon, lat = geojson.data["geometry"]["coordinates"]
    assert (lat, lon) == pytest.approx(GCJ, abs=1e-9)
    tiles = [c for c in children if isinstance(c, folium.TileLayer)]
    assert [t.layer_name for t in tiles[:2]] == ["高德地图", "高德卫星图"]
    assert tiles[0].show and not tiles[-1].show  # Amap first, OSM hidden
    assert "autonavi.com" in m.get_root().render()


def test_choose_basemap_toggles_layers() -> None:
    m = folium.Map(tiles=None)
    osm = folium.TileLayer("OpenStreetMap").add_to(m)
    blank = folium.TileLayer(tiles="data:image/png;base64,AAAA", attr="x").add_to(m)
    choose_basemap(m, "blank")
    assert blank.show and not osm.show
    choose_basemap(m, "osm")
    assert osm.show and not blank.show
