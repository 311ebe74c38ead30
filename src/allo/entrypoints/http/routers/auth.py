"""Log in for a bearer token (API) or a session cookie (web pages); log out; who am I."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials

from allo.entrypoints.http.schemas.common import ERRORS
from allo.entrypoints.http.schemas.people import LoginRequest, PasswordChange, TokenRead, UserRead
from allo.entrypoints.http.security import (
    ALL_ROLES, PUBLIC, SESSION_COOKIE, _bearer, current_principal, get_ctx, roles, token_from,
)
from allo.services import accounts
from allo.services.context import ServiceContext
from allo.services.principal import Principal

router = APIRouter(prefix="/api/auth", tags=["auth"], responses=ERRORS)


@router.post("/token", response_model=TokenRead, summary="Exchange a username and password for a bearer token",
             **PUBLIC)
def token(body: LoginRequest, ctx: ServiceContext = Depends(get_ctx)) -> TokenRead:
    user, tok = accounts.login(ctx, username=body.username, password=body.password, kind="api")
    return TokenRead(access_token=tok, user=UserRead.of(user))


@router.post("/login", response_model=UserRead, summary="Log in and receive a session cookie", **PUBLIC)
def login(body: LoginRequest, request: Request, response: Response,
          ctx: ServiceContext = Depends(get_ctx)) -> UserRead:
    user, tok = accounts.login(ctx, username=body.username, password=body.password, kind="session")
    settings = request.app.state.application.settings
    response.set_cookie(SESSION_COOKIE, tok, httponly=True, samesite="lax", secure=settings.cookie_secure,
                        max_age=int(ctx.token_ttl.total_seconds()))
    return UserRead.of(user)


@router.post("/logout", status_code=204, summary="Revoke the current token or session", **roles(*ALL_ROLES))
def logout(request: Request, response: Response, ctx: ServiceContext = Depends(get_ctx),
           credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Response:
    tok = token_from(request, credentials)
    if tok:
        accounts.logout(ctx, tok)
    response.delete_cookie(SESSION_COOKIE)
    response.status_code = 204
    return response


@router.get("/me", response_model=UserRead, summary="The logged-in user", **roles(*ALL_ROLES))
def me(principal: Principal = Depends(current_principal), ctx: ServiceContext = Depends(get_ctx)) -> UserRead:
    return UserRead.of(accounts.get_user(ctx, principal.user_id))


@router.post("/password", status_code=204, summary="Change one's own password (other sessions end)",
             **roles(*ALL_ROLES))
def change_password(body: PasswordChange, request: Request, response: Response, ctx: ServiceContext = Depends(get_ctx),
                    principal: Principal = Depends(current_principal),
                    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Response:
    accounts.change_password(ctx, user_id=principal.user_id, current=body.current_password, new=body.new_password,
                             token=token_from(request, credentials))
    response.status_code = 204
    return response
