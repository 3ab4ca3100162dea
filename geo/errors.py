"""Domain errors. Each carries the HTTP status the API answers with and a message for users.

Nothing below ``api/`` raises ``HTTPException`` or exits; the API and the CLI turn these errors
into a 4xx response or exit code 2 with the message, in one place each.
"""

from __future__ import annotations

from collections.abc import Sequence


class TonganError(Exception):
    """Base class of every error a user can cause; ``status`` is the HTTP status to answer."""

    status: int = 400

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class InputError(TonganError):
    """A file, option or argument is unusable (missing, wrong format, unknown CRS...)."""

    status = 400


class LayerError(TonganError):
    """A layer cannot be used as given; ``problems`` lists one line per problem."""

    status = 422

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return self.message + "\n" + "\n".join(f"  - {p}" for p in self.problems)


class CRSError(InputError):
    """A layer has no CRS, an unsupported one, or needs a metric CRS for the operation."""


class NetworkError(TonganError):
    """The road network cannot answer the question (no roads, a point too far from them...)."""

    status = 422
