"""Language of user-facing values and text columns."""

from __future__ import annotations

import pandas as pd

from geo.i18n import in_language, value_label


def test_in_language_keeps_one_text_column() -> None:
    f = pd.DataFrame({"explanation": ["红"], "explanation_en": ["red"], "n": [1]})
    assert in_language(f, "en").to_dict("records") == [{"explanation": "red", "n": 1}]
    assert in_language(f, "zh").to_dict("records") == [{"explanation": "红", "n": 1}]
    # a column ending in _en without a twin is not a translation: kept as it is
    g = pd.DataFrame({"token_en": ["x"]})
    assert in_language(g, "zh").equals(g)


def test_value_label() -> None:
    assert (value_label("pond"), value_label("pond", "en")) == ("坑塘", "pond")
    assert value_label("life_buoy", "en") == "life buoy"
