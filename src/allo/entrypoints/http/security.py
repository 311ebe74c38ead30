"""Authentication (bearer token or session cookie) and per-endpoint role declarations."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from allo.domain.errors import Forbidden, Unauthenticated
from allo.domain.user import Role
from allo.services import accounts
from allo.services.context import ServiceContext
from allo.services.principal import Principal

SESSION_COOKIE = "allo_session"
_bearer = HTTPBearer(auto_error=False)


def get_ctx(request: Request) -> ServiceContext:
    return request.app.state.application.ctx


def token_from(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    if credentials is not None and credentials.scheme.lower() == "bearer":
        return credentials.credentials
    return request.cookies.get(SESSION_COOKIE)


def current_principal(request: Request,
                      credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Principal:
    token = token_from(request, credentials)
    if not token:
        raise Unauthenticated("log in first", code="not_authenticated")
    return Principal.of(accounts.authenticate(get_ctx(request), token))


def roles(*allowed: Role) -> dict[str, Any]:
    """Route keyword arguments: the role check, and the roles written into the OpenAPI document
    (`x-roles`), so the docs and the role × endpoint test read the same declaration."""

    def check(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role not in allowed:
            raise Forbidden(f"{principal.role.value} may not use this endpoint")
        return principal

    return {"dependencies": [Depends(check)], "openapi_extra": {"x-roles": [r.value for r in allowed]}}


PUBLIC: dict[str, Any] = {"openapi_extra": {"x-roles": ["public"]}}
ALL_ROLES = tuple(Role)
STAFF_ROLES = (Role.ADMIN, Role.DISPATCHER)

