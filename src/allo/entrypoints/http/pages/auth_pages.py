"""Login and logout pages (session cookie)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from allo.domain.errors import Unauthenticated
from allo.entrypoints.http.pages.web import HOME_BY_ROLE, render
from allo.entrypoints.http.security import PUBLIC, SESSION_COOKIE
from allo.services import accounts

router = APIRouter(tags=["pages"], include_in_schema=True)


def _safe_next(url: str | None) -> str | None:
    return url if url and url.startswith("/") and not url.startswith("//") else None


@router.get("/login", response_class=HTMLResponse, summary="Login page", **PUBLIC)
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "pages/login.html", next=_safe_next(next), principal=None)


@router.post("/login", summary="Log in from the login page (form)", **PUBLIC)
def login_form(request: Request, username: str = Form(...), password: str = Form(...),
               next: str | None = Form(default=None)) -> Response:
    ctx = request.app.state.application.ctx
    try:
        user, token = accounts.login(ctx, username=username, password=password, kind="session")
    except Unauthenticated:
        return render(request, "pages/login.html", status_code=401, error="Identifiant ou mot de passe incorrect.",
                      username=username, next=_safe_next(next), principal=None)
    target = _safe_next(next) or HOME_BY_ROLE[user.role]
    response = RedirectResponse(target, status_code=303)
    settings = request.app.state.application.settings
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=settings.cookie_secure,
                        max_age=int(ctx.token_ttl.total_seconds()))
    return response


@router.post("/logout", summary="Log out from a page", **PUBLIC)
def logout_form(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts.logout(request.app.state.application.ctx, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/", summary="Home: the login page, or the page of your role", **PUBLIC)
def home(request: Request) -> Response:
    from allo.entrypoints.http.pages.web import LoginRequired, page_principal

    try:
        principal = page_principal(request)
    except LoginRequired:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(HOME_BY_ROLE[principal.role], status_code=303)
