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


def test_tianditu_joins_the_control_with_a_key_and_keeps_overlays_in_wgs84() -> None:
    m = _map()
    choose_basemap(m, "tianditu", tianditu_key="KEY123")
    children = list(m._children.values())
    tiles = [c for c in children if isinstance(c, folium.TileLayer)]
    names = {t.layer_name: t for t in tiles}
    assert set(names) == {"osm", "天地图", "天地图影像", "天地图注记"}
    assert names["天地图"].show and names["天地图注记"].show and names["天地图注记"].overlay
    assert not names["osm"].show and not names["天地图影像"].show
    # tile layers before the overlays (Leaflet draws in order), and the overlays not moved
    kinds = [isinstance(c, folium.TileLayer) for c in children]
    assert kinds == sorted(kinds, reverse=True)
    marker = next(c for c in children if isinstance(c, folium.Marker))
    assert marker.location == pytest.approx(list(WGS), abs=1e-12)
    html = m.get_root().render()
    assert "tianditu.gov.cn/vec_w/wmts" in html and "tk=KEY123" in html
    # added once however often the basemap is chosen; OSM first again hides Tianditu
    choose_basemap(m, "osm", tianditu_key="KEY123")
    tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert len(tiles) == 4
    assert [t.layer_name for t in tiles if t.show] == ["osm"]


def test_tianditu_without_a_key_is_refused() -> None:
    with pytest.raises(ValueError, match="TONGAN_TIANDITU_KEY"):
        choose_basemap(_map(), "tianditu")
    m = _map()
    choose_basemap(m, "osm")
    assert "tianditu" not in m.get_root().render()
