"""Passwords of the browser sign-in: Argon2id hashes (argon2-cffi), never the password (issue 18).

Examples
--------
>>> stored = hash_password("correct horse battery")
>>> stored.startswith("$argon2id$")
True
>>> verify_password(stored, "correct horse battery"), verify_password(stored, "wrong")
(True, False)
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["hash_password", "needs_rehash", "verify_nothing", "verify_password"]


@cache
def _hasher() -> PasswordHasher:
    """argon2-cffi's hasher with its defaults (RFC 9106's low-memory profile: Argon2id, 64 MiB,
    3 passes), which follow the library's releases."""
    return PasswordHasher()


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (a PHC string with its own salt and parameters)."""
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches the hash ``stored`` (False for a malformed hash)."""
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made with weaker parameters than the hasher's current ones."""
    try:
        return _hasher().check_needs_rehash(stored)
    except InvalidHashError:
        return True


@cache
def _dummy() -> str:
    return hash_password("no such user: the same work as a real check")


def verify_nothing(password: str) -> bool:
    """Spend the time of a real check for an unknown user (so timing does not tell who exists)."""
    verify_password(_dummy(), password)
    return False
