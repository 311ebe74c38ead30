"""MDRP instance folders: restaurants, orders, couriers and parameters (tab-separated, with headers)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from allo.domain.geo import Point
from allo.simulation.text_tables import FileFormatError, data_lines, number, read_text


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


ORDER_COLUMNS = ("order", "x", "y", "placement_time", "restaurant", "ready_time")
COURIER_COLUMNS = ("courier", "x", "y", "on_time", "off_time")
RESTAURANT_COLUMNS = ("restaurant", "x", "y")
PARAMETER_NAMES = ("meters_per_minute", "pickup service minutes", "dropoff service minutes", "target click-to-door",
                   "maximum click-to-door", "pay per order", "guaranteed pay per hour")
_FOLDER = "an instance folder holds restaurants.txt, orders.txt, couriers.txt and instance_parameters.txt"


def _minute(path: Path, line: int, column: str, text: str) -> int:
    """Times are whole minutes in the library; any fraction is rounded to the nearest minute."""
    return int(round(number(path, line, column, text)))


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """Data lines with exactly the table's columns and unique ids: a short or long line, or an id
    given twice, would otherwise lose or mix up data silently."""
    return data_lines(path, columns, unique_ids=True, missing_hint=_FOLDER)


def read_parameters(path: Path) -> InstanceParameters:
    """The header line, then one line of seven numbers (see `PARAMETER_NAMES`)."""
    lines = [(no, ln) for no, ln in enumerate(read_text(path, _FOLDER).splitlines(), start=1) if ln.strip()]
    if len(lines) < 2:
        raise FileFormatError(f"{path.name}: expected a header line and a line of {len(PARAMETER_NAMES)} values")
    no, fields = lines[1][0], lines[1][1].split()
    at = f"{path.name} line {no}"
    if len(fields) != len(PARAMETER_NAMES):
        raise FileFormatError(
            f"{at}: expected {len(PARAMETER_NAMES)} values ({', '.join(PARAMETER_NAMES)}), got {len(fields)}")
    v = [number(path, no, name, text) for name, text in zip(PARAMETER_NAMES, fields)]
    speed, pickup, dropoff, target, maximum = v[:5]
    if speed <= 0:
        raise FileFormatError(f"{at}: meters_per_minute must be positive, got {fields[0]}")
    for name, value, text in ((PARAMETER_NAMES[1], pickup, fields[1]), (PARAMETER_NAMES[2], dropoff, fields[2])):
        if value < 0 or value != int(value):
            raise FileFormatError(f"{at}: {name} must be a whole number of minutes >= 0, got {text}")
    if not 0 < target <= maximum:
        raise FileFormatError(
            f"{at}: expected 0 < target click-to-door <= maximum click-to-door, got {fields[3]} and {fields[4]}")
    return InstanceParameters(
        meters_per_minute=speed, pickup_service=int(pickup), dropoff_service=int(dropoff),
        target_click_to_door=int(round(target)), max_click_to_door=int(round(maximum)),
        pay_per_order=v[5], guaranteed_pay_per_hour=v[6],
    )


def read_instance(folder: Path | str) -> Instance:
    """Read an instance folder; raises `FileFormatError` (naming the file and line) when a file is
    missing or malformed, an id is repeated, an order names an unknown restaurant or a shift ends
    before it starts."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileFormatError(f"{folder}: not a folder")
    path = folder / "restaurants.txt"
    restaurants = {
        r[0]: Restaurant(r[0], Point(number(path, no, "x", r[1]), number(path, no, "y", r[2])))
        for no, r in _rows(path, RESTAURANT_COLUMNS)
    }
    path = folder / "orders.txt"
    orders: dict[str, Order] = {}
    for no, r in _rows(path, ORDER_COLUMNS):
        if r[4] not in restaurants:
            raise FileFormatError(f"{path.name} line {no}: order {r[0]!r} names restaurant {r[4]!r}, "
                                  "which restaurants.txt does not list")
        orders[r[0]] = Order(r[0], Point(number(path, no, "x", r[1]), number(path, no, "y", r[2])),
                             _minute(path, no, "placement_time", r[3]), r[4], _minute(path, no, "ready_time", r[5]))
    path = folder / "couriers.txt"
    couriers: dict[str, Courier] = {}
    for no, r in _rows(path, COURIER_COLUMNS):
        on, off = _minute(path, no, "on_time", r[3]), _minute(path, no, "off_time", r[4])
        if off < on:
            raise FileFormatError(f"{path.name} line {no}: courier {r[0]!r} goes off ({off}) before it comes on ({on})")
        couriers[r[0]] = Courier(r[0], Point(number(path, no, "x", r[1]), number(path, no, "y", r[2])), on, off)
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
