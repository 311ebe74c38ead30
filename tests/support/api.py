"""Driving the HTTP API in tests: logins per role and a little sample data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from allo.bootstrap import Application
from allo.domain.catalog import Catalog, CatalogItem, OptionChoice, OptionGroup
from allo.domain.courier import Vehicle
from allo.domain.geo import LatLon, Polygon
from allo.domain.money import Money
from allo.domain.user import Role
from allo.services import accounts, couriers, merchants
from allo.services.principal import SYSTEM

PASSWORD = "correct horse battery"
SHOP_POSITION = LatLon(43.7384, 7.4246)
INSIDE = {"lat": 43.7395, "lon": 7.4270}
OUTSIDE = {"lat": 43.6961, "lon": 7.2556}  # Nice airport


def sample_catalog(name: str) -> Catalog:
    size = OptionGroup("size", (OptionChoice("medium"), OptionChoice("large", ("grande",), Money(300))), 1, 1)
    return Catalog(name, "EUR", (
        CatalogItem("margherita", "Pizza margherita", Money(900), ("margarita",), (size,)),
        CatalogItem("coke", "Coca-Cola 33 cl", Money(250), ("coca", "coke")),
    ))


@dataclass
class World:
    """Two shops, two couriers, and a logged-in client per role."""

    app: Application
    client: TestClient
    merchant_id: str = ""
    other_merchant_id: str = ""
    courier_id: str = ""
    other_courier_id: str = ""
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, who: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}

    def call(self, who: str | None, method: str, path: str, **kw: Any):  # type: ignore[no-untyped-def]
        return self.client.request(method, path, headers={**self.headers(who), **kw.pop("headers", {})}, **kw)

    def new_order(self, who: str = "admin", merchant_id: str | None = None, **overrides: Any) -> dict[str, Any]:
        body = {
            "merchant_id": merchant_id or self.merchant_id,
            "lines": [{"sku": "margherita", "qty": 2, "options": {"size": ["large"]}}, {"sku": "coke"}],
            "dropoff": {"address": "14 boulevard des Moulins, 98000 Monaco", "location": INSIDE,
                        "door_code": "4521B", "recipient_name": "Marie Dupont"},
            "customer": {"phone": "+33 6 12 34 56 42", "name": "Marie Dupont"},
            "confirm": True,
        }
        body.update(overrides)
        r = self.call(who, "POST", "/api/orders", json=body)
        assert r.status_code == 201, r.text
        return r.json()


def build_world(app: Application, client: TestClient) -> World:
    w = World(app, client)
    ctx = app.ctx
    zone = Polygon.circle(SHOP_POSITION, 3000)
    for attr, name in (("merchant_id", "Pizzeria Test"), ("other_merchant_id", "Other Shop")):
        m = merchants.create_merchant(ctx, principal=SYSTEM, name=name, address="1 quai Albert Ier",
                                      pickup=SHOP_POSITION, delivery_zone=zone)
        merchants.replace_catalog(ctx, principal=SYSTEM, merchant_id=m.id, catalog=sample_catalog(name))
        setattr(w, attr, m.id)
    w.courier_id = couriers.create_courier(ctx, principal=SYSTEM, name="Lucas", vehicle=Vehicle.BIKE).id
    w.other_courier_id = couriers.create_courier(ctx, principal=SYSTEM, name="Inès", vehicle=Vehicle.FOOT).id
    people = {
        "admin": dict(role=Role.ADMIN), "dispatcher": dict(role=Role.DISPATCHER),
        "merchant": dict(role=Role.MERCHANT, merchant_id=w.merchant_id),
        "other_merchant": dict(role=Role.MERCHANT, merchant_id=w.other_merchant_id),
        "courier": dict(role=Role.COURIER, courier_id=w.courier_id),
        "other_courier": dict(role=Role.COURIER, courier_id=w.other_courier_id),
    }
    for username, kw in people.items():
        accounts.create_user(ctx, username=username.replace("_", "-"), password=PASSWORD, **kw)  # type: ignore[arg-type]
        r = client.post("/api/auth/token", json={"username": username.replace("_", "-"), "password": PASSWORD})
        assert r.status_code == 200, r.text
        w.tokens[username] = r.json()["access_token"]
    return w
