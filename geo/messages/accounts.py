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
    # the sign-in page (api/login.py)
    "login_title": {"zh": "登录", "en": "Sign in"},
    "login_app": {
        "zh": "童安 · 农村儿童安全规划",
        "en": "Tongan · rural children's safety planning",
    },
    "login_name": {"zh": "用户名", "en": "User name"},
    "login_password": {"zh": "密码", "en": "Password"},
    "login_submit": {"zh": "登录", "en": "Sign in"},
    "login_switch": {"zh": "English", "en": "中文"},
    "login_intro": {
        "zh": "请用管理员为您创建的账户登录;未登录时只能看到汇总数据。",
        "en": "Sign in with the account an administrator made for you; without it you see aggregates only.",
    },
    "login_failed": {
        "zh": "用户名或密码错误。连续错误 {n} 次后账户将锁定 {minutes} 分钟。",
        "en": "Wrong user name or password. After {n} wrong passwords in a row the account is locked for {minutes} minutes.",
    },
    "login_locked": {
        "zh": "该账户因多次密码错误已暂时锁定,请于 {until} (UTC) 后再试,或请管理员用 tongan user password 重设密码。",
        "en": "This account is locked after repeated wrong passwords; try again after {until} (UTC), or ask an admin to reset it with tongan user password.",
    },
    "login_csrf": {
        "zh": "表单已过期或来自其他网站,未作任何更改;请刷新页面后重试。",
        "en": "The form expired or came from another site; nothing was changed. Reload the page and try again.",
    },
    "login_no_store": {
        "zh": "本服务器没有工作区数据库,无法登录(只读模式)。",
        "en": "This server has no workspace database, so nobody can sign in (read-only).",
    },
    "login_signed_in": {
        "zh": "已登录:{name}({role},区域:{area})",
        "en": "Signed in: {name} ({role}, area: {area})",
    },
    "login_signed_out": {"zh": "未登录(只读:汇总数据)", "en": "Not signed in (viewer: aggregates)"},
    "login_logout": {"zh": "退出登录", "en": "Sign out"},
    "login_continue": {"zh": "继续", "en": "Continue"},
    "login_session_hours": {
        "zh": "登录 {hours} 小时后自动退出。",
        "en": "You are signed out {hours} hours after signing in.",
    },
    "login_csrf_missing": {
        "zh": "用登录会话写入时须在请求头 X-CSRF-Token 中附上页面给出的令牌(或改用 Authorization: Bearer 令牌)",
        "en": "a write signed in by the session cookie needs the page's token in the X-CSRF-Token header (or use Authorization: Bearer TOKEN)",
    },
    "serve_authorised_host": {
        "zh": "--authorised 让未登录者看到所有家庭位置,只能用于本机单人桌面:去掉 --host {host}(默认 127.0.0.1),或去掉 --authorised,为每位用户 tongan user add 后在 /login 登录",
        "en": "--authorised shows every household to whoever is not signed in, so it is for a single desktop on 127.0.0.1 only: leave out --host {host}, or leave out --authorised and give each user an account (tongan user add, then /login)",
    },
    "who_signed_in": {"zh": "{name}({role} · {area})", "en": "{name} ({role} · {area})"},
    "who_sign_in": {"zh": "登录", "en": "Sign in"},
    "who_sign_out": {"zh": "退出", "en": "Sign out"},
}
