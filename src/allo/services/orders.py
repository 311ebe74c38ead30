"""Order use cases: create (priced from the catalog), list, get, state actions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allo.adapters.storage.unit_of_work import SqlUnitOfWork
from allo.domain.customer import Language
from allo.domain.errors import Forbidden, ValidationFailed
from allo.domain.geo import LatLon
from allo.domain.handover import ensure_pin
from allo.domain.money import Money
from allo.domain.order import DropOff, Order, OrderAction, OrderLine, OrderStatus
from allo.domain.user import Role
from allo.services.context import ServiceContext
from allo.services.customers import find_or_create_customer
from allo.services.principal import Principal


@dataclass(frozen=True)
class LineRequest:
    sku: str
    qty: int = 1
    options: dict[str, list[str]] = field(default_factory=dict)
    without: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CustomerRequest:
    phone: str
    name: str | None = None
    language: Language = Language.FR


def create_order(ctx: ServiceContext, *, principal: Principal, merchant_id: str, lines: list[LineRequest],
                 dropoff: DropOff, customer: CustomerRequest | None = None, notes: str | None = None,
                 requested_for: datetime | None = None, confirm: bool = False,
                 delivery_fee_cents: int | None = None, ready_in_minutes: int | None = None) -> Order:
    """A new order, priced from the catalog; `ready_in_minutes`: the kitchen's estimate (see `expect_ready`)."""
    principal.require_role(Role.ADMIN, Role.DISPATCHER, Role.MERCHANT)
    principal.require_merchant(merchant_id)
    with ctx.uow() as uow:
        customer_id = None
        if customer is not None:
            customer_id = find_or_create_customer(ctx, uow, phone=customer.phone, name=customer.name,
                                                  language=customer.language).id
        order = place_order_in(ctx, uow, merchant_id=merchant_id, lines=lines, dropoff=dropoff,
                               customer_id=customer_id, notes=notes, requested_for=requested_for,
                               confirm=confirm, delivery_fee_cents=delivery_fee_cents,
                               ready_in=None if ready_in_minutes is None else timedelta(minutes=ready_in_minutes))
        uow.commit()
    return order


def place_order_in(ctx: ServiceContext, uow: SqlUnitOfWork, *, merchant_id: str, lines: list[LineRequest],
                   dropoff: DropOff, customer_id: str | None, notes: str | None = None,
                   requested_for: datetime | None = None, confirm: bool = False,
                   delivery_fee_cents: int | None = None, conversation_id: str | None = None,
                   ready_in: timedelta | None = None) -> Order:
    """Inside an open unit of work: price the lines from the catalog, check the zone, add the order
    (with the kitchen's estimate `ready_in`, if given)."""
    now = ctx.clock.now()
    merchant = uow.merchants.get(merchant_id)
    if not merchant.active:
        raise ValidationFailed(f"{merchant.name} is not taking orders (deactivated)", code="merchant_inactive")
    if dropoff.location is not None and not merchant.delivers_to(dropoff.location):
        raise ValidationFailed(f"{merchant.name} does not deliver to this address", code="outside_delivery_zone")
    catalog = uow.merchants.get_catalog(merchant_id)
    priced = [_price_line(catalog, req) for req in lines]
    fee = Money(delivery_fee_cents or 0, catalog.currency)
    order = Order(ctx.new_id(), merchant_id, customer_id, priced, dropoff, now, catalog.currency,
                  fee, notes=notes, requested_for=requested_for, conversation_id=conversation_id,
                  tracking_token=ctx.new_token())
    if confirm:
        order.confirm(now)
        ensure_pin(order, ctx.new_pin)
    if ready_in is not None:
        order.expect_ready(now, ready_in)
    uow.orders.add(order)
    return order


def _price_line(catalog: object, req: LineRequest) -> OrderLine:
    item = catalog.item(req.sku)  # type: ignore[attr-defined]
    if not item.available:
        raise ValidationFailed(f"{item.name} is not available", code="item_unavailable")
    return OrderLine(item.sku, item.name, req.qty, item.unit_price(req.options), dict(req.options),
                     tuple(req.without))


def _check_can_see(principal: Principal, order: Order) -> None:
    if principal.is_staff:
        return
    if principal.role is Role.MERCHANT and order.merchant_id == principal.merchant_id:
        return
    if principal.role is Role.COURIER and order.courier_id is not None and order.courier_id == principal.courier_id:
        return
    raise Forbidden("this order is not yours to see")


def get_order(ctx: ServiceContext, *, principal: Principal, order_id: str) -> Order:
    with ctx.uow() as uow:
        order = uow.orders.get(order_id)
    _check_can_see(principal, order)
    return order


def list_orders(ctx: ServiceContext, *, principal: Principal, status: list[OrderStatus] | None = None,
                merchant_id: str | None = None, courier_id: str | None = None,
                limit: int = 100, offset: int = 0) -> list[Order]:
    if principal.role is Role.MERCHANT:
        merchant_id = principal.merchant_id
    elif principal.role is Role.COURIER:
        courier_id = principal.courier_id
    with ctx.uow() as uow:
        return uow.orders.list(status=status, merchant_id=merchant_id, courier_id=courier_id,
                               limit=min(max(limit, 1), 500), offset=max(offset, 0))


