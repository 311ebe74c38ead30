"""Merchants and catalogs."""

from __future__ import annotations

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
