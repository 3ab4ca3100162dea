"""Who is asking: roles, what each may do, and the token check (issue 9).

Roles (``tongan user add NAME --role ROLE`` creates a token):

============== =========================================================================
admin          everything, the audit log included
civil_affairs  households and children's data; imports the household, facility, school
               and area layers; records inspections
river_chief    waters, equipment, spots and inspections; imports the water, equipment,
               spot and incident layers; households only as aggregates
viewer         aggregates and public layers; no writes
============== =========================================================================

A request without a token gets ``settings.api.anonymous_role`` (viewer by default;
``tongan serve --authorised`` makes it civil_affairs for a single-user desktop). A wrong token is
refused (401), never downgraded silently; so is a malformed ``Authorization`` header (``Bearer``
without a token, ``Basic ...``, garbage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from geo.errors import TonganError
from geo.settings import Role

#: Roles that may see household-level locations and children's personal data.
HOUSEHOLD_ROLES: frozenset[Role] = frozenset({"admin", "civil_affairs"})

#: Roles that may record inspections.
INSPECTION_ROLES: frozenset[Role] = frozenset({"admin", "civil_affairs", "river_chief"})

#: Which roles may import each layer (admin may import every layer).
IMPORT_ROLES: dict[str, frozenset[Role]] = {
    "households": frozenset({"civil_affairs"}),
    "facilities": frozenset({"civil_affairs"}),
    "schools": frozenset({"civil_affairs"}),
    "areas": frozenset({"civil_affairs"}),
    "waters": frozenset({"river_chief"}),
    "equipment": frozenset({"river_chief"}),
    "known_spots": frozenset({"river_chief"}),
    "incidents": frozenset({"river_chief", "civil_affairs"}),
    "hazards": frozenset({"river_chief", "civil_affairs"}),
    "roads": frozenset(),
}


class AuthError(TonganError):
    """The token is wrong (401) or the role may not do this (403)."""

    status = 401


@dataclass(frozen=True)
class Principal:
    """The user behind a request (``anonymous`` without a token or session); ``area`` is the
    user's area code (None: the whole study area; see :data:`geo.access.ROLE_TABLE`)."""

    name: str
    role: Role
    area: str | None = None

    @property
    def sees_households(self) -> bool:
        """Whether household-level locations may be shown to this user."""
        return self.role in HOUSEHOLD_ROLES

    def require(self, allowed: frozenset[Role], action: str) -> None:
        """Raise :class:`AuthError` (403) unless the role is admin or in ``allowed``."""
        if self.role != "admin" and self.role not in allowed:
            roles = ", ".join(sorted({"admin", *allowed}))
            msg = f"the role {self.role!r} may not {action}; it needs one of: {roles}"
            raise AuthError(msg, status=403)


bearer = HTTPBearer(
    auto_error=False,
    description="A token from `tongan user add NAME --role ROLE`; without one you are a viewer.",
)


def current_principal(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The principal the server's middleware resolved for this request."""
    principal: Principal = request.state.principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def token_of(request: Request) -> str | None:
    """The bearer token of a request (``Authorization: Bearer ...``); None without the header.

    Raises
    ------
    AuthError
        (401) The header is there but holds no bearer token: ``Bearer`` alone, another scheme
        (``Basic ...``) or garbage. Such a request is refused, never served as anonymous.
    """
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        # name a known scheme only: what else stands there may be the secret itself
        shown = repr(scheme) if scheme.lower() in _OTHER_SCHEMES else "another scheme"
        msg = (
            f"the Authorization header must be 'Bearer TOKEN', not {shown}; "
            "send the token from `tongan user add`, or no Authorization header at all"
        )
        raise AuthError(msg)
    token = token.strip()
    if not token:
        msg = "the Authorization header says Bearer but holds no token; add the token after it"
        raise AuthError(msg)
    if not _TOKEN.fullmatch(token):
        msg = "the bearer token is malformed (RFC 6750 allows letters, digits and -._~+/=)"
        raise AuthError(msg)
    return token


#: Authorization schemes a client may send by mistake (named in the 401's message).
_OTHER_SCHEMES = frozenset({"basic", "digest", "negotiate", "ntlm", "token", "apikey", "hoba"})
#: A bearer token (RFC 6750 ``b64token``).
_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
