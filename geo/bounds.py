"""Bounds of what users type: text without control characters, dates in a plausible range.

PostgreSQL refuses a NUL in any text value and GEOS and GDAL stop reading at one; other C0
control characters (and DEL) in a name or an identifier are typing or encoding accidents. Dates
outside 1990-2199 are typos (an inspection in 0202, a plan for 20260). The bounds are stated in
the API's OpenAPI schema (JSON Schema ``pattern``) as well as enforced, so that a client (or
schemathesis) generating what the schema allows is never refused.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import Field

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


#: The dates accepted for plans and records (inclusive): years 1990 to 2199.
FIRST_DATE = dt.date(1990, 1, 1)
LAST_DATE = dt.date(2199, 12, 31)
#: The same bounds as a pattern of the ISO date, for the schema (JSON Schema's ``minimum`` does
#: not apply to strings).
DATE_PATTERN = r"^(199\d|2[01]\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"

#: A date from FIRST_DATE to LAST_DATE, the bounds in the schema too.
BoundedDate = Annotated[
    dt.date, Field(ge=FIRST_DATE, le=LAST_DATE, json_schema_extra={"pattern": DATE_PATTERN})
]
