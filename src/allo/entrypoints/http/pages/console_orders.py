"""Console: order detail and what a person can do to an order (confirm, ready, cancel, assign,
reassign, unassign, reveal the customer's contact with a reason)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from allo.domain.assignment import Assignment
from allo.domain.courier import CourierStatus
from allo.domain.customer import Customer
from allo.domain.errors import Conflict, InvalidTransition, ValidationFailed
from allo.domain.order import Order, OrderAction, OrderStatus
from allo.entrypoints.http.pages.console import SHOP_PAGE, STAFF_PAGE, ctx_of, page, redirect_with
from allo.entrypoints.http.pages.web import clock_time, current_page_principal
from allo.services import assignments, console, customers, orders
from allo.services.console_detail import order_detail

router = APIRouter(prefix="/console/orders", tags=["console"])
#: What a person may recover from with a message on the page (the rest is a 403/404 answer).
RECOVERABLE = (ValidationFailed, InvalidTransition, Conflict)
FORM_ACTIONS = {"confirm": OrderAction.CONFIRM, "mark_ready": OrderAction.MARK_READY, "cancel": OrderAction.CANCEL}
ACTION_DONE = {"confirm": "Commande confirmée.", "mark_ready": "Commande marquée prête.",
               "cancel": "Commande annulée."}
#: What the kitchen may say in the console: "ready in so many minutes".
READY_IN_CHOICES = (5, 10, 15, 20, 25, 30, 45, 60, 90)


def _detail_url(order_id: str) -> str:
    return f"/console/orders/{order_id}"


def _render(request: Request, order_id: str, revealed: Customer | None = None, status_code: int = 200) -> Response:
    ctx, principal = ctx_of(request), current_page_principal(request)
    detail = order_detail(ctx, principal=principal, order_id=order_id, revealed=revealed)
    order = detail.order
    free = []
    if principal.is_staff and order.status in (OrderStatus.CONFIRMED, OrderStatus.READY, OrderStatus.ASSIGNED):
        with ctx.uow() as uow:
            shop = uow.merchants.get(order.merchant_id).pickup
        free = console.available_couriers(ctx, principal=principal, near=shop)
    response = page(request, "console/order.html", status_code=status_code, d=detail, o=order, free=free,
                    can={a.value: order.can(a) for a in OrderAction},
                    ready_known=order.ready_at is not None, ready_in_choices=READY_IN_CHOICES,
                    tile_url=request.app.state.application.settings.map_tile_url)
    if revealed is not None:
        response.headers["Cache-Control"] = "no-store, private"
    return response


@router.get("/{order_id}", response_class=HTMLResponse, summary="Console: order detail", **SHOP_PAGE)
def order_page(request: Request, order_id: str) -> Response:
    return _render(request, order_id)


@router.post("/{order_id}/actions", summary="Console form: confirm, mark ready or cancel (reason) an order",
             **SHOP_PAGE)
def order_action(request: Request, order_id: str, action: str = Form(...),
                 reason: str = Form(default="")) -> Response:
    chosen = FORM_ACTIONS.get(action)
    if chosen is None:
        return redirect_with(_detail_url(order_id), f"Action inconnue : {action}", error=True)
    try:
        orders.order_action(ctx_of(request), principal=current_page_principal(request), order_id=order_id,
                            action=chosen, reason=reason.strip() or None)
    except RECOVERABLE as exc:
        return redirect_with(_detail_url(order_id), exc.message, error=True)
    return redirect_with(_detail_url(order_id), ACTION_DONE[action])


@router.post("/{order_id}/ready-estimate", summary="Console form: the kitchen says when the order will be ready",
             **SHOP_PAGE)
def ready_estimate(request: Request, order_id: str, ready_in_minutes: int = Form(...)) -> Response:
    ctx = ctx_of(request)
    try:
        order = orders.expect_ready(ctx, principal=current_page_principal(request), order_id=order_id,
                                    ready_in_minutes=ready_in_minutes)
    except RECOVERABLE as exc:
        return redirect_with(_detail_url(order_id), exc.message, error=True)
    when = clock_time(order.expected_ready_at, ctx.city_zone)
    return redirect_with(_detail_url(order_id),
                         f"Prête vers {when} : le dispatch enverra le coursier pour cette heure.")


def _job_of(uow: Any, order: Order) -> Assignment | None:
    """The job offered or under way that holds the order: one of its courier's (none without one)."""
    return uow.assignments.active_for_order(order.id, order.courier_id) if order.courier_id else None


