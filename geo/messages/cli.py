"""Messages of the command line (figures tables, notes, files written, progress labels)."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "cli_figure": {"zh": "指标", "en": "Figure"},
    "cli_value": {"zh": "数值", "en": "Value"},
    "cli_note": {"zh": "说明", "en": "Note"},
    "cli_wrote": {"zh": "已写出:{path}", "en": "Wrote: {path}"},
    "cli_reading": {"zh": "读取图层", "en": "reading"},
    "cli_list_sep": {"zh": "、", "en": ", "},
    "cli_outside_dem": {
        "zh": "{n} 个机构不在高程数据范围内",
        "en": "{n} institution(s) lie outside the DEM",
    },
    "cli_patrol_title": {"zh": "巡查计划", "en": "Patrol plan"},
    "cli_patrol_day": {"zh": "天", "en": "day"},
    "cli_patrol_date": {"zh": "日期", "en": "date"},
    "cli_patrol_stops": {"zh": "巡查点", "en": "stops"},
    "cli_patrol_red": {"zh": "红色", "en": "red"},
    "cli_patrol_km": {"zh": "路程(公里)", "en": "km"},
    "cli_patrol_minutes": {"zh": "合计(分钟)", "en": "minutes"},
    "cli_patrol_note": {"zh": "说明", "en": "note"},
    "cli_visits_title": {"zh": "家访计划 {village}", "en": "Home visits {village}"},
    "cli_visits_figure": {"zh": "项目", "en": "figure"},
    "cli_visits_value": {"zh": "数量", "en": "value"},
    "cli_visits_scope": {"zh": "在册家庭", "en": "households in scope"},
    "cli_visits_overdue": {"zh": "逾期", "en": "overdue"},
    "cli_visits_due_week": {"zh": "本周到期", "en": "due this week"},
    "cli_visits_no_agreement": {"zh": "未签委托照护协议", "en": "no care agreement"},
    "cli_visits_today": {"zh": "今日家访户数", "en": "visits today"},
    "cli_visits_walk_km": {"zh": "步行路程(公里)", "en": "walk (km)"},
    "cli_visits_start": {"zh": "出发点", "en": "start"},
}
