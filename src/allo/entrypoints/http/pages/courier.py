"""The courier app: mobile-first pages under /courier (htmx when there is JavaScript; plain forms
and redirects when there is not). Thin: every decision is in allo.services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from allo.domain.errors import DomainError
from allo.domain.events import Event
from allo.domain.user import Role
from allo.entrypoints.http.pages.courier_texts import DONE, FAIL_REASONS, GIVE_BACK_REASONS, error_text
from allo.entrypoints.http.pages.shift_lengths import booked_times, booking_days, shift_end
from allo.entrypoints.http.pages.web import current_page_principal, page_roles, render, sse_response
from allo.services import assignments, courier_app, couriers, relay
from allo.services.principal import Principal

router = APIRouter(prefix="/courier", tags=["courier app"])
COURIER_PAGE = page_roles(Role.COURIER)


def _ctx(request: Request) -> Any:
    return request.app.state.application.ctx


def _panel_context(request: Request, flash: dict[str, Any] | None) -> dict[str, Any]:
    principal, ctx = current_page_principal(request), _ctx(request)
    view = courier_app.home(ctx, principal=principal)
    return {"principal": principal, "view": view, "flash": flash, "fail_reasons": FAIL_REASONS,
            "give_back_reasons": GIVE_BACK_REASONS,
            "booking_days": booking_days(ctx.clock.now(), ctx.city_zone)}


def _flash(error: str | None, done: str | None, message: str | None = None) -> dict[str, Any] | None:
    if error:
        return {"error": True, "text": error_text(error, message)}
    if done in DONE:
        return {"error": False, "text": DONE[done]}
    return None


@router.get("", response_class=HTMLResponse, summary="Courier app: shift, offer, job, relay", **COURIER_PAGE)
def home(request: Request, error: str | None = Query(default=None, max_length=64),
         done: str | None = Query(default=None, max_length=64)) -> Response:
    return render(request, "courier/home.html", **_panel_context(request, _flash(error, done)))


@router.get("/panel", response_class=HTMLResponse, summary="Courier app: the live panel (htmx fragment)",
            **COURIER_PAGE)
def panel(request: Request) -> Response:
    return render(request, "courier/_panel.html", **_panel_context(request, None))


@router.get("/events", summary="Courier app: server-sent events about this courier's jobs", **COURIER_PAGE)
def events(request: Request, max_seconds: float | None = Query(default=None, ge=0, le=3600)) -> Response:
    principal = current_page_principal(request)
    watched = courier_app.home(_ctx(request), principal=principal).active_ids
    courier_id = principal.courier_id

    def select(event: Event) -> dict[str, Any] | None:
        mine = event.data.get("courier_id") == courier_id or event.aggregate_id == courier_id
        if mine:
            watched.update(event.data.get("order_ids") or [])
            watched.add(event.aggregate_id)
        if mine or event.aggregate_id in watched:
            return {"_event": "changed", "kind": event.name}
        return None

    return sse_response(request, select, max_seconds=max_seconds)


def _act(request: Request, action: Callable[[Principal], object], done: str) -> Response:
    """Run a courier action; answer htmx with the fresh panel, a plain form with a redirect."""
    principal = current_page_principal(request)
    error: DomainError | None = None
    try:
        action(principal)
    except DomainError as exc:
        error = exc
    if request.headers.get("hx-request"):
        flash = _flash(error.code if error else None, None if error else done, error.message if error else None)
        return render(request, "courier/_panel.html", **_panel_context(request, flash))
    query = {"error": error.code} if error else {"done": done}
    return RedirectResponse(f"/courier?{urlencode(query)}", status_code=303)


def _courier_id(principal: Principal) -> str:
    return principal.courier_id or ""


def _shift_end(request: Request, hours: str) -> datetime | None:
    """The planned end chosen in the form (see pages/shift_lengths.py)."""
    return shift_end(_ctx(request).clock.now(), hours)


@router.post("/shift/start", summary="Courier app: start the shift", **COURIER_PAGE)
def start_shift(request: Request, hours: str = Form(default="", max_length=8)) -> Response:
    return _act(request, lambda p: couriers.start_shift(_ctx(request), principal=p, courier_id=_courier_id(p),
                                                        until=_shift_end(request, hours)), "shift_started")


@router.post("/shift/plan", summary="Courier app: change when the shift ends", **COURIER_PAGE)
def plan_shift_end(request: Request, hours: str = Form(default="", max_length=8)) -> Response:
    return _act(request, lambda p: couriers.plan_shift_end(_ctx(request), principal=p, courier_id=_courier_id(p),
                                                           until=_shift_end(request, hours)), "shift_planned")


@router.post("/shift/book", summary="Courier app: book the next shift", **COURIER_PAGE)
def book_shift(request: Request, day: str = Form(default="", max_length=2), start: str = Form(default="", max_length=8),
               hours: str = Form(default="", max_length=8)) -> Response:
    ctx = _ctx(request)

    def book(p: Principal) -> object:
        starts, ends = booked_times(ctx.clock.now(), ctx.city_zone, day, start, hours)
        return couriers.book_shift(ctx, principal=p, courier_id=_courier_id(p), starts_at=starts, ends_at=ends)

    return _act(request, book, "shift_booked")


@router.post("/shift/unbook", summary="Courier app: cancel the booked shift", **COURIER_PAGE)
def cancel_booking(request: Request) -> Response:
    return _act(request, lambda p: couriers.cancel_booking(_ctx(request), principal=p, courier_id=_courier_id(p)),
                "booking_cancelled")


@router.post("/shift/end", summary="Courier app: end the shift", **COURIER_PAGE)
def end_shift(request: Request) -> Response:
    return _act(request, lambda p: couriers.end_shift(_ctx(request), principal=p, courier_id=_courier_id(p)),
                "shift_ended")


@router.post("/offers/{assignment_id}/accept", summary="Courier app: accept the offer", **COURIER_PAGE)
def accept(request: Request, assignment_id: str) -> Response:
    return _act(request, lambda p: assignments.accept(_ctx(request), principal=p, assignment_id=assignment_id),
                "accepted")


@router.post("/offers/{assignment_id}/decline", summary="Courier app: decline the offer", **COURIER_PAGE)
def decline(request: Request, assignment_id: str) -> Response:
    return _act(request, lambda p: assignments.decline(_ctx(request), principal=p, assignment_id=assignment_id,
                                                       reason="declined in the courier app"), "declined")


@router.post("/jobs/{assignment_id}/at-shop", summary="Courier app: I am at the shop", **COURIER_PAGE)
def at_shop(request: Request, assignment_id: str) -> Response:
    return _act(request, lambda p: assignments.at_shop(_ctx(request), principal=p, assignment_id=assignment_id),
                "at_shop")


@router.post("/jobs/{assignment_id}/give-back", summary="Courier app: give back a job not picked up yet",
             **COURIER_PAGE)
def give_back(request: Request, assignment_id: str, reason: str = Form(default="other", max_length=32)) -> Response:
    label = GIVE_BACK_REASONS.get(reason, GIVE_BACK_REASONS["other"])
    return _act(request, lambda p: assignments.decline(_ctx(request), principal=p, assignment_id=assignment_id,
                                                       reason=f"given back: {label}"), "given_back")


@router.post("/jobs/{assignment_id}/picked-up", summary="Courier app: I have the orders", **COURIER_PAGE)
def picked_up(request: Request, assignment_id: str) -> Response:
    return _act(request, lambda p: assignments.picked_up(_ctx(request), principal=p, assignment_id=assignment_id),
                "picked_up")


@router.post("/jobs/{assignment_id}/orders/{order_id}/delivered",
             summary="Courier app: handed over, with the customer's PIN", **COURIER_PAGE)
def delivered(request: Request, assignment_id: str, order_id: str,
              pin: str = Form(default="", max_length=12)) -> Response:
    return _act(request, lambda p: assignments.delivered(_ctx(request), principal=p, assignment_id=assignment_id,
                                                         order_id=order_id, pin=pin), "delivered")


@router.post("/jobs/{assignment_id}/orders/{order_id}/failed",
             summary="Courier app: a problem (customer absent …), with a reason", **COURIER_PAGE)
def failed(request: Request, assignment_id: str, order_id: str, reason: str = Form(..., max_length=64),
           details: str = Form(default="", max_length=400)) -> Response:
    label = FAIL_REASONS.get(reason, reason)
    full = f"{label}: {details.strip()}" if details.strip() else label
    return _act(request, lambda p: assignments.failed(_ctx(request), principal=p, assignment_id=assignment_id,
                                                      order_id=order_id, reason=full), "failed")


@router.post("/jobs/{assignment_id}/orders/{order_id}/messages",
             summary="Courier app: write to the customer through the relay", **COURIER_PAGE)
def message(request: Request, assignment_id: str, order_id: str,
            text: str = Form(..., max_length=1000)) -> Response:
    return _act(request, lambda p: relay.send_from_courier(_ctx(request), principal=p, assignment_id=assignment_id,
                                                          order_id=order_id, text=text), "sent")
