"""`allo mdrp …` (being written: see issue 3)."""

import typer

app = typer.Typer(no_args_is_help=True)
