"""Console: the courier roster (status, vehicle, last position, current job) and their shifts."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from allo.domain.courier import Vehicle
from allo.domain.errors import Conflict, InvalidTransition, ValidationFailed
from allo.entrypoints.http.pages.console import STAFF_PAGE, VEHICLE_LABELS, ctx_of, page, redirect_with
from allo.entrypoints.http.pages.shift_lengths import shift_end
from allo.entrypoints.http.pages.web import current_page_principal
from allo.services import console, couriers

router = APIRouter(prefix="/console/couriers", tags=["console"])
RECOVERABLE = (ValidationFailed, InvalidTransition, Conflict)


@router.get("", response_class=HTMLResponse, summary="Console: courier roster", **STAFF_PAGE)
def roster_page(request: Request) -> Response:
    ctx, principal = ctx_of(request), current_page_principal(request)
    return page(request, "console/couriers.html", rows=console.roster(ctx, principal=principal),
                kpis=console.kpis(ctx, principal=principal), vehicles=[v.value for v in Vehicle])


@router.post("", summary="Console form: add a courier (off shift)", **STAFF_PAGE)
def add_courier(request: Request, name: str = Form(default="", max_length=200),
                vehicle: str = Form(default="bike", max_length=16)) -> Response:
    if not name.strip() or vehicle not in {v.value for v in Vehicle}:
        return redirect_with("/console/couriers", "Donnez le nom du coursier et son véhicule.", error=True)
    c = couriers.create_courier(ctx_of(request), principal=current_page_principal(request), name=name,
                                vehicle=Vehicle(vehicle))
    return redirect_with("/console/couriers", f"{c.name} ajouté ({VEHICLE_LABELS[c.vehicle.value]}), hors service.")


@router.post("/{courier_id}/shift/start", summary="Console form: start a courier's shift", **STAFF_PAGE)
def start_shift(request: Request, courier_id: str, hours: str = Form(default="", max_length=8)) -> Response:
    """`hours`: how long from now the shift lasts, as in the courier app ("" for no planned end)."""
    ctx = ctx_of(request)
    try:
        c = couriers.start_shift(ctx, principal=current_page_principal(request), courier_id=courier_id,
                                 until=shift_end(ctx.clock.now(), hours))
    except RECOVERABLE as exc:
        return redirect_with("/console/couriers", exc.message, error=True)
    return redirect_with("/console/couriers", f"Service commencé pour {c.name}.")


@router.post("/{courier_id}/shift/stop", summary="Console form: end a courier's shift", **STAFF_PAGE)
def stop_shift(request: Request, courier_id: str) -> Response:
    try:
        c = couriers.end_shift(ctx_of(request), principal=current_page_principal(request), courier_id=courier_id)
    except RECOVERABLE as exc:
        return redirect_with("/console/couriers", exc.message, error=True)
    return redirect_with("/console/couriers", f"Service terminé pour {c.name}.")
