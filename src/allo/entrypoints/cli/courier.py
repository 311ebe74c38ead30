"""`allo courier create` and `allo courier list`: the couriers of a city, from the command line."""

from __future__ import annotations

from pathlib import Path

import typer

from allo.domain.courier import Vehicle
from allo.entrypoints.cli.admin import DATA_DIR, DB_URL
from allo.entrypoints.cli.common import application_on, console

app = typer.Typer(no_args_is_help=True, help="Couriers: add one, list them.")


@app.command("create")
def create(
    name: str = typer.Argument(..., help="The courier's name, as dispatchers and shops see it."),
    vehicle: Vehicle = typer.Option(Vehicle.BIKE, "--vehicle", help="foot, bike, scooter or car."),
    data_dir: Path | None = DATA_DIR,
    database_url: str | None = DB_URL,
) -> None:
    """Add a courier (off shift); prints its id, for `allo user create NAME --role courier --courier ID`."""
    from allo.services import couriers
    from allo.services.principal import SYSTEM

    with application_on(data_dir, database_url) as application:
        courier = couriers.create_courier(application.ctx, principal=SYSTEM, name=name, vehicle=vehicle)
    console.print(f"created courier {courier.name} on {courier.vehicle.value} ({courier.id})", soft_wrap=True)
    typer.echo(courier.id)


@app.command("list")
def list_couriers(data_dir: Path | None = DATA_DIR, database_url: str | None = DB_URL) -> None:
    """The couriers: id, name, vehicle, status, whether they are active."""
    from allo.services import couriers
    from allo.services.principal import SYSTEM

    with application_on(data_dir, database_url) as application:
        for c in couriers.list_couriers(application.ctx, principal=SYSTEM):
            typer.echo(f"{c.id}\t{c.name}\t{c.vehicle.value}\t{c.status.value}\t{'active' if c.active else 'inactive'}")
