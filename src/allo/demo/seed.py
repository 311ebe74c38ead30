"""Demo data for the demo city, Monaco: three shops with their catalogs, couriers, logins."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from allo.domain.courier import Vehicle
from allo.domain.geo import LatLon, Polygon
from allo.domain.user import Role
from allo.services import accounts, couriers, merchants
from allo.services.context import ServiceContext
from allo.services.principal import SYSTEM

MONACO_CENTRE = LatLon(43.7384, 7.4246)
#: Monaco and its immediate neighbours (Beausoleil, Cap-d'Ail), about 2.5 km around the centre.
DELIVERY_RADIUS_M = 2500


@dataclass(frozen=True)
class DemoShop:
    key: str
    name: str
    address: str
    pickup: LatLon
    prep_minutes: int
    catalog_file: str


SHOPS = (
    DemoShop("pharmacie", "Pharmacie des Moulins", "27 boulevard des Moulins, 98000 Monaco",
             LatLon(43.74105, 7.42862), 5, "pharmacie.yaml"),
    DemoShop("pizzeria", "Pizzeria du Port", "4 quai Antoine Ier, 98000 Monaco",
             LatLon(43.73391, 7.42218), 15, "pizzeria.yaml"),
    DemoShop("epicerie", "Épicerie de la Condamine", "12 rue Grimaldi, 98000 Monaco",
             LatLon(43.73402, 7.41987), 8, "epicerie.yaml"),
)

COURIERS = (
    ("Lucas", Vehicle.SCOOTER), ("Inès", Vehicle.BIKE), ("Marco", Vehicle.SCOOTER),
    ("Chloé", Vehicle.FOOT), ("Yanis", Vehicle.BIKE),
)


def load_demo_catalog(filename: str):  # type: ignore[no-untyped-def]
    """A shipped demo catalog (YAML in allo/demo/catalogs)."""
    import yaml

    from allo.adapters.catalog_file import catalog_from_dict

    text = resources.files("allo.demo").joinpath("catalogs", filename).read_text(encoding="utf-8")
    return catalog_from_dict(yaml.safe_load(text), where=filename)


def seed_demo(ctx: ServiceContext, *, password: str) -> list[tuple[str, str]]:
    """Create the demo shops, catalogs, couriers and one login per role; return (username, role)."""
    zone = Polygon.circle(MONACO_CENTRE, DELIVERY_RADIUS_M)
    logins: list[tuple[str, str]] = []
    accounts.create_user(ctx, username="admin", password=password, role=Role.ADMIN)
    accounts.create_user(ctx, username="dispatch", password=password, role=Role.DISPATCHER)
    logins += [("admin", "admin"), ("dispatch", "dispatcher")]
    for shop in SHOPS:
        m = merchants.create_merchant(ctx, principal=SYSTEM, name=shop.name, address=shop.address,
                                      pickup=shop.pickup, delivery_zone=zone, prep_minutes=shop.prep_minutes)
        merchants.replace_catalog(ctx, principal=SYSTEM, merchant_id=m.id, catalog=load_demo_catalog(shop.catalog_file))
        accounts.create_user(ctx, username=shop.key, password=password, role=Role.MERCHANT, merchant_id=m.id)
        logins.append((shop.key, f"merchant: {shop.name}"))
    for i, (name, vehicle) in enumerate(COURIERS, start=1):
        c = couriers.create_courier(ctx, principal=SYSTEM, name=name, vehicle=vehicle)
        username = f"courier{i}"
        accounts.create_user(ctx, username=username, password=password, role=Role.COURIER, courier_id=c.id)
        if i == 1:
            logins.append((username, f"courier: {name}"))
    return logins
