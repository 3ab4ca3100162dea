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
    "plan_page_title": {"zh": "汛期儿童安全工作方案", "en": "The flood-season plan"},
    "plan_page_intro": {
        "zh": "一次生成本辖区的完整方案:各项分析、地图、可打印的报告(PDF)、工作簿和 GeoPackage。县级数据约需一分钟。",
        "en": "The whole plan of your area at once: every analysis, its maps, a printable report (PDF), a workbook and a GeoPackage. A county takes about a minute.",
    },
    "plan_page_scope_public": {
        "zh": "您将得到公开版:人数取整,不含户位置。",
        "en": "You get the public edition: counts rounded, no household locations.",
    },
    "plan_page_scope_own": {
        "zh": "您将得到本辖区的授权版:本辖区户精确,其他村只有汇总。",
        "en": "You get your area's edition: your own households exact, other villages as aggregates only.",
    },
    "plan_page_date": {"zh": "方案日期", "en": "Plan date"},
    "plan_page_start": {"zh": "生成方案", "en": "Make the plan"},
    "plan_page_running": {"zh": "正在生成方案", "en": "Making the plan"},
    "plan_page_step": {"zh": "第 {done}/{total} 步", "en": "step {done} of {total}"},
    "plan_page_done": {"zh": "方案已生成({seconds} 秒)", "en": "The plan is ready ({seconds} s)"},
    "plan_page_files": {"zh": "下载", "en": "Files"},
    "plan_page_again": {"zh": "换一个日期", "en": "Another date"},
    "plan_job_failed": {
        "zh": "方案未能生成:{reason}",
        "en": "The plan could not be made: {reason}",
    },
    "plan_file_html": {"zh": "报告(网页)", "en": "Report (web page)"},
    "plan_file_pdf": {"zh": "报告(PDF,A4 可打印)", "en": "Report (PDF, A4)"},
    "plan_file_xlsx": {"zh": "工作簿(Excel,全部表格)", "en": "Workbook (Excel, every table)"},
    "plan_file_gpkg": {"zh": "GeoPackage(GIS 图层)", "en": "GeoPackage (GIS layers)"},
    "plan_card_open": {"zh": "生成方案", "en": "Make the plan"},
}
