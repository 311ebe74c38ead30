"""What the server-rendered pages share: templates, static files, page authentication, SSE."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import RedirectResponse, StreamingResponse
from fastapi.templating import Jinja2Templates

from allo.domain.errors import Unauthenticated
from allo.domain.events import Event
from allo.domain.user import Role
from allo.entrypoints.http.pages.shift_lengths import SHIFT_LENGTHS
from allo.services import accounts
from allo.services.principal import Principal

HTTP_DIR = Path(str(resources.files("allo.entrypoints.http")))
STATIC_DIR = HTTP_DIR / "static"
TEMPLATES_DIR = HTTP_DIR / "templates"
HOME_BY_ROLE = {Role.ADMIN: "/console", Role.DISPATCHER: "/console", Role.MERCHANT: "/console",
                Role.COURIER: "/courier"}


def make_templates(city_zone: ZoneInfo) -> Jinja2Templates:
    """The pages' templates; times are shown in `city_zone` (ALLO_CITY_TIMEZONE)."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.globals["home_by_role"] = {r.value: p for r, p in HOME_BY_ROLE.items()}
    templates.env.globals["city_tz"] = city_zone.key
    templates.env.globals["shift_lengths"] = SHIFT_LENGTHS
    templates.env.filters["hm"] = lambda at: clock_time(at, city_zone)
    templates.env.filters["day_hm"] = lambda at: day_time(at, city_zone)
    return templates


def clock_time(at: datetime | None, zone: ZoneInfo) -> str:
    """"14:05" in the city's time zone, as on the phones of the people there ("" for no time)."""
    return at.astimezone(zone).strftime("%H:%M") if at else ""


def day_time(at: datetime | None, zone: ZoneInfo) -> str:
    """"sam. 05/12 18:00" in the city's time zone: a day and a time ("" for no time)."""
    if at is None:
        return ""
    local = at.astimezone(zone)
    return f"{('lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.')[local.weekday()]} {local:%d/%m %H:%M}"


def templates_of(request: Request) -> Jinja2Templates:
    return request.app.state.templates


def render(request: Request, name: str, status_code: int = 200, **context: Any):  # type: ignore[no-untyped-def]
    return templates_of(request).TemplateResponse(request, name, context, status_code=status_code)


class LoginRequired(Exception):
    """Raised by page dependencies; answered with a redirect to /login."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def page_principal(request: Request) -> Principal:
    """The logged-in person behind the session cookie, or a redirect to the login page."""
    from allo.entrypoints.http.security import SESSION_COOKIE

    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise LoginRequired(str(request.url.path))
    try:
        return Principal.of(accounts.authenticate(request.app.state.application.ctx, token))
    except Unauthenticated:
        raise LoginRequired(str(request.url.path)) from None


def login_redirect(next_url: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={next_url}", status_code=303)


def sse_response(request: Request, select: Callable[[Event], dict[str, Any] | None], *,
                 poll_seconds: float = 1.0, start_at_end: bool = True,
                 max_seconds: float | None = None) -> StreamingResponse:
    """Server-sent events from the domain event journal: `select` turns an event into the data to
    send (or None to skip it). Reconnecting browsers resume after `Last-Event-ID`. With
    `max_seconds` the stream ends after that long (0: one batch), and the browser reconnects."""
    ctx = request.app.state.application.ctx
    last_header = request.headers.get("last-event-id")

    def latest() -> int:
        with ctx.uow() as uow:
            return uow.journal.last_event_id()

    def batch_after(last: int) -> list[tuple[int, Event]]:
        with ctx.uow() as uow:
            return uow.journal.events_after(last, limit=200)

    async def stream() -> AsyncIterator[bytes]:
        deadline = None if max_seconds is None else asyncio.get_running_loop().time() + max_seconds
        last = int(last_header) if last_header and last_header.isdigit() else (
            await asyncio.to_thread(latest) if start_at_end else 0)
        yield b"retry: 2000\n\n"
        while not await request.is_disconnected():
            for event_id, event in await asyncio.to_thread(batch_after, last):
                last = event_id
                data = select(event)
                if data is not None:
                    name = data.pop("_event", "update")
                    yield f"id: {event_id}\nevent: {name}\ndata: {json.dumps(data, default=str)}\n\n".encode()
            yield b": keep-alive\n\n"
            if deadline is not None and asyncio.get_running_loop().time() >= deadline:
                break
            await asyncio.sleep(poll_seconds)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def page_roles(*allowed: Role) -> dict[str, Any]:
    """Route keyword arguments for a page: login redirect for strangers, 403 page for other roles,
    and `x-roles` / `x-page` in the OpenAPI document (read by the role × endpoint test)."""
    from fastapi import Depends

    from allo.domain.errors import Forbidden

    def check(request: Request) -> Principal:
        principal = page_principal(request)
        if principal.role not in allowed:
            raise Forbidden(f"{principal.role.value} may not open this page")
        request.state.principal = principal
        return principal

    return {"dependencies": [Depends(check)],
            "openapi_extra": {"x-roles": [r.value for r in allowed], "x-page": True}}


def current_page_principal(request: Request) -> Principal:
    """Inside a page declared with page_roles(): the principal it checked."""
    return request.state.principal
