"""Orders: create, list with filters, get, update, state actions, cancel."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Header, Query

from allo.domain.order import OrderAction, OrderStatus
from allo.domain.user import Role
from allo.entrypoints.http.schemas.common import ERRORS
from allo.entrypoints.http.schemas.orders import (OrderActionRequest, OrderCreate, OrderRead, OrderUpdate,
                                                  ReadyEstimate)
from allo.entrypoints.http.schemas.people import ReasonRequest
from allo.entrypoints.http.security import ALL_ROLES, STAFF_ROLES, current_principal, get_ctx, roles
from allo.services import orders as svc
from allo.services.context import ServiceContext
from allo.services.principal import Principal

router = APIRouter(prefix="/api/orders", tags=["orders"], responses=ERRORS)
SHOP_ROLES = (Role.ADMIN, Role.DISPATCHER, Role.MERCHANT)


def _if_match(value: str | None) -> int | None:
    """`If-Match: 3` or `If-Match: "3"` carries the version the client read."""
    if value is None:
        return None
    try:
        return int(value.strip().strip('"').removeprefix('W/').strip('"'))
    except ValueError:
        from allo.domain.errors import ValidationFailed

        raise ValidationFailed("If-Match must carry the order's version number", code="invalid_if_match")


@router.post("", response_model=OrderRead, status_code=201, summary="Create an order (staff, shop or API)",
             **roles(*SHOP_ROLES))
def create_order(body: OrderCreate, ctx: ServiceContext = Depends(get_ctx),
                 principal: Principal = Depends(current_principal)) -> OrderRead:
    order = svc.create_order(ctx, principal=principal, merchant_id=body.merchant_id, lines=body.line_requests(),
                             dropoff=body.dropoff.to_domain(), customer=body.customer_request(), notes=body.notes,
                             requested_for=body.requested_for, confirm=body.confirm,
                             delivery_fee_cents=body.delivery_fee_cents, ready_in_minutes=body.ready_in_minutes)
    return OrderRead.of(order, principal.role)


@router.get("", response_model=list[OrderRead],
            summary="List orders (a shop sees its own, a courier those it carries)", **roles(*ALL_ROLES))
def list_orders(status: list[OrderStatus] | None = Query(default=None), merchant_id: str | None = None,
                courier_id: str | None = None, limit: int = Query(default=100, ge=1, le=500),
                offset: int = Query(default=0, ge=0), ctx: ServiceContext = Depends(get_ctx),
                principal: Principal = Depends(current_principal)) -> list[OrderRead]:
    orders = svc.list_orders(ctx, principal=principal, status=status, merchant_id=merchant_id,
                             courier_id=courier_id, limit=limit, offset=offset)
    return [OrderRead.of(o, principal.role) for o in orders]


@router.get("/{order_id}", response_model=OrderRead, summary="Get an order", **roles(*ALL_ROLES))
def get_order(order_id: str, ctx: ServiceContext = Depends(get_ctx),
              principal: Principal = Depends(current_principal)) -> OrderRead:
    return OrderRead.of(svc.get_order(ctx, principal=principal, order_id=order_id), principal.role)


@router.patch("/{order_id}", response_model=OrderRead,
              summary="Change notes, drop-off or requested time before pickup (optimistic: send `version`)",
              **roles(*SHOP_ROLES))
def update_order(order_id: str, body: OrderUpdate, if_match: str | None = Header(default=None),
                 ctx: ServiceContext = Depends(get_ctx),
                 principal: Principal = Depends(current_principal)) -> OrderRead:
    version = body.version if body.version is not None else _if_match(if_match)
    order = svc.update_order(ctx, principal=principal, order_id=order_id, expected_version=version,
                             notes=body.notes, dropoff=body.dropoff.to_domain() if body.dropoff else None,
                             requested_for=body.requested_for)
    return OrderRead.of(order, principal.role)


@router.post("/{order_id}/actions", response_model=OrderRead,
             summary="Run a state action: confirm, mark_ready or cancel", **roles(*SHOP_ROLES))
def act(order_id: str, body: OrderActionRequest, if_match: str | None = Header(default=None),
        ctx: ServiceContext = Depends(get_ctx), principal: Principal = Depends(current_principal)) -> OrderRead:
    version = body.version if body.version is not None else _if_match(if_match)
    order = svc.order_action(ctx, principal=principal, order_id=order_id, action=body.action,
                             reason=body.reason, expected_version=version, ready_in_minutes=body.ready_in_minutes)
    return OrderRead.of(order, principal.role)


@router.put("/{order_id}/ready-estimate", response_model=OrderRead,
            summary="Say when the order will be ready (again, if the kitchen runs late)", **roles(*SHOP_ROLES))
def ready_estimate(order_id: str, body: ReadyEstimate, if_match: str | None = Header(default=None),
                   ctx: ServiceContext = Depends(get_ctx),
                   principal: Principal = Depends(current_principal)) -> OrderRead:
    version = body.version if body.version is not None else _if_match(if_match)
    order = svc.expect_ready(ctx, principal=principal, order_id=order_id, ready_in_minutes=body.ready_in_minutes,
                             expected_version=version)
    return OrderRead.of(order, principal.role)


@router.post("/{order_id}/cancel", response_model=OrderRead, summary="Cancel an order (before pickup)",
             **roles(*SHOP_ROLES))
def cancel(order_id: str, body: ReasonRequest, if_match: str | None = Header(default=None),
           ctx: ServiceContext = Depends(get_ctx), principal: Principal = Depends(current_principal)) -> OrderRead:
    order = svc.order_action(ctx, principal=principal, order_id=order_id, action=OrderAction.CANCEL,
                             reason=body.reason, expected_version=_if_match(if_match))
    return OrderRead.of(order, principal.role)


@router.put("/{order_id}/hold", response_model=OrderRead,
            summary="Keep the order for manual dispatch, with why (the engine leaves it alone)", **roles(*STAFF_ROLES))
def hold(order_id: str, body: ReasonRequest, if_match: str | None = Header(default=None),
         ctx: ServiceContext = Depends(get_ctx), principal: Principal = Depends(current_principal)) -> OrderRead:
    order = svc.hold_for_dispatcher(ctx, principal=principal, order_id=order_id, reason=body.reason,
                                    expected_version=_if_match(if_match))
    return OrderRead.of(order, principal.role)


@router.delete("/{order_id}/hold", response_model=OrderRead, summary="Give the order back to the automatic dispatch",
               **roles(*STAFF_ROLES))
def release_hold(order_id: str, if_match: str | None = Header(default=None), ctx: ServiceContext = Depends(get_ctx),
                 principal: Principal = Depends(current_principal)) -> OrderRead:
    order = svc.release_to_dispatch(ctx, principal=principal, order_id=order_id, expected_version=_if_match(if_match))
    return OrderRead.of(order, principal.role)
