"""The `allo` command line. Sub-commands live in their own modules; this one only assembles them."""

from __future__ import annotations

import typer

from allo import __version__
from allo.settings import SettingsError
from allo.entrypoints.cli import admin, courier, demo, mdrp, parse, server, shop

app = typer.Typer(
    name="allo",
    help="Allo: message-to-doorstep local delivery.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("serve")(server.serve)
app.command("demo")(demo.demo)
app.command("worker")(server.worker)
app.add_typer(admin.db_app, name="db")
app.add_typer(admin.user_app, name="user")
app.add_typer(shop.app, name="shop")
app.add_typer(courier.app, name="courier")
app.add_typer(mdrp.app, name="mdrp", help="Meal Delivery Routing Problem: solve and benchmark instances.")
app.command("parse", help="Parse order messages (one per line on stdin) into JSON lines.")(parse.parse_command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"allo {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Allo: message-to-doorstep local delivery."""


def run() -> None:
    """The console script: a setting that cannot be used is one line on stderr and exit status 2."""
    try:
        app()
    except SettingsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    run()
