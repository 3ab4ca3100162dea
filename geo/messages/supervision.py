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
}
