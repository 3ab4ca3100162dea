"""Messages of loading and validating layers (imports, schemas, checks, the fixes they name)."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    # import
    "crs_ignored": {
        "zh": "{source}:文件已声明坐标系 {stated},按文件的坐标系读取,给定的 {given} 对该文件未使用(它只用于未声明坐标系的文件,如 CSV)",
        "en": "{source}: the file states its CRS ({stated}) and is read in it; the given CRS {given} was ignored for this file (it applies only to files that state none, such as CSV)",
    },
    # validation problems
    "missing_layer": {
        "zh": "缺少必需图层 {layer}({layer_zh});请提供 {layer}.gpkg/.geojson/.shp/.csv/.xlsx。{how}",
        "en": "required layer {layer} is missing; provide {layer}.gpkg/.geojson/.shp/.csv/.xlsx. {how}",
    },
    "empty_layer": {
        "zh": "必需图层 {layer}({layer_zh})没有任何要素。{how}",
        "en": "required layer {layer} has no feature. {how}",
    },
    "how_areas": {
        "zh": "制作方法:tongan init --osm 县.osm.pbf --boundary 村界.shp --out 文件夹(OSM 行政边界、村庄点或村界文件),或提供自然资源/民政部门的村界图层(列:区划代码、名称、级别)",
        "en": "How: tongan init --osm county.osm.pbf --boundary villages.shp --out DIR (OSM admin boundaries, place nodes or a boundary file), or the village boundaries from the natural-resources or civil-affairs office (columns code, name, level)",
    },
    "how_households": {
        "zh": "制作方法:填写 tongan init 生成的 templates/households.xlsx(只需村名或村代码和人数,无需坐标,姓名和身份证号会被删除),或提供带经纬度的 households.csv",
        "en": "How: fill in templates/households.xlsx written by tongan init (a village name or code and the counts, no coordinates needed; names and ID numbers are dropped), or give households.csv with longitude/latitude",
    },
    "how_waters": {
        "zh": "制作方法:tongan init --osm 县.osm.pbf --out 文件夹(或 tongan import-osm --file)从 OpenStreetMap 提取河流、坑塘,或提供水利部门的河湖坑塘图层",
        "en": "How: tongan init --osm county.osm.pbf --out DIR (or tongan import-osm --file) takes rivers and ponds from OpenStreetMap, or give the water office's river and pond layer",
    },
    "how_schools": {
        "zh": "制作方法:tongan init --osm 从 OpenStreetMap 提取学校,或提供教育局学校名单(名称、类型、经度、纬度)",
        "en": "How: tongan init --osm takes schools from OpenStreetMap, or give the education bureau's school list (name, kind, longitude, latitude)",
    },
    "how_facilities": {
        "zh": "制作方法:填写 tongan init 生成的 templates/facilities.xlsx(儿童之家、未成年人保护工作站,需经纬度);OpenStreetMap 上很少有",
        "en": "How: fill in templates/facilities.xlsx written by tongan init (children's homes, township workstations, with longitude/latitude); OpenStreetMap rarely has them",
    },
    "how_roads": {
        "zh": "制作方法:tongan init --osm 县.osm.pbf --out 文件夹(或 tongan import-osm --file)从 OpenStreetMap 提取道路",
        "en": "How: tongan init --osm county.osm.pbf --out DIR (or tongan import-osm --file) takes the roads from OpenStreetMap",
    },
    "how_equipment": {
        "zh": "制作方法:填写 templates/equipment.xlsx(救生圈、警示牌等,需经纬度)",
        "en": "How: fill in templates/equipment.xlsx (life buoys, warning signs..., with longitude/latitude)",
    },
    "how_hazards": {
        "zh": "制作方法:填写 templates/hazards.xlsx(危墙、危房等,需经纬度),或提供洪水淹没区图层",
        "en": "How: fill in templates/hazards.xlsx (dangerous walls and buildings, with longitude/latitude), or give a flood-zone layer",
    },
    "how_incidents": {
        "zh": "制作方法:提供 incidents.csv(日期、经度、纬度,不含姓名)",
        "en": "How: give incidents.csv (date, longitude, latitude, no names)",
    },
    "how_known_spots": {
        "zh": "制作方法:提供 known_spots.csv(类型、经度、纬度)",
        "en": "How: give known_spots.csv (kind, longitude, latitude)",
    },
    "roster_personal": {
        "zh": "{file}:已删除 {count} 个个人信息列 {columns},未读取、未保存、未记录其内容",
        "en": "{file}: {count} personal column(s) dropped before reading: {columns}; nothing of them is stored or logged",
    },
    "roster_other": {
        "zh": "{file}:以下列不在数据规范中,已删除:{columns}",
        "en": "{file}: columns not in the schema were dropped: {columns}",
    },
    "roster_unmatched": {
        "zh": "{file}:{count} 行的村名或村代码在行政区划中找不到或对应多个村,未导入;请核对村名(可省略“村/社区/居委会”)或填写村代码",
        "en": "{file}: {count} row(s) name a village that matches no single village of areas and were not imported; check the village name (村/社区/居委会 may be left out) or give the village code",
    },
    "roster_no_villages": {
        "zh": "{file}:{count} 行无法对应到村,因为没有行政区划图层(村级);请先提供 areas(tongan init 可从 OSM 或村界文件生成)",
        "en": "{file}: {count} row(s) cannot be matched to a village because there is no areas layer with villages; provide areas first (tongan init builds it from OSM or a boundary file)",
    },
    "roster_estimated": {
        "zh": "{file}:{count} 户没有坐标,已沿所在村的道路估算位置(位置为估算);入户走访采集坐标后请更新",
        "en": "{file}: {count} household(s) have no coordinates and were placed along their village's roads (location estimated); update them once locations are captured on visits",
    },
    "roster_no_roads": {
        "zh": "{file}:{count} 个村内没有道路(如 {villages}),其家庭位置放在村中心",
        "en": "{file}: {count} village(s) have no road inside (e.g. {villages}); their households sit at the village centre",
    },
    "personal_name": {"zh": "姓名", "en": "name"},
    "personal_id_number": {"zh": "身份证号", "en": "ID number"},
    "personal_phone": {"zh": "电话", "en": "phone"},
    "personal_address": {"zh": "地址", "en": "address"},
    "init_title": {"zh": "已生成工作文件夹 {folder}", "en": "Workspace folder written: {folder}"},
    "init_left_out": {
        "zh": "{left_out} 个 OSM 要素在研究区之外,未写入",
        "en": "{left_out} OSM feature(s) outside the study area were left out",
    },
    "init_villages_from_places": {
        "zh": "OSM 没有村界:村的范围由村庄点(place=village)按最近原则划分(泰森多边形),仅为近似,请尽快换成正式村界(--boundary 村界文件)",
        "en": "OSM has no village boundaries: villages are the Voronoi cells of the place=village nodes, an approximation; replace them with the official boundaries (--boundary FILE) when you can",
    },
    "init_no_villages": {
        "zh": "没有找到村:OSM 中既无村界也无村庄点(或没有研究区边界);请用 --boundary 提供村界文件",
        "en": "no village found: OSM has neither village boundaries nor village place nodes (or there is no study outline); give the village boundaries with --boundary",
    },
    "init_next": {
        "zh": "下一步:填写 {templates} 中的表格(不要填姓名、身份证号),复制到 {folder},然后运行 tongan validate {folder} --crs EPSG:4326",
        "en": "Next: fill in the tables in {templates} (no names, no ID numbers), copy them into {folder}, then run tongan validate {folder} --crs EPSG:4326",
    },
    "at_rows": {"zh": "(位置:{rows})", "en": " (at {rows})"},
    "rows_table": {"zh": "{file} 第 {rows} 行", "en": "{file} row(s) {rows}"},
    "rows_features": {"zh": "{file} 第 {rows} 个要素", "en": "{file} feature(s) {rows}"},
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
