"""Messages of the county's plan (``tongan plan``): its report, workbook and progress."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "plan_failed": {"zh": "未能完成:{reason}", "en": "not done: {reason}"},
    "plan_crashed": {
        "zh": "未能完成(程序错误 {kind});其余各项不受影响,请将此信息报告给维护人员",
        "en": "not done (a program error, {kind}); the other parts are unaffected; please report it",
    },
    "plan_title": {
        "zh": "{area}汛期儿童安全工作方案",
        "en": "{area}: children's safety plan for the flood season",
    },
    "plan_subtitle": {
        "zh": "溺水风险点与“四个一”、巡查、服务覆盖与选址、入户走访、汛期隐患排查",
        "en": "Drowning-risk spots and the four-ones, patrols, coverage and siting, home visits, flood-season review",
    },
    "plan_date_line": {"zh": "方案日期:{date}", "en": "Plan date: {date}"},
    "plan_made_by": {
        "zh": "由童安(Tongan)根据本地图层生成于 {made};数字与各单项命令同日结果一致",
        "en": "Made by Tongan from the local layers on {made}; the figures equal those of the single commands on the same date",
    },
    "plan_scope_public": {
        "zh": "本方案为公开版:儿童和户数按 {base} 取整,不含户位置;完整版须经授权(--authorised)",
        "en": "Public edition: counts of children and households rounded to {base}, no household locations; the full edition needs --authorised",
    },
    "plan_scope_authorised": {
        "zh": "本方案为授权版:含精确人数,仅供民政部门内部使用,请勿外传",
        "en": "Authorised edition: exact counts, for the civil-affairs office only; do not pass on",
    },
    "plan_contents": {"zh": "目录", "en": "Contents"},
    "plan_summary": {"zh": "一、总体情况", "en": "Summary"},
    "plan_townships": {"zh": "各乡镇清单", "en": "By township"},
    "plan_nothing_here": {"zh": "本乡镇无需列出的事项", "en": "Nothing to list for this township"},
    "plan_more_rows": {
        "zh": "共 {n} 行,此处列出前 {shown} 行;完整表见工作簿 {workbook} 的“{sheet}”表",
        "en": "{n} rows, the first {shown} shown; the whole table is sheet “{sheet}” of {workbook}",
    },
    "plan_stage_network": {"zh": "路网", "en": "road network"},
    "plan_stage_maps": {"zh": "地图", "en": "maps"},
    "plan_stage_report": {"zh": "报告", "en": "report"},
    "plan_stage_pdf": {"zh": "PDF", "en": "PDF"},
    "plan_stage_workbook": {"zh": "工作簿", "en": "workbook"},
    "plan_running": {"zh": "生成方案", "en": "Making the plan"},
    "plan_wrote": {"zh": "已写出 {path}", "en": "wrote {path}"},
    "plan_part_seconds": {"zh": "{title}:{seconds:.1f} 秒", "en": "{title}: {seconds:.1f} s"},
}
