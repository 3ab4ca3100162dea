"""User-facing text in Simplified Chinese (default) and English.

Messages are templates keyed by a short code; ``tr(key, lang, **values)`` fills one in. Keeping
both languages side by side here keeps them in step.
"""

from __future__ import annotations

import pandas as pd

from geo.settings import Language

MESSAGES: dict[str, dict[str, str]] = {
    # validation problems
    "missing_layer": {
        "zh": "缺少必需图层 {layer}({layer_zh});请提供 {layer}.gpkg/.geojson/.shp/.csv",
        "en": "required layer {layer} is missing; provide {layer}.gpkg/.geojson/.shp/.csv",
    },
    "missing_column": {
        "zh": "缺少必需列 {column}({column_zh});请在数据中加入该列,或在列名映射文件中映射",
        "en": "required column {column} ({column_zh}) is missing; add it or map it in a column-mapping file",
    },
    "ignored_columns": {
        "zh": "以下列不在数据规范中,已忽略:{columns};如需使用请在列名映射文件中映射",
        "en": "columns not in the schema were ignored: {columns}; map them in a column-mapping file to use them",
    },
    "missing_value": {
        "zh": "必需列 {column} 有 {count} 个空值(如 {examples})",
        "en": "required column {column} has {count} empty value(s) (e.g. {examples})",
    },
    "wrong_type": {
        "zh": "列 {column} 应为{dtype},有 {count} 个值无法识别(如 {values})",
        "en": "column {column} should be {dtype}; {count} value(s) cannot be read (e.g. {values})",
    },
    "wrong_type_optional": {
        "zh": "列 {column} 应为{dtype},有 {count} 个值无法识别(如 {values}),已按空值处理",
        "en": "column {column} should be {dtype}; {count} value(s) cannot be read (e.g. {values}) and were set empty",
    },
    "not_allowed": {
        "zh": "列 {column} 有 {count} 个值不在允许范围(如 {values});允许值:{allowed}",
        "en": "column {column} has {count} value(s) not allowed (e.g. {values}); allowed: {allowed}",
    },
    "below_minimum": {
        "zh": "列 {column} 有 {count} 个值小于 {minimum}(如 {examples})",
        "en": "column {column} has {count} value(s) below {minimum} (e.g. {examples})",
    },
    "duplicate_ids": {
        "zh": "编号列 {column} 有 {count} 个重复值(如 {values})",
        "en": "id column {column} has {count} duplicated value(s) (e.g. {values})",
    },
    "empty_geometry": {
        "zh": "{count} 个要素没有几何(如 {examples});请补充坐标",
        "en": "{count} feature(s) have an empty geometry (e.g. {examples}); add their coordinates",
    },
    "wrong_geometry": {
        "zh": "{count} 个要素几何类型为 {found},本图层只接受 {expected}(如 {examples})",
        "en": "{count} feature(s) are {found}; this layer takes {expected} only (e.g. {examples})",
    },
    "water_geometry": {
        "zh": "{count} 个水域的类型与几何不符(如 {examples}):河流/渠道/溪流/沟渠应为线,坑塘/水库/湖泊应为面",
        "en": "{count} water(s) have a kind that does not match the geometry (e.g. {examples}): river/canal/stream/ditch are lines, pond/reservoir/lake polygons",
    },
    "repaired_geometry": {
        "zh": "{count} 个无效几何已用 make_valid 修复(如 {examples})",
        "en": "{count} invalid geometr(y/ies) repaired with make_valid (e.g. {examples})",
    },
    "far_outside": {
        "zh": "{count} 个要素距研究区超过 {margin_m:.0f} 米(如 {examples});请检查坐标系(--crs)或坐标",
        "en": "{count} feature(s) lie more than {margin_m:.0f} m outside the study area (e.g. {examples}); check the CRS (--crs) or the coordinates",
    },
    "unknown_village": {
        "zh": "{count} 户的村代码在行政区划图层中找不到对应的村(如 {values})",
        "en": "{count} household(s) have a village code that matches no village in areas (e.g. {values})",
    },
    "unknown_reference": {
        "zh": "列 {column} 有 {count} 个值在 {target} 中找不到(如 {values})",
        "en": "column {column} has {count} value(s) not found in {target} (e.g. {values})",
    },
    "count_exceeds": {
        "zh": "{count} 户的 {part} 大于 {whole}(如 {examples})",
        "en": "{count} household(s) have {part} greater than {whole} (e.g. {examples})",
    },
    "difficulty_without_category": {
        "zh": "{count} 户有困境儿童但未填写任何困境类别(如 {examples})",
        "en": "{count} household(s) have children in difficulty but no category filled in (e.g. {examples})",
    },
    "future_date": {
        "zh": "列 {column} 有 {count} 个日期晚于今天(如 {examples})",
        "en": "column {column} has {count} date(s) after today (e.g. {examples})",
    },
    # inspection records checked on write and quarantined when stored (issue 16)
    "record_far_outside": {
        "zh": "{field} 距研究区 {distance_m:.0f} 米(超过 {margin_m:.0f} 米);请核对 WGS84 经度、纬度(是否有数字颠倒)",
        "en": "{field} lies {distance_m:.0f} m outside the study area (more than {margin_m:.0f} m); check the WGS84 lon and lat (two digits swapped?)",
    },
    "record_unknown_equipment": {
        "zh": "{field}:设施 {id} 不在设施图层中;请填写已有的设施编号",
        "en": "{field}: equipment {id} is not in the equipment layer; give the id of an existing item",
    },
    "record_unknown_item": {
        "zh": "{field}:设施 {id} 不在设施图层中;新安装的设施请同时填写 lon 和 lat",
        "en": "{field}: equipment {id} is not in the equipment layer; give lon and lat to record a newly installed item",
    },
    "record_unknown_water": {
        "zh": "{field}:水域 {id} 不在水域图层中;请填写已有的水域编号(waters.id)或留空",
        "en": "{field}: water {id} is not in the waters layer; give an existing waters.id or leave it out",
    },
    "record_future_date": {
        "zh": "{field}:日期 {date} 晚于今天;请填写巡查当天的日期",
        "en": "{field}: the date {date} is after today; give the day of the inspection",
    },
    "record_refused": {
        "zh": "巡查记录未保存,未作任何更改:{problems}",
        "en": "the inspection was not recorded; nothing was changed: {problems}",
    },
    "quarantined": {
        "zh": "{count} 条巡查记录不符合校验规则,已隔离,分析未使用:{records}。管理员或记录人可在 /quarantine 页面或用 PATCH / DELETE /api/inspections/{{id}} 更正或撤回",
        "en": "{count} inspection record(s) break a validation rule and are quarantined (not used by any analysis): {records}. An admin or the record's author can correct or withdraw them on /quarantine or with PATCH / DELETE /api/inspections/{{id}}",
    },
    "quarantined_layer": {
        "zh": "导入的图层 {layer}(第 {version} 版)不符合校验规则,已改用原始文件中的图层:{problems};请重新导入修正后的文件",
        "en": "the imported layer {layer} (version {version}) breaks a validation rule; the layer from the files is used instead: {problems}; import a corrected file",
    },
    # CLI text
    "report_title": {"zh": "数据校验报告", "en": "Validation report"},
    "summary_title": {"zh": "图层概况", "en": "Layer summary"},
    "col_layer": {"zh": "图层", "en": "Layer"},
    "col_features": {"zh": "要素数", "en": "Features"},
    "col_geometry": {"zh": "几何类型", "en": "Geometry"},
    "col_details": {"zh": "说明", "en": "Details"},
    "col_level": {"zh": "级别", "en": "Level"},
    "col_column": {"zh": "列", "en": "Column"},
    "col_problem": {"zh": "问题", "en": "Problem"},
    "fatal": {"zh": "错误", "en": "error"},
    "warning": {"zh": "警告", "en": "warning"},
    "no_problems": {"zh": "未发现问题。", "en": "No problems found."},
    "problems_found": {
        "zh": "发现 {errors} 个错误、{warnings} 个警告。",
        "en": "{errors} error(s), {warnings} warning(s).",
    },
    "absent": {"zh": "(未提供)", "en": "(not provided)"},
    "sum_areas": {
        "zh": "{county} 个县、{township} 个乡镇、{village} 个村",
        "en": "{county} county, {township} townships, {village} villages",
    },
    "sum_households": {
        "zh": "儿童 {children} 人,其中留守儿童 {left_behind} 人、困境儿童 {in_difficulty} 人",
        "en": "{children} children: {left_behind} left-behind, {in_difficulty} in difficulty",
    },
    "sum_kinds": {"zh": "按类型:{kinds}", "en": "by kind: {kinds}"},
    "sum_roads": {"zh": "总长 {km:.1f} 公里", "en": "{km:.1f} km in all"},
    "sum_equipment": {
        "zh": "完好 {ok}、损坏 {damaged}、缺失 {missing}",
        "en": "{ok} ok, {damaged} damaged, {missing} missing",
    },
    "sum_schools": {"zh": "在校 {pupils} 人", "en": "{pupils} pupils"},
    "validated": {
        "zh": "校验通过:{path}",
        "en": "Validated: {path}",
    },
    "fatal_exit": {
        "zh": "校验未通过:{errors} 个错误,请修正后重试。",
        "en": "Validation failed with {errors} error(s); fix them and try again.",
    },
    "dtype_str": {"zh": "文本", "en": "text"},
    "dtype_int": {"zh": "整数", "en": "an integer"},
    "dtype_float": {"zh": "数值", "en": "a number"},
    "dtype_bool": {"zh": "是/否", "en": "yes/no"},
    "dtype_date": {"zh": "日期", "en": "a date"},
}


