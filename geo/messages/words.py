"""Small words shared by many rooms: list separators, yes and no, a layer's title."""

from __future__ import annotations

from geo.messages import Catalogue

MESSAGES: Catalogue = {
    "list_sep": {"zh": "、", "en": ", "},
    "word_yes": {"zh": "是", "en": "yes"},
    "word_no": {"zh": "否", "en": "no"},
    # a layer's title: its Chinese name, or its code in English
    "layer_title": {"zh": "{layer_zh}", "en": "{layer_en}"},
}
