"""MDRP instance folders: restaurants, orders, couriers and parameters (tab-separated, with headers)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from allo.domain.geo import Point


@dataclass(frozen=True, slots=True)
class Restaurant:
    id: str
    position: Point


@dataclass(frozen=True, slots=True)
class Order:
    id: str
    position: Point
    placed_at: int
    restaurant_id: str
    ready_at: int


@dataclass(frozen=True, slots=True)
class Courier:
    id: str
    position: Point
    on_time: int
    off_time: int


@dataclass(frozen=True, slots=True)
class InstanceParameters:
    meters_per_minute: float = 320.0
    pickup_service: int = 4
    dropoff_service: int = 4
    target_click_to_door: int = 40
    max_click_to_door: int = 90
    pay_per_order: float = 10.0
    guaranteed_pay_per_hour: float = 15.0


@dataclass(frozen=True)
class Instance:
    name: str
    restaurants: dict[str, Restaurant]
    orders: dict[str, Order]
    couriers: dict[str, Courier]
    params: InstanceParameters

    def restaurant_of(self, order_id: str) -> Restaurant:
        return self.restaurants[self.orders[order_id].restaurant_id]


def _rows(path: Path) -> list[list[str]]:
    lines = [ln.split() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines[1:]


def _num(s: str) -> int:
    return int(round(float(s)))


def read_parameters(path: Path) -> InstanceParameters:
    header, values = path.read_text(encoding="utf-8").splitlines()[:2]
    v = [float(x) for x in values.split("\t") if x.strip()]
    return InstanceParameters(
        meters_per_minute=v[0], pickup_service=int(v[1]), dropoff_service=int(v[2]),
        target_click_to_door=int(v[3]), max_click_to_door=int(v[4]),
        pay_per_order=v[5], guaranteed_pay_per_hour=v[6],
    )


def read_instance(folder: Path | str) -> Instance:
    """Read an instance folder; raises FileNotFoundError when a file is missing."""
    folder = Path(folder)
    restaurants = {r[0]: Restaurant(r[0], Point(float(r[1]), float(r[2]))) for r in _rows(folder / "restaurants.txt")}
    orders = {
        r[0]: Order(r[0], Point(float(r[1]), float(r[2])), _num(r[3]), r[4], _num(r[5]))
        for r in _rows(folder / "orders.txt")
    }
    couriers = {
        r[0]: Courier(r[0], Point(float(r[1]), float(r[2])), _num(r[3]), _num(r[4]))
        for r in _rows(folder / "couriers.txt")
    }
    params = read_parameters(folder / "instance_parameters.txt")
    return Instance(folder.name, restaurants, orders, couriers, params)


def write_instance(instance: Instance, folder: Path | str) -> None:
    """Write an instance folder in the MDRP format (for synthetic instances)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    p = instance.params
    (folder / "restaurants.txt").write_text(
        "restaurant\tx\ty\n" + "".join(f"{r.id}\t{r.position.x:g}\t{r.position.y:g}\n" for r in instance.restaurants.values())
    )
    (folder / "orders.txt").write_text(
        "order\tx\ty\tplacement_time\trestaurant\tready_time\n"
        + "".join(
            f"{o.id}\t{o.position.x:g}\t{o.position.y:g}\t{o.placed_at}\t{o.restaurant_id}\t{o.ready_at}\n"
            for o in instance.orders.values()
        )
    )
    (folder / "couriers.txt").write_text(
        "courier\tx\ty\ton_time\toff_time\n"
        + "".join(f"{c.id}\t{c.position.x:g}\t{c.position.y:g}\t{c.on_time}\t{c.off_time}\n" for c in instance.couriers.values())
    )
    (folder / "instance_parameters.txt").write_text(
        "meters_per_minute\tpickup service minutes\tdropoff service minutes\ttarget click-to-door\t"
        "maximum click-to-door\tpay per order\tguaranteed pay per hour\n"
        f"{p.meters_per_minute:g}\t{p.pickup_service}\t{p.dropoff_service}\t{p.target_click_to_door}\t"
        f"{p.max_click_to_door}\t{p.pay_per_order:g}\t{p.guaranteed_pay_per_hour:g}\n"
    )
