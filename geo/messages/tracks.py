"""Messages of GPS tracks (GPX files) and of verifying a patrol against its planned stops."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "track_unreadable": {
        "zh": "{file}:不是可读的 GPX 文件({reason});请在定位软件中将轨迹导出为 GPX 1.1",
        "en": "{file}: not a readable GPX file ({reason}); export the track as GPX 1.1",
    },
    "track_no_tracks": {
        "zh": "{file}:GPX 文件中没有轨迹;请导出轨迹(<trk>),而不只是航点",
        "en": "{file}: not a GPX file with tracks; export the track (<trk>), not only waypoints",
    },
    "track_no_points": {
        "zh": "{file}:GPX 文件中没有轨迹点;请记录轨迹(<trk>),而不只是航点",
        "en": "{file}: the GPX file has no track points; record a track (<trk>), not only waypoints",
    },
    "track_no_times": {
        "zh": "{file}:轨迹点没有时间(<time>);请在定位软件中打开时间记录后重新导出",
        "en": "{file}: track points without <time>; switch on timestamps in the GPS app and export again",
    },
    "track_missing_columns": {
        "zh": "轨迹缺少列 {columns};每个点须有 lon、lat 和 time",
        "en": "track: missing column(s) {columns}; give each point lon, lat and time",
    },
    "track_empty": {
        "zh": "轨迹没有点;请记录或上传至少含一个点的轨迹",
        "en": "track: no points; record or upload a track with at least one point",
    },
    "track_point_no_time": {
        "zh": "轨迹第 {point} 个点没有时间;每个点都须有时间",
        "en": "track: point {point} has no time; every point needs a timestamp",
    },
    "track_out_of_order": {
        "zh": "轨迹时间顺序有误:第 {point} 个点({later})早于前一点({earlier});请按时间排序",
        "en": "track: timestamps out of order at point {point} ({later} before {earlier}); sort the points by time",
    },
}
