"""Messages of the map server: the pages' chrome, its refusals and the quarantine page.

``server_*`` codes are the words around every page (header, index, map page, error page) and
the reasons a page request is refused; ``quarantine_*`` codes are the quarantine page's, which
its script also uses (correct, withdraw).
"""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    # every page
    "server_html_lang": {"zh": "zh-CN", "en": "en"},  # the pages' <html lang>
    "server_app": {"zh": "童安 · 儿童关爱保护地图", "en": "Tongan · child safety maps"},
    "server_tagline": {
        "zh": "农村留守儿童和困境儿童关爱保护",
        "en": "Care and protection of rural left-behind children and children in difficulty",
    },
    "server_switch": {"zh": "English", "en": "中文"},
    "server_busy": {
        "zh": "正在计算,全县数据可能需要一分钟……",
        "en": "Computing; a whole county can take a minute…",
    },
    # the index and a map page
    "server_intro": {
        "zh": "按问题选择地图:每张地图旁有汇总数字和下载链接。",
        "en": "Choose a map by question; each has its summary figures and downloads beside it.",
    },
    "server_open": {"zh": "打开地图", "en": "Open the map"},
    "server_recompute": {"zh": "重新计算", "en": "Recompute"},
    "server_downloads": {"zh": "下载", "en": "Downloads"},
    # the error page
    "server_error": {"zh": "出错了", "en": "Error"},
    "server_back": {"zh": "返回首页", "en": "Back to the index"},
    # refusals of a page request
    "server_not_found": {
        "zh": "没有这张地图:{name}。可选:{names}",
        "en": "No such map: {name}. Available: {names}",
    },
    "server_bad_param": {
        "zh": "参数 {field} 有误:{msg}",
        "en": "Parameter {field} is wrong: {msg}",
    },
    "server_tianditu_key": {
        "zh": "天地图底图需要密钥,请设置 TONGAN_TIANDITU_KEY(天地图控制台免费申请)",
        "en": "the Tianditu basemap needs a key: set TONGAN_TIANDITU_KEY (free from the Tianditu console)",
    },
    "server_unknown_param": {
        "zh": "未知参数 {field};本地图接受:{allowed}",
        "en": "Unknown parameter {field}; this map takes: {allowed}",
    },
    "server_no_download": {
        "zh": "本地图没有 {fmt} 格式的下载",
        "en": "This map has no {fmt} download",
    },
    "server_page_missing": {"zh": "页面不存在:{path}", "en": "No such page: {path}"},
    # the quarantine page
    "quarantine_title": {"zh": "隔离的巡查记录", "en": "Quarantined inspection records"},
    "quarantine_intro": {
        "zh": "以下记录不符合校验规则,分析和地图未使用。记录人或管理员可填写令牌后更正或撤回。",
        "en": "These records break a validation rule and no analysis or map uses them. Their author or an admin can correct or withdraw them with a token.",
    },
    "quarantine_none": {"zh": "没有隔离的记录。", "en": "No record is quarantined."},
    "quarantine_token": {"zh": "令牌(tongan user add 生成)", "en": "Token (from tongan user add)"},
    "quarantine_record": {"zh": "巡查记录", "en": "Inspection"},
    "quarantine_changes": {
        "zh": "更正的字段(JSON,只填要改的字段)",
        "en": "Fields to correct (JSON, only those that change)",
    },
    "quarantine_correct": {"zh": "更正", "en": "Correct"},
    "quarantine_withdraw": {"zh": "撤回", "en": "Withdraw"},
    "quarantine_corrected": {
        "zh": "已更正,刷新页面查看",
        "en": "Corrected; reload the page to see it",
    },
    "quarantine_withdrawn": {"zh": "已撤回", "en": "Withdrawn"},
    "quarantine_refused": {"zh": "未成功:", "en": "Not done: "},
    "quarantine_bad_json": {
        "zh": '请填写 JSON,如 {{"items": [...]}}',
        "en": 'Give JSON, e.g. {{"items": [...]}}',
    },
}