def tr(key: str, lang: Language = "zh", /, **values: object) -> str:
    """Fill in the message ``key`` in ``lang``.

    Examples
    --------
    >>> tr("problems_found", "en", errors=1, warnings=2)
    '1 error(s), 2 warning(s).'
    """
    return MESSAGES[key][lang].format(**values)


#: Chinese labels of the schemas' categorical values, for reports and maps.
VALUE_LABELS_ZH: dict[str, str] = {
    "county": "县", "township": "乡镇", "village": "村",
    "low": "低", "medium": "中", "high": "高", "unknown": "未知",
    "shallow": "浅", "deep": "深",
    "river": "河流", "canal": "渠道", "stream": "溪流", "ditch": "沟渠", "pond": "坑塘",
    "reservoir": "水库", "lake": "湖泊",
    "still": "静水", "slow": "缓流", "fast": "急流",
    "gentle": "缓坡", "steep": "陡坡", "narrow_embankment": "窄堤", "revetted": "护岸",
    "swimming": "游泳", "fishing": "垂钓", "washing": "洗涤", "none": "无",
    "warning_sign": "警示牌", "life_buoy": "救生圈", "rescue_rope": "救生绳", "rescue_pole": "救生杆",
    "rescue_cabinet": "四合一救援柜", "fence": "防护栏",
    "ok": "完好", "damaged": "损坏", "missing": "缺失",
    "primary": "小学", "middle": "中学", "kindergarten": "幼儿园",
    "children_home": "儿童之家", "township_workstation": "未成年人保护工作站",
    "county_institution": "未成年人救助保护机构", "welfare_institution": "儿童福利机构",
    "other_station": "其他站点",
    "flood_zone": "洪水淹没区", "landslide_zone": "山体滑坡区", "dangerous_wall": "危墙",
    "dangerous_building": "危房",
    "secondary": "县乡道", "tertiary": "乡道", "village_road": "村道", "track": "机耕路",
    "path": "小路", "bridge": "桥梁",
    "swimming_hole": "野泳点", "dock": "码头", "washing_step": "洗衣台阶", "fishing_spot": "钓鱼点",
    "other": "其他",
}  # fmt: skip


