"""`allo parse` (being written: see issue 4)."""

from pathlib import Path

import typer


def parse_command(catalog: Path = typer.Option(..., "--catalog")) -> None:
    raise typer.Exit(2)
