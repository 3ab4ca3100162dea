"""Messages of the service-coverage analysis: the notes of a run (``CoverageResult.notes``)."""

from __future__ import annotations

from geo.messages import Catalogue

_ABSENT_ZH = {
    "children_home": "儿童之家",
    "township_workstation": "未成年人保护工作站",
    "county_institution": "未成年人救助保护机构",
    "welfare_institution": "儿童福利机构",
    "other_station": "其他站点",
}

MESSAGES: Catalogue = {
    # one code per facility kind absent (``absent_children_home``...)
    **{
        f"absent_{kind}": {
            "zh": f"设施图层中没有{zh}({kind}),其步行距离列为空",
            "en": f"the facilities layer has no {kind}; its distance column is empty",
        }
        for kind, zh in _ABSENT_ZH.items()
    },
    "no_covering": {
        "zh": "没有任何可计入覆盖的设施({kinds_zh}),所有家庭均未覆盖",
        "en": "no facility of the covering kinds {kinds_en}; no household is covered",
    },
    "estimated_locations": {
        "zh": "{n} 户没有坐标,位置按所在村的道路估算,距离和覆盖为估计值;入户采集坐标后会更准确",
        "en": "{n} household(s) have estimated locations (placed along their village's roads): their distances and coverage are estimates until locations are captured",
    },
    "off_road": {
        "zh": "{n} 户距道路超过 {limit_m:g} 米或与道路隔水,无法计算步行距离,计为未覆盖",
        "en": "{n} household(s) are over {limit_m:g} m from any road or across water from it; counted as not covered",
    },
    "unreachable": {
        "zh": "{n} 户所在路网与任何服务设施不连通,计为未覆盖",
        "en": "{n} household(s) are on roads not connected to any covering facility",
    },
    "facility_off_road": {
        "zh": "{n} 个设施距道路过远或隔水,未参与计算:{ids_zh}",
        "en": "{n} facilit(y/ies) could not join the roads and were left out: {ids_en}",
    },
}
