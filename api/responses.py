"""The error body every JSON endpoint answers with, and its documentation in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorOut(BaseModel):
    """An error: a short code and a message saying what is wrong and how to fix it."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(examples=["InvalidParameter"])
    description: str = Field(examples=["parameter standard_m: Input should be greater than 0"])


def _error(text: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": text}


#: Error statuses of the data API, documented on every operation.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("Bad request (an unreadable file, a malformed value)"),
    401: _error("The token is not valid"),
    403: _error("The role may not do this"),
    404: _error("No such layer, collection or feature"),
    413: _error("The upload is larger than the cap"),
    422: _error("A parameter or the body is invalid; the message names the field"),
    503: _error("The server has no workspace database"),
}
