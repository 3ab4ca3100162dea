"""Who is asking: roles, what each may do, and the token check (issues 9 and 18).

What each role may read and write is :data:`geo.access.ROLE_TABLE` (the README's role table);
the sets below are derived from it. A user with an area sees the households of the villages
under it exactly (:attr:`Principal.scope`), everything else as a viewer does.

A request without a token or session gets ``settings.api.anonymous_role`` (viewer by default;
``tongan serve --authorised`` makes it civil_affairs for a single-user desktop on 127.0.0.1). A
wrong token is refused (401), never downgraded silently; so is a malformed ``Authorization``
header (``Bearer`` without a token, ``Basic ...``, garbage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from geo.access import ALL_LAYERS, ROLE_TABLE, Scope
from geo.errors import TonganError
from geo.settings import Role
from geo.storage import AuditEntry

#: Roles that may see household-level locations and children's personal data (in their area).
HOUSEHOLD_ROLES: frozenset[Role] = frozenset(
    role for role, rule in ROLE_TABLE.items() if rule.households != "none"
)

#: Roles that may record inspections.
INSPECTION_ROLES: frozenset[Role] = frozenset(
    role for role, rule in ROLE_TABLE.items() if rule.inspections != "none"
)

#: Roles that may verify patrols (a GPS track against the plan); a river chief its own only.
PATROL_ROLES: frozenset[Role] = frozenset(
    role for role, rule in ROLE_TABLE.items() if rule.patrols != "none"
)

#: Roles that record home visits and contacts (of the households they see exactly).
VISIT_ROLES: frozenset[Role] = frozenset(
    role for role, rule in ROLE_TABLE.items() if rule.visits == "record"
)

#: Roles that read the household files (一人一档: visit history, open problems) in their scope.
FILE_ROLES: frozenset[Role] = frozenset(
    role for role, rule in ROLE_TABLE.items() if rule.visits != "none"
)

#: Roles that open the supervisor's page (``/supervise``: counts of their area only).
SUPERVISION_ROLES: frozenset[Role] = frozenset(
    role for role, rule in ROLE_TABLE.items() if rule.supervision
)

#: Which roles may import each layer (admin may import every layer).
IMPORT_ROLES: dict[str, frozenset[Role]] = {
    layer: frozenset(
        role for role, rule in ROLE_TABLE.items() if role != "admin" and layer in rule.imports
    )
    for layer in sorted(ALL_LAYERS)
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
    scope: Scope | None = field(default=None, compare=False, repr=False)

    @property
    def sees_households(self) -> bool:
        """Whether every household-level location may be shown to this user (a household role
        for the whole study area). A user with an area but no resolved scope sees none."""
        if self.role not in HOUSEHOLD_ROLES:
            return False
        if self.scope is not None:
            return self.scope.sees_all_households
        return self.area is None

    @property
    def villages(self) -> frozenset[str] | None:
        """The villages whose households this user sees exactly: None every one, empty none."""
        if self.sees_households:
            return None
        if self.scope is None or self.role not in HOUSEHOLD_ROLES:
            return frozenset()
        return self.scope.villages or frozenset()

    def require(self, allowed: frozenset[Role], action: str) -> None:
        """Raise :class:`AuthError` (403) unless the role is admin or in ``allowed``."""
        if self.role != "admin" and self.role not in allowed:
            roles = ", ".join(sorted({"admin", *allowed}))
            msg = f"the role {self.role!r} may not {action}; it needs one of: {roles}"
            raise AuthError(msg, status=403)


def audit_entry(request: Request, principal: Principal, status: int) -> AuditEntry:
    """The audit entry of a write, stored in its transaction (the middleware then skips it;
    the route sets ``request.state.audited``)."""
    return AuditEntry(
        principal.name, principal.role, request.method.lower(), request.url.path, str(status)
    )


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
