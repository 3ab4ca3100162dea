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
    # tongan user
    "user_added": {
        "zh": "已添加用户 {name}(角色:{role},区域:{area})。令牌如下,只显示这一次,请妥善保存:",
        "en": "Added user {name} (role: {role}, area: {area}). Its token, shown this once only; keep it safe:",
    },
    "user_usage": {
        "zh": "调用接口时在请求头中携带:Authorization: Bearer <令牌>",
        "en": "Send it with every API request: Authorization: Bearer <token>",
    },
    "user_signin": {
        "zh": "已设置密码:可在浏览器 /login 页面以 {name} 登录",
        "en": "Password set: {name} can sign in from the browser at /login",
    },
    "user_removed": {
        "zh": "已删除用户 {name},其令牌和登录会话立即失效",
        "en": "Removed user {name}; its token and sessions no longer work",
    },
    "user_password_set": {
        "zh": "已为 {name} 设置新密码,其原有会话已结束,锁定已解除",
        "en": "New password set for {name}; its sessions ended and it is unlocked",
    },
    "user_title": {"zh": "用户({db})", "en": "Users ({db})"},
    "user_col_name": {"zh": "用户名", "en": "Name"},
    "user_col_role": {"zh": "角色", "en": "Role"},
    "user_col_area": {"zh": "区域", "en": "Area"},
    "user_col_password": {"zh": "密码登录", "en": "Password"},
    "user_col_created": {"zh": "创建时间(UTC)", "en": "Created (UTC)"},
    "user_none": {
        "zh": "尚无用户;用 tongan user add 添加(第一个管理员:tongan user add 名字 --role admin --password-stdin)",
        "en": "No users yet; add one with tongan user add (the first admin: tongan user add NAME --role admin --password-stdin)",
    },
    "user_whole_area": {"zh": "全部", "en": "all"},
    "user_yes": {"zh": "是", "en": "yes"},
    "user_no": {"zh": "否", "en": "no"},
    "user_role_label": {"zh": "{label_zh}({role})", "en": "{role}"},
    "user_area_unchecked": {
        "zh": "注意:未找到区划图层,区域代码 {code} 未经核对;加 --layers 图层文件 可核对",
        "en": "note: no areas layer found, so the area code {code} was not checked; add --layers FILE to check it",
    },
    "user_password_short": {
        "zh": "密码太短:至少 {n} 个字符(TONGAN_ACCOUNTS__MIN_PASSWORD_LENGTH)",
        "en": "the password is too short: at least {n} characters (TONGAN_ACCOUNTS__MIN_PASSWORD_LENGTH)",
    },
    "user_password_empty": {
        "zh": "标准输入中没有密码:例如 printf '%s' \"$PASSWORD\" | tongan user add ... --password-stdin",
        "en": "no password on standard input: e.g. printf '%s' \"$PASSWORD\" | tongan user add ... --password-stdin",
    },
    "user_password_both": {
        "zh": "--password 与 --password-stdin 只能选一个",
        "en": "give --password or --password-stdin, not both",
    },
    "user_password_prompt": {"zh": "密码", "en": "Password"},
    "user_layers_unreadable": {
        "zh": "{path} 中没有区划图层(areas),无法核对 --area;请给出含区划图层的 GeoPackage 或文件夹",
        "en": "{path} holds no areas layer to check --area against; give a GeoPackage or folder that has one",
    },
}
