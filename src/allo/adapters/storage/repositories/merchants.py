"""Merchants and their catalogs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select, update

from allo.adapters.storage.repositories.base import SqlRepository
from allo.adapters.storage.tables import catalog_items, merchants
from allo.domain.catalog import Catalog, CatalogItem, OptionChoice, OptionGroup
from allo.domain.errors import NotFound
from allo.domain.geo import LatLon, Polygon
from allo.domain.merchant import Merchant, OpeningHours
from allo.domain.money import Money


class SqlMerchantRepository(SqlRepository):
    kind = "merchant"

    def add(self, m: Merchant) -> None:
        self.conn.execute(insert(merchants).values(id=m.id, version=1, **self._row(m)))
        m.version = 1

    def get(self, merchant_id: str) -> Merchant:
        row = self.conn.execute(select(merchants).where(merchants.c.id == merchant_id)).mappings().first()
        if row is None:
            raise NotFound(f"no merchant {merchant_id}", code="merchant_not_found")
        return self._from_row(row)

    def list(self) -> list[Merchant]:
        rows = self.conn.execute(select(merchants).order_by(merchants.c.name, merchants.c.id)).mappings()
        return [self._from_row(r) for r in rows]

    def save(self, m: Merchant) -> None:
        m.version = self._update_versioned(merchants, m.id, m.version, self._row(m))

    # catalog --------------------------------------------------------------------------------
    def get_catalog(self, merchant_id: str) -> Catalog:
        m = self.get(merchant_id)
        q = select(catalog_items).where(catalog_items.c.merchant_id == merchant_id).order_by(catalog_items.c.position)
        items = tuple(_item_from_row(r, m.currency) for r in self.conn.execute(q).mappings())
        return Catalog(merchant=m.name, currency=m.currency, items=items)

    def replace_catalog(self, merchant_id: str, catalog: Catalog) -> None:
        self.get(merchant_id)
        self.conn.execute(delete(catalog_items).where(catalog_items.c.merchant_id == merchant_id))
        if catalog.items:
            self.conn.execute(insert(catalog_items), [
                _item_row(merchant_id, pos, item) for pos, item in enumerate(catalog.items)
            ])

    def set_item_available(self, merchant_id: str, sku: str, available: bool) -> CatalogItem:
        """Mark one item of the shop's catalog in stock or sold out; the item as it now is."""
        shop = self.get(merchant_id)  # no such shop: merchant_not_found
        where = (catalog_items.c.merchant_id == merchant_id) & (catalog_items.c.sku == sku)
        if self.conn.execute(update(catalog_items).where(where).values(available=available)).rowcount == 0:
            raise NotFound(f"no item {sku} in this shop's catalog", code="item_not_found")
        row = self.conn.execute(select(catalog_items).where(where)).mappings().one()
        return _item_from_row(row, shop.currency)

    # mapping --------------------------------------------------------------------------------
    def _row(self, m: Merchant) -> dict[str, Any]:
        return {
            "name": m.name, "address": m.address, "pickup_lat": m.pickup.lat, "pickup_lon": m.pickup.lon,
            "delivery_zone": [[v.lat, v.lon] for v in m.delivery_zone.vertices],
            "opening_hours": m.opening_hours.to_dict(), "timezone": m.opening_hours.timezone,
            "prep_minutes": m.prep_minutes, "currency": m.currency, "active": m.active,
            "paused_until": m.paused_until,
        }

    def _from_row(self, r: Any) -> Merchant:
        return Merchant(
            id=r["id"], name=r["name"], pickup=LatLon(r["pickup_lat"], r["pickup_lon"]), address=r["address"],
            delivery_zone=Polygon(tuple(LatLon(a, b) for a, b in r["delivery_zone"])),
            opening_hours=OpeningHours.from_dict(r["opening_hours"], r["timezone"]),
            prep_minutes=r["prep_minutes"], currency=r["currency"], active=r["active"], version=r["version"],
            paused_until=r["paused_until"],
        )


def _item_row(merchant_id: str, pos: int, item: CatalogItem) -> dict[str, Any]:
    return {
        "merchant_id": merchant_id, "sku": item.sku, "position": pos, "name": item.name,
        "aliases": list(item.aliases), "price_cents": item.price.cents, "available": item.available,
        "options": [
            {"group": g.group, "min": g.min, "max": g.max,
             "choices": [{"name": c.name, "aliases": list(c.aliases), "price_delta_cents": c.price_delta.cents}
                         for c in g.choices]}
            for g in item.options
        ],
    }


def _item_from_row(r: Any, currency: str) -> CatalogItem:
    groups = tuple(
        OptionGroup(
            group=g["group"], min=g["min"], max=g["max"],
            choices=tuple(OptionChoice(c["name"], tuple(c["aliases"]), Money(c["price_delta_cents"], currency))
                          for c in g["choices"]),
        )
        for g in r["options"]
    )
    return CatalogItem(sku=r["sku"], name=r["name"], price=Money(r["price_cents"], currency),
                       aliases=tuple(r["aliases"]), options=groups, available=r["available"])
