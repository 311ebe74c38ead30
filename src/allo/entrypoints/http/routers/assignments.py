"""Assignments: manual offers by dispatchers; accept, decline, picked up, delivered, failed by couriers."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from allo.domain.assignment import AssignmentStatus
from allo.domain.user import Role
from allo.entrypoints.http.schemas.common import ERRORS
from allo.entrypoints.http.schemas.orders import OrderRead
from allo.entrypoints.http.schemas.people import (
    AssignmentCreate, AssignmentRead, HandoverRequest, OptionalReason, ReasonRequest,
)
from allo.entrypoints.http.security import STAFF_ROLES, current_principal, get_ctx, roles
from allo.services import assignments as svc
from allo.services.context import ServiceContext
from allo.services.principal import Principal

router = APIRouter(prefix="/api/assignments", tags=["assignments"], responses=ERRORS)
COURIER_SIDE = (Role.ADMIN, Role.DISPATCHER, Role.COURIER)


@router.post("", response_model=AssignmentRead, status_code=201,
             summary="Offer orders of one shop to a courier (manual assignment)", **roles(*STAFF_ROLES))
def create(body: AssignmentCreate, ctx: ServiceContext = Depends(get_ctx),
           principal: Principal = Depends(current_principal)) -> AssignmentRead:
    return AssignmentRead.of(svc.offer(ctx, principal=principal, courier_id=body.courier_id,
                                       order_ids=body.order_ids))


@router.get("", response_model=list[AssignmentRead], summary="List assignments (a courier sees its own)",
            **roles(*COURIER_SIDE))
def list_(status: list[AssignmentStatus] | None = Query(default=None), courier_id: str | None = None,
          ctx: ServiceContext = Depends(get_ctx),
          principal: Principal = Depends(current_principal)) -> list[AssignmentRead]:
    return [AssignmentRead.of(a) for a in svc.list_assignments(ctx, principal=principal, courier_id=courier_id,
                                                                status=status)]


@router.post("/{assignment_id}/accept", response_model=AssignmentRead, summary="Accept an offer",
             **roles(*COURIER_SIDE))
def accept(assignment_id: str, ctx: ServiceContext = Depends(get_ctx),
           principal: Principal = Depends(current_principal)) -> AssignmentRead:
    return AssignmentRead.of(svc.accept(ctx, principal=principal, assignment_id=assignment_id))


@router.post("/{assignment_id}/decline", response_model=AssignmentRead,
             summary="Decline an offer, or give back a job accepted but not picked up", **roles(*COURIER_SIDE))
def decline(assignment_id: str, body: OptionalReason | None = None, ctx: ServiceContext = Depends(get_ctx),
            principal: Principal = Depends(current_principal)) -> AssignmentRead:
    reason = body.reason if body else None
    return AssignmentRead.of(svc.decline(ctx, principal=principal, assignment_id=assignment_id, reason=reason))


@router.post("/{assignment_id}/withdraw", response_model=AssignmentRead,
             summary="Take a job back from its courier (unassign)", **roles(*STAFF_ROLES))
def withdraw(assignment_id: str, body: ReasonRequest, ctx: ServiceContext = Depends(get_ctx),
             principal: Principal = Depends(current_principal)) -> AssignmentRead:
    return AssignmentRead.of(svc.withdraw(ctx, principal=principal, assignment_id=assignment_id,
                                          reason=body.reason))


@router.post("/{assignment_id}/at-shop", response_model=AssignmentRead,
             summary="The courier is at the shop", **roles(*COURIER_SIDE))
def at_shop(assignment_id: str, ctx: ServiceContext = Depends(get_ctx),
            principal: Principal = Depends(current_principal)) -> AssignmentRead:
    return AssignmentRead.of(svc.at_shop(ctx, principal=principal, assignment_id=assignment_id))


@router.post("/{assignment_id}/picked-up", response_model=AssignmentRead,
             summary="The courier has the orders", **roles(*COURIER_SIDE))
def picked_up(assignment_id: str, ctx: ServiceContext = Depends(get_ctx),
              principal: Principal = Depends(current_principal)) -> AssignmentRead:
    return AssignmentRead.of(svc.picked_up(ctx, principal=principal, assignment_id=assignment_id))


@router.post("/{assignment_id}/orders/{order_id}/delivered", response_model=OrderRead,
             summary="An order of the job was handed over: send the customer's PIN, `{\"pin\": \"1234\"}` "
                     "(422 `wrong_pin`; 409 `pin_locked` after five wrong ones)", **roles(*COURIER_SIDE))
def delivered(assignment_id: str, order_id: str, body: HandoverRequest | None = None,
              ctx: ServiceContext = Depends(get_ctx),
              principal: Principal = Depends(current_principal)) -> OrderRead:
    order = svc.delivered(ctx, principal=principal, assignment_id=assignment_id, order_id=order_id,
                          pin=body.pin if body else None)
    return OrderRead.of(order, principal.role)


@router.post("/{assignment_id}/orders/{order_id}/failed", response_model=OrderRead,
             summary="An order could not be delivered (with a reason)", **roles(*COURIER_SIDE))
def failed(assignment_id: str, order_id: str, body: ReasonRequest, ctx: ServiceContext = Depends(get_ctx),
           principal: Principal = Depends(current_principal)) -> OrderRead:
    order = svc.failed(ctx, principal=principal, assignment_id=assignment_id, order_id=order_id,
                       reason=body.reason)
    return OrderRead.of(order, principal.role)
