"""Messages of the visits map (maps/visits.py): layer names, legends, popups and tooltips."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "map_visits_route": {"zh": "家访路线", "en": "Visit route"},
    "map_visits_start": {"zh": "出发点", "en": "Start"},
    "map_visits_stops": {"zh": "今日家访(编号)", "en": "Today's visits (numbered)"},
    "map_visits_households": {"zh": "重点儿童家庭(授权可见)", "en": "Households (authorised)"},
    "map_visits_cells": {"zh": "重点儿童家庭数(网格汇总)", "en": "Households per cell (aggregate)"},
    "map_visits_legend": {"zh": "家访状态", "en": "Visit status"},
    "map_visits_overdue": {"zh": "已逾期", "en": "overdue"},
    "map_visits_due_week": {"zh": "本周到期", "en": "due this week"},
    "map_visits_later": {"zh": "未到期", "en": "not yet due"},
    "map_visits_suppressed": {"zh": "户数过少已隐藏", "en": "suppressed (few households)"},
    "map_visits_household": {"zh": "户编号", "en": "household"},
    "map_visits_children": {"zh": "留守/困境", "en": "left-behind/difficulty"},
    "map_visits_next_visit": {"zh": "下次家访", "en": "next visit"},
    "map_visits_flags": {"zh": "提示", "en": "flags"},
}
