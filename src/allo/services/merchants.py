"""Merchants and catalogs."""

from __future__ import annotations

from datetime import timedelta

from allo.domain.catalog import Catalog, CatalogItem
from allo.domain.errors import ValidationFailed
from allo.domain.events import Event
from allo.domain.geo import LatLon, Polygon
from allo.domain.merchant import Merchant, OpeningHours
from allo.domain.user import Role
from allo.services.context import ServiceContext
from allo.services.principal import Principal

#: The event recorded when a shop marks an item sold out or back in stock.
ITEM_AVAILABILITY = "merchant.item_availability"
#: The event recorded when a shop pauses new orders or takes them again.
ORDERS_PAUSED = "merchant.orders_paused"
#: How long a pause of new orders may last, in minutes.
PAUSE_MINUTES = (5, 720)


def create_merchant(ctx: ServiceContext, *, principal: Principal, name: str, address: str, pickup: LatLon,
                    delivery_zone: Polygon, opening_hours: OpeningHours | None = None, prep_minutes: int = 10,
                    currency: str = "EUR") -> Merchant:
    principal.require_role(Role.ADMIN)
    m = Merchant(ctx.new_id(), name, pickup, address, delivery_zone,
                 opening_hours or OpeningHours.always(), prep_minutes, currency)
    with ctx.uow() as uow:
        uow.merchants.add(m)
        uow.commit()
    return m


def update_merchant(ctx: ServiceContext, *, principal: Principal, merchant_id: str,
                    expected_version: int | None = None, **changes: object) -> Merchant:
    principal.require_merchant(merchant_id)
    with ctx.uow() as uow:
        m = uow.merchants.get(merchant_id)
        if expected_version is not None:
            m.version = expected_version
        for key, value in changes.items():
            if value is not None:
                setattr(m, key, value)
        m.__post_init__()
        uow.merchants.save(m)
        uow.commit()
    return m


def list_merchants(ctx: ServiceContext, *, principal: Principal) -> list[Merchant]:
    with ctx.uow() as uow:
        merchants = uow.merchants.list()
    if principal.role is Role.MERCHANT:
        return [m for m in merchants if m.id == principal.merchant_id]
    return merchants


def get_merchant(ctx: ServiceContext, *, principal: Principal, merchant_id: str) -> Merchant:
    if principal.role is Role.MERCHANT:
        principal.require_merchant(merchant_id)
    with ctx.uow() as uow:
        return uow.merchants.get(merchant_id)


def get_catalog(ctx: ServiceContext, *, merchant_id: str) -> Catalog:
    with ctx.uow() as uow:
        return uow.merchants.get_catalog(merchant_id)


def replace_catalog(ctx: ServiceContext, *, principal: Principal, merchant_id: str, catalog: Catalog) -> Catalog:
    principal.require_merchant(merchant_id)
    with ctx.uow() as uow:
        m = uow.merchants.get(merchant_id)
        if catalog.currency != m.currency:
            raise ValidationFailed(f"the shop sells in {m.currency}, not {catalog.currency}", code="currency_mismatch")
        uow.merchants.replace_catalog(merchant_id, catalog)
        uow.commit()
    return catalog


def set_item_available(ctx: ServiceContext, *, principal: Principal, merchant_id: str, sku: str,
                       available: bool) -> CatalogItem:
    """Mark one item sold out (`available` false) or back in stock. The chat says a sold-out item is
    out of stock and offers others of its kind; an order cannot include it (`item_unavailable`)."""
    principal.require_merchant(merchant_id)
    with ctx.uow() as uow:
        item = uow.merchants.set_item_available(merchant_id, sku, available)
        uow.journal.append_events([Event(ITEM_AVAILABILITY, merchant_id, ctx.clock.now(), {
            "sku": sku, "available": available, "by": principal.username})])  # who ran it out, and when
        uow.commit()
    return item


def pause_orders(ctx: ServiceContext, *, principal: Principal, merchant_id: str,
                 minutes: int | None) -> Merchant:
    """Stop taking new orders by message for `minutes` (a kitchen overwhelmed: the chat says when
    orders resume and takes orders for later), or take them again at once (`minutes` None). Orders
    already placed go on as before."""
    if minutes is not None and not PAUSE_MINUTES[0] <= minutes <= PAUSE_MINUTES[1]:
        raise ValidationFailed(f"a pause lasts {PAUSE_MINUTES[0]} to {PAUSE_MINUTES[1]} minutes", code="invalid_pause")
    principal.require_merchant(merchant_id)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        m = uow.merchants.get(merchant_id)
        m.paused_until = None if minutes is None else now + timedelta(minutes=minutes)
        uow.merchants.save(m)
        uow.journal.append_events([Event(ORDERS_PAUSED, merchant_id, now, {
            "until": m.paused_until.isoformat() if m.paused_until else None, "by": principal.username})])
        uow.commit()
    return m
