"""`allo shop create`, `allo shop catalog` and `allo shop list`: setting up a shop from the command
line, its catalog from a YAML file (docs/catalog-format.md)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from allo.domain.errors import DomainError
from allo.domain.merchant import WEEKDAYS
from allo.entrypoints.cli.admin import DATA_DIR, DB_URL
from allo.entrypoints.cli.common import application_on, console

if TYPE_CHECKING:
    from allo.bootstrap import Application
    from allo.domain.geo import LatLon
    from allo.domain.merchant import OpeningHours

app = typer.Typer(no_args_is_help=True, help="Shops: create one, load its catalog, list them.")

ALL_WEEK = {day: [["00:00", "23:59:59"]] for day in WEEKDAYS}  # no --hours: open day and night
_INTERVAL = re.compile(r"^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$")


class HoursError(ValueError):
    """An opening-hours text that cannot be read; the message says which part."""


def parse_hours(text: str) -> dict[str, list[list[str]]]:
    """"mon-fri=09:00-12:30,14:00-19:30 sat=09:00-12:30" -> {"mon": [["09:00", "12:30"], …], …}: groups
    of days (one, a range "mon-fri" or a list "mon,wed"), each with its intervals; days left out are
    closed. An interval may run past midnight ("18:30-01:00")."""
    out: dict[str, list[list[str]]] = {}
    for group in text.split():
        days_text, sep, intervals_text = group.partition("=")
        if not sep or not intervals_text:
            raise HoursError(f"'{group}': write days=HH:MM-HH:MM, e.g. mon-fri=09:00-19:30")
        intervals = []
        for part in intervals_text.split(","):
            m = _INTERVAL.match(part)
            if m is None:
                raise HoursError(f"'{part}' is not an interval HH:MM-HH:MM")
            intervals.append([m.group(1).zfill(5), m.group(2).zfill(5)])
        for day in _days(days_text):
            out.setdefault(day, []).extend(intervals)
    if not out:
        raise HoursError("no opening hours given")
    return out


def _days(text: str) -> list[str]:
    days: list[str] = []
    for part in text.lower().split(","):
        first, _, last = part.partition("-")
        for day in (first, last or first):
            if day not in WEEKDAYS:
                raise HoursError(f"'{day}' is not a day ({', '.join(WEEKDAYS)})")
        a, b = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        days.extend(WEEKDAYS[(a + k) % 7] for k in range((b - a) % 7 + 1))
    return days


def _lat_lon(text: str) -> tuple[float, float]:
    try:
        lat, lon = (float(v) for v in text.split(","))
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not LAT,LON (e.g. 43.7384,7.4246)") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise typer.BadParameter(f"'{text}' is not on Earth")
    return lat, lon


def _opening(hours: str | None, timezone: str, keep: "OpeningHours | None" = None) -> "OpeningHours":
    """The opening hours `hours` ("mon-fri=09:00-19:30 …") in `timezone`; absent, those kept (`keep`)
    or all week. A bad value stops the command (exit 2) before anything is opened."""
    from allo.domain.merchant import OpeningHours

    try:
        week = parse_hours(hours) if hours is not None else (keep.to_dict() if keep is not None else ALL_WEEK)
        return OpeningHours.from_dict(week, timezone)
    except HoursError as exc:
        raise typer.BadParameter(f"--hours: {exc}") from None
    except DomainError as exc:  # an unknown time zone, an empty interval, a clock time such as 25:00
        raise typer.BadParameter(exc.message) from None


def _locate(application: "Application", address: str) -> "LatLon":
    """The shop's position from its address, when the geocoder places it at the door; else the
    command stops (exit 2) asking for --at."""
    from allo.services.ports.geocoder import GeocodeQuery, GeocoderUnavailable

    try:
        found = application.geocoder.geocode(GeocodeQuery(text=address)) if application.geocoder else []
    except GeocoderUnavailable as exc:
        raise typer.BadParameter(f"--address: the geocoder cannot be reached ({exc}); give --at LAT,LON") from None
    best = found[0] if found else None
    if best is None or best.precision == "street" or best.score < 0.8:  # as the chat reads a customer's
        guess = f" (best guess: {best.label}, {best.position.lat:.5f},{best.position.lon:.5f})" if best else ""
        raise typer.BadParameter(f"--address: '{address}' is not placed at the door{guess}; give --at LAT,LON")
    console.print(f"placed at {best.label}: {best.position.lat:.5f},{best.position.lon:.5f}", soft_wrap=True)
    return best.position


@app.command("create")
def create(
    name: str = typer.Argument(..., help="The shop's name, as customers know it."),
    address: str = typer.Option(..., "--address", help="Where couriers pick up, as written on the courier card."),
    at: str | None = typer.Option(None, "--at", help="Pickup position LAT,LON (e.g. 43.7384,7.4246); "
                                  "found from --address by the geocoder (ALLO_GEOCODER) when absent."),
    radius: float = typer.Option(3000, "--radius", min=100, max=50_000,
                                 help="Delivery zone: a circle of this many metres around the shop."),
    catalog: Path | None = typer.Option(None, "--catalog", help="Catalog YAML file (docs/catalog-format.md)."),
    hours: str | None = typer.Option(None, "--hours",
                                     help='Opening hours, e.g. "mon-fri=09:00-19:30 sat=09:00-12:30" '
                                          "(days left out are closed; open all week when absent)."),
    timezone: str = typer.Option("Europe/Monaco", "--timezone", help="The shop's IANA time zone."),
    prep_minutes: int = typer.Option(10, "--prep-minutes", min=0, max=240,
                                     help="Usual minutes from order to ready."),
    data_dir: Path | None = DATA_DIR,
    database_url: str | None = DB_URL,
) -> None:
    """Create a shop, with its catalog when one is given; prints its id."""
    from allo.adapters.catalog_file import load_catalog
    from allo.domain.geo import LatLon, Polygon
    from allo.services import merchants
    from allo.services.principal import SYSTEM

    pickup = LatLon(*_lat_lon(at)) if at is not None else None
    opening = _opening(hours, timezone)
    try:
        items = load_catalog(catalog) if catalog is not None else None
    except DomainError as exc:  # a catalog file that cannot be read
        raise typer.BadParameter(exc.message) from None
    with application_on(data_dir, database_url) as application:
        ctx = application.ctx
        if pickup is None:
            pickup = _locate(application, address)
        shop = merchants.create_merchant(ctx, principal=SYSTEM, name=name, address=address, pickup=pickup,
                                         delivery_zone=Polygon.circle(pickup, radius), opening_hours=opening,
                                         prep_minutes=prep_minutes, currency=items.currency if items else "EUR")
        if items is not None:
            merchants.replace_catalog(ctx, principal=SYSTEM, merchant_id=shop.id, catalog=items)
    console.print(f"created shop {shop.name} ({shop.id})" + (f", {len(items.items)} items" if items else ""),
                  soft_wrap=True)
    typer.echo(shop.id)


@app.command("update")
def update(
    shop_id: str = typer.Argument(..., help="The shop's id (allo shop list)."),
    name: str | None = typer.Option(None, "--name", help="A new name."),
    address: str | None = typer.Option(None, "--address", help="A new pickup address text."),
    hours: str | None = typer.Option(None, "--hours", help='New opening hours, e.g. "mon-sat=09:00-19:30".'),
    timezone: str | None = typer.Option(None, "--timezone", help="A new IANA time zone for the hours."),
    prep_minutes: int | None = typer.Option(None, "--prep-minutes", min=0, max=240, help="Usual minutes to ready."),
    active: bool | None = typer.Option(None, "--active/--inactive",
                                       help="Take orders, or stop for good (a pause is the console's)."),
    data_dir: Path | None = DATA_DIR,
    database_url: str | None = DB_URL,
) -> None:
    """Change a shop: what is given changes, the rest stays."""
    from allo.services import merchants
    from allo.services.principal import SYSTEM

    if hours is not None or timezone is not None:
        _opening(hours, timezone or "UTC")  # checked before the database is opened
    with application_on(data_dir, database_url) as application:
        ctx = application.ctx
        current = merchants.get_merchant(ctx, principal=SYSTEM, merchant_id=shop_id)
        opening = None
        if hours is not None or timezone is not None:
            opening = _opening(hours, timezone or current.opening_hours.timezone, keep=current.opening_hours)
        shop = merchants.update_merchant(ctx, principal=SYSTEM, merchant_id=shop_id, name=name, address=address,
                                         prep_minutes=prep_minutes, active=active, opening_hours=opening)
    console.print(f"updated shop {shop.name} ({shop.id})", soft_wrap=True)


@app.command("catalog")
def load(
    shop_id: str = typer.Argument(..., help="The shop's id (allo shop list)."),
    catalog: Path = typer.Argument(..., help="Catalog YAML file (docs/catalog-format.md)."),
    data_dir: Path | None = DATA_DIR,
    database_url: str | None = DB_URL,
) -> None:
    """Replace a shop's catalog with the items of a YAML file (the chat uses it within 30 s)."""
    from allo.adapters.catalog_file import CatalogFileError, load_catalog
    from allo.services import merchants
    from allo.services.principal import SYSTEM

    try:
        items = load_catalog(catalog)
    except CatalogFileError as exc:
        raise typer.BadParameter(exc.message) from None
    with application_on(data_dir, database_url) as application:
        merchants.replace_catalog(application.ctx, principal=SYSTEM, merchant_id=shop_id, catalog=items)
    sold_out = sum(not i.available for i in items.items)
    console.print(f"catalog of {shop_id}: {len(items.items)} items" + (f", {sold_out} sold out" if sold_out else ""),
                  soft_wrap=True)


@app.command("list")
def list_shops(data_dir: Path | None = DATA_DIR, database_url: str | None = DB_URL) -> None:
    """The shops: id, name, whether they take orders, items in stock / in the catalog."""
    from allo.services import merchants
    from allo.services.principal import SYSTEM

    with application_on(data_dir, database_url) as application:
        ctx = application.ctx
        for shop in merchants.list_merchants(ctx, principal=SYSTEM):
            items = merchants.get_catalog(ctx, merchant_id=shop.id).items
            state = "active" if shop.active else "inactive"
            typer.echo(f"{shop.id}\t{shop.name}\t{state}\t{sum(i.available for i in items)}/{len(items)} items")
