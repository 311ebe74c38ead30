"""Dispatcher console: the board of orders with KPIs, and the live event stream.

Pages are server-rendered; forms POST and redirect (303), so everything works without JavaScript.
With JavaScript, htmx reloads the board when the event stream says something changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from allo.domain.events import Event
from allo.domain.user import Role
from allo.entrypoints.http.pages.web import clock_time, current_page_principal, page_roles, render, sse_response
from allo.services import console
from allo.services.context import ServiceContext

router = APIRouter(prefix="/console", tags=["console"])
SHOP_PAGE = page_roles(Role.ADMIN, Role.DISPATCHER, Role.MERCHANT)
STAFF_PAGE = page_roles(Role.ADMIN, Role.DISPATCHER)
FLASH_COOKIE = "allo_flash"
STATUS_LABELS = {"confirmed": "Confirmée", "ready": "Prête", "assigned": "Assignée", "picked_up": "En route",
                 "delivered": "Livrée", "failed": "Échec", "cancelled": "Annulée", "draft": "Brouillon"}
VEHICLE_LABELS = {"foot": "à pied", "bike": "vélo", "scooter": "scooter", "car": "voiture"}
COLUMN_LABELS = {"confirmed": "Confirmées", "ready": "Prêtes", "assigned": "Assignées", "picked_up": "En route"}


class Fmt:
    """Formatting helpers handed to the templates (times in the city's time zone)."""

    def __init__(self, now: datetime, zone: ZoneInfo) -> None:
        self.now = now
        self.zone = zone

    def time(self, at: datetime | None) -> str:
        return clock_time(at, self.zone) or "—"

    def at_time(self, at: datetime) -> str:
        """"à 18:30" today, "le 07/12 à 11:30" on another day."""
        local = at.astimezone(self.zone)
        if local.date() == self.now.astimezone(self.zone).date():
            return f"à {local:%H:%M}"
        return f"le {local:%d/%m} à {local:%H:%M}"

    def datetime(self, at: datetime | None) -> str:
        return at.astimezone(self.zone).strftime("%d/%m %H:%M:%S") if at else "—"

    @staticmethod
    def age(seconds: int | None) -> str:
        if seconds is None:
            return "jamais"
        if seconds < 90:
            return f"{seconds} s"
        if seconds < 5400:
            return f"{seconds // 60} min"
        return f"{seconds // 3600} h"

    @staticmethod
    def left(minutes: int) -> str:
        return f"{minutes} min restantes" if minutes >= 0 else f"en retard de {-minutes} min"

    @staticmethod
    def status(value: str) -> str:
        return STATUS_LABELS.get(value, value)

    @staticmethod
    def vehicle(value: str) -> str:
        return VEHICLE_LABELS.get(value, value)

    @staticmethod
    def column(value: str) -> str:
        return COLUMN_LABELS.get(value, value)

    @staticmethod
    def money(m: object) -> str:
        return console.money(m)


def ctx_of(request: Request) -> ServiceContext:
    return request.app.state.application.ctx


def redirect_with(url: str, message: str, *, error: bool = False) -> RedirectResponse:
    """Post/redirect/get with a one-time message shown on the next page."""
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(FLASH_COOKIE, quote(("!" if error else "") + message[:300]), max_age=60,
                        httponly=True, samesite="lax", path="/console")
    return response


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    """Render a console page: the principal, the flash message (consumed), formatting helpers."""
    ctx = ctx_of(request)
    raw = request.cookies.get(FLASH_COOKIE)
    flash = None
    if raw:
        text = unquote(raw)
        flash = {"error": text.startswith("!"), "text": text.lstrip("!")}
    response = render(request, name, status_code=status_code, principal=current_page_principal(request),
                      flash=flash, fmt=Fmt(ctx.clock.now(), ctx.city_zone), labels=STATUS_LABELS, **context)
    if raw:
        response.delete_cookie(FLASH_COOKIE, path="/console")
    response.headers["Cache-Control"] = "no-store"
    return response


def _board_context(request: Request) -> dict[str, Any]:
    ctx, principal = ctx_of(request), current_page_principal(request)
    return {"board": console.board(ctx, principal=principal), "kpis": console.kpis(ctx, principal=principal)}


@router.get("", response_class=HTMLResponse, summary="Console: live board of orders and KPIs", **SHOP_PAGE)
def board_page(request: Request) -> Response:
    return page(request, "console/board.html", **_board_context(request))


@router.get("/board", response_class=HTMLResponse, summary="Console: the board alone (for live refresh)",
            **SHOP_PAGE)
def board_fragment(request: Request) -> Response:
    return page(request, "console/_board.html", **_board_context(request))


def _selector(request: Request):  # type: ignore[no-untyped-def]
    principal = current_page_principal(request)

    def select(event: Event) -> dict[str, Any] | None:
        kind = event.name.split(".", 1)[0]
        if kind not in ("order", "assignment", "courier"):
            return None
        if not principal.is_staff and (kind != "order" or event.data.get("merchant_id") != principal.merchant_id):
            return None
        return {"_event": "changed", "kind": event.name, "id": event.aggregate_id}

    return select


@router.get("/events", summary="Console: server-sent events when orders, jobs or couriers change",
            **SHOP_PAGE)
def events(request: Request, max_seconds: float | None = Query(default=None, ge=0, le=3600)) -> Response:
    return sse_response(request, _selector(request), max_seconds=max_seconds)
