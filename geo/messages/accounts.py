"""Messages of accounts, roles, areas and signing in (issue 18)."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "access_level_county": {"zh": "县", "en": "county"},
    "access_level_township": {"zh": "乡镇", "en": "township"},
    "access_level_village": {"zh": "村", "en": "village"},
    "access_area_needed": {
        "zh": "角色 {role} 需要一个区域:加 --area 区划代码({levels}级,见区划图层的 code 列)",
        "en": "the role {role} needs an area: add --area CODE (a {levels} code of the areas layer)",
    },
    "access_area_none": {
        "zh": "角色 {role} 不按区域划分,不能加 --area;去掉 --area 再试",
        "en": "the role {role} takes no area; leave out --area",
    },
    "access_area_unknown": {
        "zh": "区划图层中没有代码 {code};请用区划图层 code 列中的代码,例如 {examples}",
        "en": "no area with the code {code} in the areas layer; use a code of its code column, e.g. {examples}",
    },
    "access_area_level": {
        "zh": "{code} 是{level}级区划,角色 {role} 的区域须为{levels}级",
        "en": "{code} is a {level}; the area of the role {role} must be a {levels}",
    },
    "role_admin": {"zh": "管理员", "en": "administrator"},
    "role_civil_affairs": {"zh": "民政", "en": "civil affairs"},
    "role_children_director": {"zh": "儿童主任", "en": "children's director"},
    "role_supervisor": {"zh": "儿童督导员", "en": "children's supervisor"},
    "role_river_chief": {"zh": "河长", "en": "river chief"},
    "role_education": {"zh": "教育", "en": "education"},
    "role_viewer": {"zh": "只读", "en": "viewer"},
}
