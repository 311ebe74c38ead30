"""The handover PIN: a dispatcher unlocks a delivery locked by wrong PINs."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from allo.entrypoints.http.schemas.common import ERRORS
from allo.entrypoints.http.schemas.orders import OrderRead
from allo.entrypoints.http.security import STAFF_ROLES, current_principal, get_ctx, roles
from allo.services import assignments as svc
from allo.services.context import ServiceContext
from allo.services.principal import Principal

router = APIRouter(prefix="/api/orders", tags=["orders"], responses=ERRORS)


@router.post("/{order_id}/pin/reset", response_model=OrderRead,
             summary="Unlock a handover locked after five wrong PINs (audited)", **roles(*STAFF_ROLES))
def reset_pin(order_id: str, ctx: ServiceContext = Depends(get_ctx),
              principal: Principal = Depends(current_principal)) -> OrderRead:
    return OrderRead.of(svc.reset_pin_lock_for(ctx, principal=principal, order_id=order_id), principal.role)
