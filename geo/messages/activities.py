"""Messages of the safety-education record (安全知识进村, :mod:`analysis.activities`)."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "page_activities_title": {"zh": "安全知识进村", "en": "Safety education in every village"},
    "page_activities_question": {
        "zh": "今年哪些村还没有开展过安全知识进村活动(防溺水、防欺凌、防性侵、防电诈、交通安全)?",
        "en": "Which villages have had no safety-education activity (drowning, bullying, abuse, fraud, road safety) this year?",
    },
    "fig_activity_villages": {"zh": "村数", "en": "Villages"},
    "fig_activity_met": {"zh": "已开展活动的村", "en": "Villages with an activity"},
    "fig_activity_lacking": {"zh": "尚未开展活动的村", "en": "Villages still without one"},
    "fig_activity_count": {"zh": "活动次数", "en": "Activities"},
    "fig_activity_attendance": {"zh": "参加人次", "en": "Attendance"},
    "activity_no_records": {
        "zh": "未提供活动记录(activities 表):所有村均按未开展计",
        "en": "no activity records given (the activities table): every village counts as without one",
    },
    "activity_legend_met": {"zh": "已开展", "en": "with an activity"},
    "activity_legend_lacking": {"zh": "尚未开展", "en": "without one"},
    "activity_popup": {
        "zh": "{name}({code}):近一年 {n} 次,{people} 人次,最近 {last}",
        "en": "{name} ({code}): {n} in the last year, attendance {people}, latest {last}",
    },
}
