"""Messages of the supervisor's page (``/supervise``, ``/supervise.xlsx``, ``/api/supervision``):
home visits per village and patrol checks per river chief, of a month."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    # errors
    "supervise_bad_month": {
        "zh": "月份 {month!r} 无效;请写成 YYYY-MM(如 2026-07),年份在 1990 至 2199 之间",
        "en": "month {month!r} is not valid; write it as YYYY-MM (e.g. 2026-07), a year from 1990 to 2199",
    },
    "supervise_future_month": {
        "zh": "{month} 尚未开始(今天是 {today});请选择本月或以前的月份",
        "en": "{month} has not begun (today is {today}); choose this month or an earlier one",
    },
    "supervise_roles": {
        "zh": "角色 {role} 不能查看督导页面;需要以下角色之一:{roles}",
        "en": "the role {role!r} may not open the supervisor's page; it needs one of: {roles}",
    },
    # the page
    "supervise_title": {"zh": "督导工作台", "en": "Supervisor's page"},
    "supervise_intro": {
        "zh": "本月各村入户走访和各河长巡查核验情况。只显示数量,不显示任何家庭的信息或位置。",
        "en": "Home visits per village and verified patrols per river chief this month. Counts only: no household's details or location.",
    },
    "supervise_month": {"zh": "月份", "en": "Month"},
    "supervise_show": {"zh": "查看", "en": "Show"},
    "supervise_area": {"zh": "范围:{area}", "en": "Area: {area}"},
    "supervise_as_of": {
        "zh": "逾期和到期按 {date} 计算",
        "en": "Overdue and due visits as of {date}",
    },
    "supervise_red_label": {
        "zh": "本月计划红色风险点实际巡查率",
        "en": "Planned red spots actually visited this month",
    },
    "supervise_red_detail": {
        "zh": "{visited}/{planned} 个计划红色风险点已巡查({days} 天核验)",
        "en": "{visited} of {planned} planned red spots visited ({days} days verified)",
    },
    "supervise_red_none": {
        "zh": "本月尚无核验过的巡查",
        "en": "No patrol verified this month yet",
    },
    "supervise_villages": {"zh": "各村入户走访", "en": "Home visits per village"},
    "supervise_chiefs": {"zh": "各河长巡查核验", "en": "Verified patrols per river chief"},
    "supervise_chiefs_note": {
        "zh": "只计本范围内各村的计划巡查点;里程和计划外点为核验当天的全程。",
        "en": "Planned stops in this area's villages only; distance and unplanned stops are the whole day's.",
    },
    "supervise_total_row": {"zh": "合计", "en": "Total"},
    "supervise_no_director": {"zh": "未设", "en": "none"},
    "supervise_download": {"zh": "下载 Excel", "en": "Download Excel"},
    "supervise_card_intro": {
        "zh": "各村走访逾期、本月走访和未解决问题,各河长巡查核验,红色风险点巡查率。",
        "en": "Visits overdue, done this month and open problems per village; verified patrols per river chief; the share of red spots visited.",
    },
    "supervise_card_open": {"zh": "打开督导工作台", "en": "Open the supervisor's page"},
    # the workbook
    "supervise_sheet_villages": {"zh": "各村走访", "en": "villages"},
    "supervise_sheet_chiefs": {"zh": "河长巡查", "en": "river chiefs"},
    "supervise_sheet_totals": {"zh": "汇总", "en": "totals"},
    "supervise_col_item": {"zh": "指标", "en": "item"},
    "supervise_col_value": {"zh": "数值", "en": "value"},
    "supervise_col_village_code": {"zh": "村代码", "en": "village code"},
    "supervise_col_village_name": {"zh": "村", "en": "village"},
    "supervise_col_directors": {"zh": "儿童主任", "en": "children's directors"},
    "supervise_col_households": {"zh": "走访对象(户)", "en": "households in the plan"},
    "supervise_col_overdue": {"zh": "逾期(户)", "en": "overdue"},
    "supervise_col_due_week": {"zh": "本周到期(户)", "en": "due this week"},
    "supervise_col_visits": {"zh": "本月走访(次)", "en": "visits this month"},
    "supervise_col_home_visits": {"zh": "家访(次)", "en": "home visits"},
    "supervise_col_contacts": {"zh": "联系(次)", "en": "contacts"},
    "supervise_col_households_visited": {"zh": "本月走访(户)", "en": "households visited"},
    "supervise_col_open_problems": {"zh": "未解决问题(户)", "en": "open problems"},
    "supervise_col_river_chief": {"zh": "河长", "en": "river chief"},
    "supervise_col_days": {"zh": "核验天数", "en": "days verified"},
    "supervise_col_planned": {"zh": "计划点", "en": "stops planned"},
    "supervise_col_visited": {"zh": "已巡查", "en": "visited"},
    "supervise_col_skipped": {"zh": "漏查", "en": "skipped"},
    "supervise_col_share_visited": {"zh": "巡查率(%)", "en": "visited (%)"},
    "supervise_col_red_planned": {"zh": "计划红色点", "en": "red planned"},
    "supervise_col_red_visited": {"zh": "红色点已巡查", "en": "red visited"},
    "supervise_col_red_share": {"zh": "红色点巡查率(%)", "en": "red visited (%)"},
    "supervise_col_unplanned": {"zh": "计划外", "en": "unplanned"},
    "supervise_col_distance_km": {"zh": "里程(公里)", "en": "distance (km)"},
    "supervise_col_last_day": {"zh": "最近核验", "en": "last verified"},
    "supervise_total_month": {"zh": "月份", "en": "month"},
    "supervise_total_area": {"zh": "范围", "en": "area"},
    "supervise_total_date": {"zh": "逾期计算日期", "en": "overdue as of"},
    "supervise_total_villages": {"zh": "村数", "en": "villages"},
    "supervise_total_villages_without_director": {
        "zh": "未设儿童主任的村",
        "en": "villages without a director",
    },
    "supervise_total_households": {"zh": "走访对象(户)", "en": "households in the plan"},
    "supervise_total_overdue": {"zh": "走访逾期(户)", "en": "visits overdue"},
    "supervise_total_due_week": {"zh": "本周到期(户)", "en": "due this week"},
    "supervise_total_visits": {"zh": "本月走访(次)", "en": "visits this month"},
    "supervise_total_home_visits": {"zh": "其中家访(次)", "en": "of which home visits"},
    "supervise_total_contacts": {"zh": "其中联系(次)", "en": "of which contacts"},
    "supervise_total_households_visited": {"zh": "本月走访(户)", "en": "households visited"},
    "supervise_total_open_problems": {
        "zh": "未解决问题(户)",
        "en": "households with open problems",
    },
    "supervise_total_chiefs": {"zh": "河长数", "en": "river chiefs"},
    "supervise_total_chiefs_checked": {"zh": "有核验的河长", "en": "river chiefs verified"},
    "supervise_total_days": {"zh": "核验天数", "en": "days verified"},
    "supervise_total_planned": {"zh": "计划巡查点", "en": "stops planned"},
    "supervise_total_visited": {"zh": "已巡查点", "en": "stops visited"},
    "supervise_total_skipped": {"zh": "漏查点", "en": "stops skipped"},
    "supervise_total_share_visited": {"zh": "巡查率(%)", "en": "stops visited (%)"},
    "supervise_total_red_planned": {"zh": "计划红色风险点", "en": "red spots planned"},
    "supervise_total_red_visited": {"zh": "红色风险点已巡查", "en": "red spots visited"},
    "supervise_total_red_share": {"zh": "红色风险点巡查率(%)", "en": "red spots visited (%)"},
}
