"""The relay: a courier writes to the customer of an order; staff read an order's relayed messages."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from allo.domain.user import Role
from allo.entrypoints.http.schemas.common import ERRORS
from allo.entrypoints.http.schemas.relay import RelayMessageCreate, RelayMessageRead, RelayThreadRead
from allo.entrypoints.http.security import STAFF_ROLES, current_principal, get_ctx, roles
from allo.services import relay as svc
from allo.services.context import ServiceContext
from allo.services.principal import Principal

router = APIRouter(tags=["relay"], responses=ERRORS)
COURIER_SIDE = (Role.ADMIN, Role.DISPATCHER, Role.COURIER)
JOB_ORDER = "/api/assignments/{assignment_id}/orders/{order_id}/messages"


@router.get(JOB_ORDER, response_model=RelayThreadRead,
            summary="The relay with the customer of an order of the job", **roles(*COURIER_SIDE))
def thread(assignment_id: str, order_id: str, ctx: ServiceContext = Depends(get_ctx),
           principal: Principal = Depends(current_principal)) -> RelayThreadRead:
    return RelayThreadRead.of(svc.thread_for_courier(ctx, principal=principal, assignment_id=assignment_id,
                                                     order_id=order_id))


@router.post(JOB_ORDER, response_model=RelayMessageRead, status_code=201,
             summary="Write to the customer through Allo (409 `relay_closed` once the relay is closed)",
             **roles(*COURIER_SIDE))
def send(assignment_id: str, order_id: str, body: RelayMessageCreate, ctx: ServiceContext = Depends(get_ctx),
         principal: Principal = Depends(current_principal)) -> RelayMessageRead:
    return RelayMessageRead.of(svc.send_from_courier(ctx, principal=principal, assignment_id=assignment_id,
                                                     order_id=order_id, text=body.text))


@router.get("/api/orders/{order_id}/relay", response_model=list[RelayMessageRead],
            summary="Every relayed message of an order, for the operator's audit (the read is audited)",
            **roles(*STAFF_ROLES))
def audit(order_id: str, ctx: ServiceContext = Depends(get_ctx),
          principal: Principal = Depends(current_principal)) -> list[RelayMessageRead]:
    return [RelayMessageRead.of(m) for m in svc.messages_for_order(ctx, principal=principal, order_id=order_id)]
