"""User-facing text in Simplified Chinese (default) and English.

Messages are templates keyed by a short code; ``tr(key, lang, **values)`` fills one in. Keeping
both languages side by side here keeps them in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from geo.messages import catalogue
from geo.settings import Language

#: Every message of the catalogue (:mod:`geo.messages`), code -> language -> template.
MESSAGES: dict[str, dict[Language, str]] = catalogue()


def tr(key: str, lang: Language = "zh", /, **values: object) -> str:
    """Fill in the message ``key`` in ``lang``.

    Examples
    --------
    >>> tr("problems_found", "en", errors=1, warnings=2)
    '1 error(s), 2 warning(s).'
    """
    return MESSAGES[key][lang].format(**values)


@dataclass(frozen=True)
class Note:
    """A message as data: a catalogue code and its parameters, rendered when shown.

    Results carry notes, not sentences, so the CLI, maps, pages, workbooks and the API say them
    in the reader's language (:func:`tr`).

    Examples
    --------
    >>> note = Note("problems_found", {"errors": 1, "warnings": 0})
    >>> note.render("en")
    '1 error(s), 0 warning(s).'
    """

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: Language = "zh") -> str:
        """The note in ``lang``."""
        return tr(self.code, lang, **self.params)


#: Chinese labels of the schemas' categorical values, for reports and maps.
VALUE_LABELS_ZH: dict[str, str] = {
    "county": "县", "township": "乡镇", "village": "村",
    "low": "低", "medium": "中", "high": "高", "unknown": "未知",
    "shallow": "浅", "deep": "深",
    "river": "河流", "canal": "渠道", "stream": "溪流", "ditch": "沟渠", "pond": "坑塘",
    "reservoir": "水库", "lake": "湖泊",
    "still": "静水", "slow": "缓流", "fast": "急流",
    "gentle": "缓坡", "steep": "陡坡", "narrow_embankment": "窄堤", "revetted": "护岸",
    "swimming": "游泳", "fishing": "垂钓", "washing": "洗涤", "none": "无",
    "warning_sign": "警示牌", "life_buoy": "救生圈", "rescue_rope": "救生绳", "rescue_pole": "救生杆",
    "rescue_cabinet": "四合一救援柜", "fence": "防护栏",
    "ok": "完好", "damaged": "损坏", "missing": "缺失",
    "primary": "小学", "middle": "中学", "kindergarten": "幼儿园",
    "children_home": "儿童之家", "township_workstation": "未成年人保护工作站",
    "county_institution": "未成年人救助保护机构", "welfare_institution": "儿童福利机构",
    "other_station": "其他站点",
    "flood_zone": "洪水淹没区", "landslide_zone": "山体滑坡区", "dangerous_wall": "危墙",
    "dangerous_building": "危房",
    "secondary": "县乡道", "tertiary": "乡道", "village_road": "村道", "track": "机耕路",
    "path": "小路", "bridge": "桥梁",
    "swimming_hole": "野泳点", "dock": "码头", "washing_step": "洗衣台阶", "fishing_spot": "钓鱼点",
    "other": "其他",
    "red": "红色", "yellow": "黄色", "green": "绿色",
    "visited": "已巡查", "skipped": "漏查", "unplanned": "计划外",
    "reach": "河段", "known_spot": "已知危险点",
}  # fmt: skip


def value_label(code: str, lang: Language = "zh") -> str:
    """The user-facing label of a categorical value (the code itself in English).

    Examples
    --------
    >>> value_label("pond"), value_label("pond", "en")
    ('坑塘', 'pond')
    """
    if lang == "en":
        return code.replace("_", " ")
    return VALUE_LABELS_ZH.get(code, code)


#: Suffix of a column holding the English text of the column without it.
ENGLISH = "_en"


def in_language(frame: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """``frame`` with its text in ``lang``: a column ``X`` with an English twin ``X_en`` takes
    the twin's text in English, and the twins are dropped.

    Examples
    --------
    >>> f = pd.DataFrame({"explanation": ["红"], "explanation_en": ["red"], "n": [1]})
    >>> in_language(f, "en").to_dict("records"), in_language(f, "zh").to_dict("records")
    ([{'explanation': 'red', 'n': 1}], [{'explanation': '红', 'n': 1}])
    """
    twins = [
        c for c in frame.columns if str(c).endswith(ENGLISH) and str(c)[: -len(ENGLISH)] in frame
    ]
    if not twins:
        return frame
    out = frame.copy()
    if lang == "en":
        for twin in twins:
            out[str(twin)[: -len(ENGLISH)]] = out[twin]
    return out.drop(columns=twins)
