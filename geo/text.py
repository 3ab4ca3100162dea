"""Bounds of the text users give: no control characters, where they break storage or display.

PostgreSQL refuses a NUL in any text value and GEOS and GDAL stop reading at one; other C0
control characters (and DEL) in a name or an identifier are typing or encoding accidents. The
patterns are stated in the API's OpenAPI schema (JSON Schema ``pattern``) as well as enforced.
"""

from __future__ import annotations

import re

#: Identifiers, names, paths and query values: no C0 control character, no DEL.
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
#: Free text (notes): tabs and line breaks allowed, other control characters not.
FREE_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def first_control(text: str) -> str | None:
    """The first control character of ``text`` as ``U+XXXX``, or None.

    Examples
    --------
    >>> first_control("a\\x00b")
    'U+0000'
    >>> first_control("王河长") is None
    True
    """
    found = _CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"
