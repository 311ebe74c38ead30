"""Couriers: roster, shifts, positions."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from allo.domain.courier import Courier, CourierStatus
from allo.domain.errors import NotFound
from allo.domain.user import Role
from allo.entrypoints.http.schemas.common import ERRORS, Position
from allo.entrypoints.http.schemas.people import (CourierCreate, CourierRead, CourierUpdate, ShiftBookingBody,
                                                  ShiftPlan)
from allo.entrypoints.http.security import STAFF_ROLES, current_principal, get_ctx, roles
from allo.services import couriers as svc
from allo.services.context import ServiceContext
from allo.services.principal import Principal

router = APIRouter(prefix="/api/couriers", tags=["couriers"], responses=ERRORS)
SELF_OR_STAFF = (Role.ADMIN, Role.DISPATCHER, Role.COURIER)


def _read(ctx: ServiceContext, c: Courier) -> CourierRead:
    """The courier as the API shows it now (a booked shift that is over is not shown)."""
    return CourierRead.of(c, ctx.clock.now())


@router.post("", response_model=CourierRead, status_code=201, summary="Add a courier", **roles(*STAFF_ROLES))
def create_courier(body: CourierCreate, ctx: ServiceContext = Depends(get_ctx),
                   principal: Principal = Depends(current_principal)) -> CourierRead:
    return _read(ctx, svc.create_courier(ctx, principal=principal, name=body.name, vehicle=body.vehicle))


@router.get("", response_model=list[CourierRead], summary="List couriers", **roles(*STAFF_ROLES))
def list_couriers(status: list[CourierStatus] | None = Query(default=None), active: bool | None = None,
                  ctx: ServiceContext = Depends(get_ctx),
                  principal: Principal = Depends(current_principal)) -> list[CourierRead]:
    return [_read(ctx, c) for c in svc.list_couriers(ctx, principal=principal, status=status, active=active)]


@router.get("/me", response_model=CourierRead, summary="The logged-in courier", **roles(Role.COURIER))
def me(ctx: ServiceContext = Depends(get_ctx), principal: Principal = Depends(current_principal)) -> CourierRead:
    if principal.courier_id is None:
        raise NotFound("this account is not linked to a courier", code="courier_not_found")
    return _read(ctx, svc.get_courier(ctx, principal=principal, courier_id=principal.courier_id))


@router.get("/{courier_id}", response_model=CourierRead, summary="Get a courier", **roles(*SELF_OR_STAFF))
def get_courier(courier_id: str, ctx: ServiceContext = Depends(get_ctx),
                principal: Principal = Depends(current_principal)) -> CourierRead:
    return _read(ctx, svc.get_courier(ctx, principal=principal, courier_id=courier_id))


@router.patch("/{courier_id}", response_model=CourierRead, summary="Update a courier", **roles(*STAFF_ROLES))
def update_courier(courier_id: str, body: CourierUpdate, ctx: ServiceContext = Depends(get_ctx),
                   principal: Principal = Depends(current_principal)) -> CourierRead:
    c = svc.update_courier(ctx, principal=principal, courier_id=courier_id, expected_version=body.version,
                           name=body.name, vehicle=body.vehicle, active=body.active)
    return _read(ctx, c)


@router.delete("/{courier_id}", response_model=CourierRead,
               summary="Deactivate a courier (kept for the record)", **roles(*STAFF_ROLES))
def delete_courier(courier_id: str, ctx: ServiceContext = Depends(get_ctx),
                   principal: Principal = Depends(current_principal)) -> CourierRead:
    return _read(ctx, svc.deactivate_courier(ctx, principal=principal, courier_id=courier_id))


@router.post("/{courier_id}/shift/start", response_model=CourierRead, summary="Start a shift",
             **roles(*SELF_OR_STAFF))
def start_shift(courier_id: str, body: ShiftPlan | None = None, ctx: ServiceContext = Depends(get_ctx),
                principal: Principal = Depends(current_principal)) -> CourierRead:
    until = body.until if body else None
    return _read(ctx, svc.start_shift(ctx, principal=principal, courier_id=courier_id, until=until))


@router.put("/{courier_id}/shift/end", response_model=CourierRead,
            summary="Plan when the shift under way ends (later, sooner, or no planned end)", **roles(*SELF_OR_STAFF))
def plan_shift_end(courier_id: str, body: ShiftPlan, ctx: ServiceContext = Depends(get_ctx),
                   principal: Principal = Depends(current_principal)) -> CourierRead:
    return _read(ctx, svc.plan_shift_end(ctx, principal=principal, courier_id=courier_id, until=body.until))


@router.put("/{courier_id}/booking", response_model=CourierRead,
            summary="Book the next shift (replaces an earlier booking): the dispatcher counts on the courier then",
            **roles(*SELF_OR_STAFF))
def book_shift(courier_id: str, body: ShiftBookingBody, ctx: ServiceContext = Depends(get_ctx),
               principal: Principal = Depends(current_principal)) -> CourierRead:
    return _read(ctx, svc.book_shift(ctx, principal=principal, courier_id=courier_id, starts_at=body.starts_at,
                                     ends_at=body.ends_at, start_place=body.start.to_domain() if body.start else None))


@router.delete("/{courier_id}/booking", response_model=CourierRead, summary="Cancel the booked shift",
               **roles(*SELF_OR_STAFF))
def cancel_booking(courier_id: str, ctx: ServiceContext = Depends(get_ctx),
                   principal: Principal = Depends(current_principal)) -> CourierRead:
    return _read(ctx, svc.cancel_booking(ctx, principal=principal, courier_id=courier_id))


@router.post("/{courier_id}/shift/stop", response_model=CourierRead, summary="End a shift",
             **roles(*SELF_OR_STAFF))
def stop_shift(courier_id: str, ctx: ServiceContext = Depends(get_ctx),
               principal: Principal = Depends(current_principal)) -> CourierRead:
    return _read(ctx, svc.end_shift(ctx, principal=principal, courier_id=courier_id))


@router.put("/{courier_id}/position", response_model=CourierRead, summary="Report the courier's position",
            **roles(*SELF_OR_STAFF))
def position(courier_id: str, body: Position, ctx: ServiceContext = Depends(get_ctx),
             principal: Principal = Depends(current_principal)) -> CourierRead:
    return _read(ctx, svc.update_position(ctx, principal=principal, courier_id=courier_id,
                                              where=body.to_domain()))
