"""Messages of the command line (figures tables, notes, files written, progress labels)."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "cli_figure": {"zh": "指标", "en": "Figure"},
    "cli_value": {"zh": "数值", "en": "Value"},
    "cli_note": {"zh": "说明", "en": "Note"},
    "cli_wrote": {"zh": "已写出:{path}", "en": "Wrote: {path}"},
    "cli_reading": {"zh": "读取图层", "en": "reading"},
    "cli_list_sep": {"zh": "、", "en": ", "},
    "cli_outside_dem": {"zh": "{n} 个机构不在高程数据范围内", "en": "{n} institution(s) lie outside the DEM"},
}
