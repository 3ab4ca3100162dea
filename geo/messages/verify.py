"""Messages of patrol verification (``tongan verify``, ``POST /api/patrols/verify``): a river
chief's GPS track of a day against that chief's planned stops."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "verify_no_file": {
        "zh": "{file} 不存在;请给出定位软件导出的 GPX 轨迹文件的路径",
        "en": "{file} does not exist; give the path of the GPX track exported from the GPS app",
    },
    "verify_track_other_day": {
        "zh": "{file}:轨迹记录于 {dates}(北京时间),不是 {date};请检查 --date,或上传当天的轨迹",
        "en": "{file}: the track was recorded on {dates} (Beijing time), not on {date}; check --date or upload that day's track",
    },
    "verify_day_not_planned": {
        "zh": "{date} 不在巡查计划内(计划 {first} 至 {last});请用 --first-day 和 --days 让计划包含这一天",
        "en": "{date} is not a day of the patrol plan ({first} to {last}); give --first-day and --days so that the plan includes it",
    },
    "verify_no_stops": {
        "zh": "河长 {chief} 在 {date} 没有计划巡查点;当天有巡查点的河长:{chiefs}。请检查 --river-chief(水域图层的 river_chief)和 --date",
        "en": "the river chief {chief} has no planned stop on {date}; river chiefs with stops that day: {chiefs}. Check --river-chief (the waters' river_chief) and --date",
    },
    "verify_other_chief": {
        "zh": "用户 {user}(河长)只能核验自己的巡查,不能核验 {chief} 的巡查",
        "en": "the user {user} (river chief) may verify their own patrols only, not those of {chief}",
    },
    "verify_roles": {
        "zh": "角色 {role} 不能核验巡查;需要以下角色之一:{roles}",
        "en": "the role {role!r} may not verify patrols; it needs one of: {roles}",
    },
    "verify_need": {
        "zh": "缺少 {field};请在表单或查询参数中给出 {field}",
        "en": "{field} is missing; give {field} as a form field or a query parameter",
    },
    "verify_too_large": {
        "zh": "{file}:文件超过上传上限 {mb} MB",
        "en": "{file}: the file is larger than the upload cap of {mb} MB",
    },
    # the command's printout
    "verify_title": {"zh": "巡查核验:{chief} {date}", "en": "Patrol check: {chief} {date}"},
    "verify_col_chief": {"zh": "河长", "en": "river_chief"},
    "verify_col_date": {"zh": "日期", "en": "date"},
    "verify_col_status": {"zh": "状态", "en": "status"},
    "verify_col_class": {"zh": "风险等级", "en": "risk_class"},
    "verify_col_lon": {"zh": "经度", "en": "lon"},
    "verify_col_lat": {"zh": "纬度", "en": "lat"},
    "verify_col_order": {"zh": "顺序", "en": "order"},
    "verify_col_spot": {"zh": "风险点编号", "en": "spot"},
    "verify_col_water": {"zh": "水域", "en": "water"},
    "verify_col_planned": {"zh": "计划到达", "en": "planned"},
    "verify_col_arrival": {"zh": "实际到达", "en": "arrival"},
    "verify_col_minutes": {"zh": "停留(分钟)", "en": "minutes"},
    "verify_summary": {
        "zh": "已巡查 {visited}/{planned} 个计划点,漏查 {skipped} 个,计划外 {unplanned} 个;路程 {km:.1f} 公里,用时 {minutes:.0f} 分钟",
        "en": "visited {visited} of {planned} planned stops, {skipped} skipped, {unplanned} unplanned; {km:.1f} km in {minutes:.0f} minutes",
    },
    "verify_rule": {
        "zh": "到达:轨迹进入风险点 {radius:g} 米内并连续停留至少 {min_minutes:g} 分钟(时间为北京时间)",
        "en": "visited: the track stays within {radius:g} m of the spot for at least {min_minutes:g} minutes (times in Beijing time)",
    },
}