@router.post("/{order_id}/assign",
             summary="Console form: assign an order to a courier (reassign when it already has one)", **STAFF_PAGE)
def assign(request: Request, order_id: str, courier_id: str = Form(...)) -> Response:
    ctx, principal = ctx_of(request), current_page_principal(request)
    try:
        order = orders.get_order(ctx, principal=principal, order_id=order_id)
        with ctx.uow() as uow:
            target = uow.couriers.get(courier_id)
            job = _job_of(uow, order)
        if target.status is not CourierStatus.AVAILABLE:
            raise InvalidTransition(f"{target.name} n'est pas disponible", code="courier_unavailable")
        if job is not None:
            if job.courier_id == courier_id:
                return redirect_with(_detail_url(order_id), f"Déjà assignée à {target.name}.")
            assignments.withdraw(ctx, principal=principal, assignment_id=job.id,
                                 reason=f"reassigned by {principal.username}")
        if order.status is OrderStatus.ASSIGNED and job is None:
            raise InvalidTransition("this order has no job to take back", code="no_active_job")
        assignments.offer(ctx, principal=principal, courier_id=courier_id, order_ids=[order_id], manual=True)
    except RECOVERABLE as exc:
        return redirect_with(_detail_url(order_id), exc.message, error=True)
    verb = "réassignée" if job is not None else "assignée"
    return redirect_with(_detail_url(order_id), f"Commande {verb} à {target.name}.")


@router.post("/{order_id}/unassign", summary="Console form: take an order back from its courier", **STAFF_PAGE)
def unassign(request: Request, order_id: str, reason: str = Form(default="")) -> Response:
    ctx, principal = ctx_of(request), current_page_principal(request)
    order = orders.get_order(ctx, principal=principal, order_id=order_id)
    with ctx.uow() as uow:
        job = _job_of(uow, order)
    if job is None:
        return redirect_with(_detail_url(order_id), "Cette commande n'est assignée à personne.", error=True)
    try:
        assignments.withdraw(ctx, principal=principal, assignment_id=job.id,
                             reason=reason.strip() or f"unassigned by {principal.username}")
    except RECOVERABLE as exc:
        return redirect_with(_detail_url(order_id), exc.message, error=True)
    return redirect_with(_detail_url(order_id), "Commande désassignée : elle retourne au dispatch.")


@router.post("/{order_id}/hold", summary="Console form: keep the order for manual dispatch (reason)", **STAFF_PAGE)
def hold(request: Request, order_id: str, reason: str = Form(default="", max_length=200)) -> Response:
    try:
        orders.hold_for_dispatcher(ctx_of(request), principal=current_page_principal(request), order_id=order_id,
                                   reason=reason)
    except RECOVERABLE as exc:
        return redirect_with(_detail_url(order_id), exc.message, error=True)
    return redirect_with(_detail_url(order_id), "Commande gardée : le dispatch automatique ne la proposera pas.")


@router.post("/{order_id}/release", summary="Console form: give the order back to the automatic dispatch",
             **STAFF_PAGE)
def release(request: Request, order_id: str) -> Response:
    try:
        orders.release_to_dispatch(ctx_of(request), principal=current_page_principal(request), order_id=order_id)
    except RECOVERABLE as exc:
        return redirect_with(_detail_url(order_id), exc.message, error=True)
    return redirect_with(_detail_url(order_id), "Commande rendue au dispatch automatique.")


@router.post("/{order_id}/reveal", response_class=HTMLResponse,
             summary="Console form: show the customer's contact and the full drop-off (reason required, audited)",
             **STAFF_PAGE)
def reveal(request: Request, order_id: str, reason: str = Form(default="")) -> Response:
    ctx, principal = ctx_of(request), current_page_principal(request)
    order = orders.get_order(ctx, principal=principal, order_id=order_id)
    if len(reason.strip()) < 3:
        return redirect_with(_detail_url(order_id), "Indiquez pourquoi vous avez besoin de ces données.",
                             error=True)
    if order.customer_id is None:
        return redirect_with(_detail_url(order_id), "Cette commande n'a pas de client enregistré.", error=True)
    customer = customers.reveal_customer(ctx, principal=principal, customer_id=order.customer_id,
                                         reason=f"order {order_id}: {reason.strip()}")
    return _render(request, order_id, revealed=customer)
