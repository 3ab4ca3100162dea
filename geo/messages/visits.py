"""Messages of home-visit and contact records (issue 19)."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "visit_unknown_household": {
        "zh": "household_id:没有编号为 {household} 的家庭;请使用走访计划中的家庭编号",
        "en": "household_id: no household {household}; use an id from the visit plan",
    },
    "visit_out_of_scope": {
        "zh": "household_id:家庭 {household} 不在您负责的村({villages})内;只能记录本村家庭的走访",
        "en": "household_id: household {household} is not in your villages ({villages}); record visits of your own villages only",
    },
    "visit_future": {
        "zh": "date:{date} 晚于今天 {today};请填写走访当天的日期",
        "en": "date: {date} is after today ({today}); give the day of the visit",
    },
    "visit_follow_up_before": {
        "zh": "follow_up:复访日期 {follow_up} 早于走访日期 {date};请填写之后的日期",
        "en": "follow_up: {follow_up} is before the visit ({date}); give a later date",
    },
    "visit_far": {
        "zh": "lon/lat:位置距研究区超过 {limit:.0f} 米;请检查手机定位(经纬度是否填反)",
        "en": "lon/lat: the position is more than {limit:.0f} m from the study area; check the phone's position (lon and lat swapped?)",
    },
    "visit_relocate_needs_point": {
        "zh": "relocate:更正家庭位置需要 lon 和 lat(手机定位)",
        "en": "relocate: correcting the household's location needs lon and lat (the phone's position)",
    },
    "visit_personal_text": {
        "zh": "{field}:文字中含有身份证号或电话号码;本系统不保存个人身份信息,请删除后再提交",
        "en": "{field}: the text holds an ID number or a phone number; this tool stores no personal identifiers, remove it",
    },
    "visit_key_taken": {
        "zh": "Idempotency-Key:该键已被其他用户的记录使用;请为每条记录生成新的键",
        "en": "Idempotency-Key: the key belongs to another user's record; make a new key for every record",
    },
    "file_unknown_household": {
        "zh": "没有编号为 {household} 的家庭,或它不在您负责的村内",
        "en": "no household {household} in your villages",
    },
    "visit_refused": {
        "zh": "走访记录未保存:{problems}",
        "en": "the visit record was not stored: {problems}",
    },
}