def value_label(code: str, lang: Language = "zh") -> str:
    """The user-facing label of a categorical value (the code itself in English).

    Examples
    --------
    >>> value_label("pond"), value_label("pond", "en")
    ('坑塘', 'pond')
    """
    if lang == "en":
        return code.replace("_", " ")
    return VALUE_LABELS_ZH.get(code, code)


#: Suffix of a column holding the English text of the column without it.
ENGLISH = "_en"


def in_language(frame: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """``frame`` with its text in ``lang``: a column ``X`` with an English twin ``X_en`` takes
    the twin's text in English, and the twins are dropped.

    Examples
    --------
    >>> f = pd.DataFrame({"explanation": ["红"], "explanation_en": ["red"], "n": [1]})
    >>> in_language(f, "en").to_dict("records"), in_language(f, "zh").to_dict("records")
    ([{'explanation': 'red', 'n': 1}], [{'explanation': '红', 'n': 1}])
    """
    twins = [
        c for c in frame.columns if str(c).endswith(ENGLISH) and str(c)[: -len(ENGLISH)] in frame
    ]
    if not twins:
        return frame
    out = frame.copy()
    if lang == "en":
        for twin in twins:
            out[str(twin)[: -len(ENGLISH)]] = out[twin]
    return out.drop(columns=twins)