#: Who may run which action through the generic endpoint. Assign/unassign/pick-up/deliver go
#: through assignments so that courier state stays consistent.
ACTION_ROLES: dict[OrderAction, frozenset[Role]] = {
    OrderAction.CONFIRM: frozenset({Role.ADMIN, Role.DISPATCHER, Role.MERCHANT}),
    OrderAction.MARK_READY: frozenset({Role.ADMIN, Role.DISPATCHER, Role.MERCHANT}),
    OrderAction.CANCEL: frozenset({Role.ADMIN, Role.DISPATCHER, Role.MERCHANT}),
}


def order_action(ctx: ServiceContext, *, principal: Principal, order_id: str, action: OrderAction,
                 reason: str | None = None, expected_version: int | None = None,
                 ready_in_minutes: int | None = None) -> Order:
    """Run a state action; a confirmation may carry the kitchen's estimate (`ready_in_minutes`)."""
    allowed = ACTION_ROLES.get(action)
    if allowed is None:
        raise ValidationFailed(f"{action.value} is done through the assignment endpoints", code="unsupported_action")
    principal.require_role(*allowed)
    if ready_in_minutes is not None and action is not OrderAction.CONFIRM:
        raise ValidationFailed("a preparation estimate goes with a confirmation (or on its own)",
                               code="invalid_ready_estimate")
    with _shop_order(ctx, principal, order_id, expected_version) as (uow, order, now):
        if action is OrderAction.CANCEL and order.status is OrderStatus.ASSIGNED:
            _withdraw_assignment(uow, order, now, reason or "order cancelled")
        order.perform(action, now, reason=reason)
        if action is OrderAction.CONFIRM:
            ensure_pin(order, ctx.new_pin)
            if ready_in_minutes is not None:
                order.expect_ready(now, timedelta(minutes=ready_in_minutes))
    return order


def expect_ready(ctx: ServiceContext, *, principal: Principal, order_id: str, ready_in_minutes: int,
                 expected_version: int | None = None) -> Order:
    """The shop says when an order will be ready (again, when the kitchen runs late): the dispatcher
    plans its pickup for then, and the customer's estimate follows."""
    principal.require_role(Role.ADMIN, Role.DISPATCHER, Role.MERCHANT)
    with _shop_order(ctx, principal, order_id, expected_version) as (_, order, now):
        order.expect_ready(now, timedelta(minutes=ready_in_minutes))
    return order


def hold_for_dispatcher(ctx: ServiceContext, *, principal: Principal, order_id: str, reason: str,
                        expected_version: int | None = None) -> Order:
    """A dispatcher keeps a waiting order out of the automatic dispatch, to assign it by hand."""
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    with _shop_order(ctx, principal, order_id, expected_version) as (_, order, now):
        order.hold(now, reason)
    return order


def release_to_dispatch(ctx: ServiceContext, *, principal: Principal, order_id: str,
                        expected_version: int | None = None) -> Order:
    """Back to the automatic dispatch (the engine may offer it at its next tick)."""
    principal.require_role(Role.ADMIN, Role.DISPATCHER)
    with _shop_order(ctx, principal, order_id, expected_version) as (_, order, now):
        order.release_hold(now)
    return order


@contextmanager
def _shop_order(ctx: ServiceContext, principal: Principal, order_id: str,
                expected_version: int | None) -> Iterator[tuple[SqlUnitOfWork, Order, datetime]]:
    """An order the principal's shop may change, at the version the client read (a stale one is a
    Conflict when saved), with the unit of work and the clock's reading; saved and committed after."""
    with ctx.uow() as uow:
        order = uow.orders.get(order_id)
        principal.require_merchant(order.merchant_id)
        if expected_version is not None:
            order.version = expected_version
        yield uow, order, ctx.clock.now()
        uow.orders.save(order)
        uow.commit()


#: The reason of a cancellation the customer asked for in the chat (which told them as it cancelled).
CANCELLED_BY_CUSTOMER = "cancelled by the customer in the chat"


def cancel_in(uow: SqlUnitOfWork, order_id: str, now: datetime, reason: str) -> Order:
    """Inside an open unit of work: cancel an order before pickup, freeing its courier if any."""
    order = uow.orders.get(order_id)
    if order.status is OrderStatus.ASSIGNED:
        _withdraw_assignment(uow, order, now, reason)
    order.cancel(now, reason)
    uow.orders.save(order)
    return order


def update_order(ctx: ServiceContext, *, principal: Principal, order_id: str, expected_version: int | None,
                 notes: str | None = None, dropoff: DropOff | None = None,
                 requested_for: datetime | None = None) -> Order:
    """Change what is not yet on the road: notes, drop-off, requested time (before pickup)."""
    principal.require_role(Role.ADMIN, Role.DISPATCHER, Role.MERCHANT)
    with _shop_order(ctx, principal, order_id, expected_version) as (uow, order, _):
        if order.status in (OrderStatus.PICKED_UP, OrderStatus.DELIVERED, OrderStatus.FAILED, OrderStatus.CANCELLED):
            raise ValidationFailed(f"an order that is {order.status.value} can no longer change",
                                   code="order_locked")
        if notes is not None:
            order.notes = notes
        if dropoff is not None:
            merchant = uow.merchants.get(order.merchant_id)
            if dropoff.location is not None and not merchant.delivers_to(dropoff.location):
                raise ValidationFailed(f"{merchant.name} does not deliver there", code="outside_delivery_zone")
            order.dropoff = dropoff
        if requested_for is not None:
            order.requested_for = requested_for
    return order


def _withdraw_assignment(uow: object, order: Order, now: datetime, reason: str) -> None:
    """Cancelling an assigned order takes it out of the courier's job (and frees the courier)."""
    from allo.services.assignments import withdraw_order_from_assignment

    withdraw_order_from_assignment(uow, order, now, reason)
