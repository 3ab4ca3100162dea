"""Messages of the analyses' pages: titles, questions and the figures beside each map.

The same texts label the figures of ``/api/*`` and of the CLI (:mod:`analysis.registry`).
"""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "plain_text": {"zh": "{text}", "en": "{text}"},
    "figure_none": {"zh": "无", "en": "none"},
    "track_patrol": {"zh": "巡查路线", "en": "巡查路线"},
    # titles and questions of the index
    "page_overview_title": {"zh": "数据总览", "en": "Data overview"},
    "page_overview_question": {
        "zh": "本地区有哪些水域、道路、学校、儿童服务设施和隐患?重点儿童分布在哪里(聚合)?",
        "en": "Which waters, roads, schools, child facilities and hazards are there, and where do the children live (aggregated)?",
    },
    "page_flood_title": {"zh": "汛期隐患排查", "en": "Flood-season review"},
    "page_flood_question": {
        "zh": "学校、幼儿园和儿童机构周边有哪些水域、山体、危墙和洪水淹没区隐患?今天应开展哪些检查?",
        "en": "Which water, slope, wall and flood-zone hazards surround schools, kindergartens and child institutions, and which reviews are due today?",
    },
    "page_risk_title": {
        "zh": "溺水风险点与“四个一”排查",
        "en": "Drowning-risk spots and the four-ones audit",
    },
    "page_risk_question": {
        "zh": "河流、沟渠、坑塘哪些位置离家近、危险大、缺少警示牌、救生圈、救生绳、救生杆或护栏?需要采购多少?",
        "en": "Which spots along rivers, canals and ponds near homes are dangerous and lack a sign, buoy, rope, pole or fence, and how much must be bought?",
    },
    "page_patrol_title": {"zh": "巡查路线", "en": "Patrol plan"},
    "page_patrol_question": {
        "zh": "河湖长和安全员今天先去哪些风险点?按什么顺序走、何时到达、每处查什么?",
        "en": "Which risk spots should river chiefs and safety officers inspect today, in what order, when, and what to check at each?",
    },
    "page_visits_title": {"zh": "入户走访计划", "en": "Home visits due"},
    "page_visits_question": {
        "zh": "各村儿童主任哪些家访已逾期、本周到期?今天走访哪几户、怎么走?",
        "en": "Which home visits are overdue or due this week for each children's director, and which route today?",
    },
    "page_siting_title": {"zh": "儿童之家选址", "en": "Siting children's homes"},
    "page_siting_question": {
        "zh": "预算有限时,新建的儿童之家或站点放在哪里,能让最多的儿童步行可达?",
        "en": "With a limited budget, where should new children's homes or stations go so that the most children can walk to one?",
    },
    "page_coverage_title": {"zh": "服务覆盖与缺口", "en": "Service coverage and gaps"},
    "page_coverage_question": {
        "zh": "哪些村、哪些儿童步行到不了儿童之家或保护站?哪里缺设施、缺儿童主任?",
        "en": "Which villages and children are beyond a walk to a children's home or station, and where are facilities or directors missing?",
    },
    # flood review
    "fig_flood_high": {"zh": "高风险机构", "en": "High-hazard institutions"},
    "fig_flood_medium": {"zh": "中风险机构", "en": "Medium-hazard institutions"},
    "fig_flood_low": {"zh": "低风险机构", "en": "Low-hazard institutions"},
    "fig_flood_children_high": {"zh": "高风险机构儿童", "en": "Children at high-hazard places"},
    "fig_flood_due": {"zh": "今日应开展", "en": "Reviews due"},
    # risk
    "fig_risk_red": {"zh": "红色风险点", "en": "Red spots"},
    "fig_risk_yellow": {"zh": "黄色风险点", "en": "Yellow spots"},
    "fig_risk_green": {"zh": "绿色风险点", "en": "Green spots"},
    "fig_risk_lacking": {"zh": "缺少设施的风险点", "en": "Spots lacking an item"},
    "fig_risk_season": {"zh": "季节系数(危险度)", "en": "Season factor (hazard)"},
    "fig_buy_warning_sign": {"zh": "需购警示牌", "en": "Warning signs to buy"},
    "fig_buy_life_buoy": {"zh": "需购救生圈", "en": "Life buoys to buy"},
    "fig_buy_rescue_rope": {"zh": "需购救生绳", "en": "Rescue ropes to buy"},
    "fig_buy_rescue_pole": {"zh": "需购救生杆", "en": "Rescue poles to buy"},
    "fig_buy_fence": {"zh": "需建防护栏(米)", "en": "Fence to build (m)"},
    "fig_buy_other": {"zh": "需购其他物资", "en": "Other items to buy"},
    # patrol
    "fig_patrol_stops": {"zh": "巡查点", "en": "Stops"},
    "fig_patrol_red": {"zh": "其中红色风险点", "en": "Red spots among them"},
    "fig_patrol_km": {"zh": "总路程(公里)", "en": "Distance (km)"},
    "fig_patrol_unreached": {"zh": "未到达的红色风险点", "en": "Red spots not reached"},
    # visits
    "fig_village": {"zh": "村", "en": "Village"},
    "fig_visits_scope": {"zh": "应走访户数", "en": "Households in scope"},
    "fig_visits_overdue": {"zh": "家访已逾期", "en": "Visits overdue"},
    "fig_visits_due_week": {"zh": "本周到期", "en": "Due this week"},
    "fig_visits_no_agreement": {"zh": "未签委托照护协议", "en": "No care agreement"},
    "fig_visits_today": {"zh": "今日走访", "en": "Visits today"},
    # siting
    "fig_model": {"zh": "模型", "en": "Model"},
    "fig_new_sites": {"zh": "新建站点", "en": "New sites"},
    "fig_coverage_before": {"zh": "覆盖率(前)", "en": "Coverage before"},
    "fig_coverage_after": {"zh": "覆盖率(后)", "en": "Coverage after"},
    "fig_standard_m": {"zh": "步行标准(米)", "en": "Walking standard (m)"},
    "fig_households_uncovered": {"zh": "仍未覆盖户数", "en": "Households still uncovered"},
    "fig_candidates": {"zh": "候选站点", "en": "Candidate sites"},
    "fig_candidates_thinned": {
        "zh": "{n:,}(原 {was:,} 个,网格放大到 {spacing:,.0f} 米)",
        "en": "{n:,} (of {was:,}; grid widened to {spacing:,.0f} m)",
    },
    "fig_solver": {"zh": "求解", "en": "Solver"},
    # coverage
    "fig_children": {"zh": "儿童总数", "en": "Children"},
    "fig_children_within": {"zh": "步行可达儿童", "en": "Children within the standard"},
    "fig_share_covered": {"zh": "覆盖率", "en": "Share covered"},
    "fig_left_behind_uncovered": {"zh": "未覆盖留守儿童", "en": "Left-behind children uncovered"},
    "fig_difficulty_uncovered": {"zh": "未覆盖困境儿童", "en": "Children in difficulty uncovered"},
    "fig_gap_areas": {"zh": "缺口区域", "en": "Gap areas"},
    "fig_policy_findings": {"zh": "政策检查问题", "en": "Policy findings"},
}
