"""Helpers shared by CLI commands: settings from the environment plus command-line overrides."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from allo.domain.errors import DomainError

from allo.settings import Settings

if TYPE_CHECKING:
    from allo.bootstrap import Application

console = Console(stderr=True)


def settings_with(data_dir: Path | None = None, database_url: str | None = None, **more: object) -> Settings:
    overrides: dict[str, object] = {k: v for k, v in more.items() if v is not None}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database_url is not None:
        overrides["database_url"] = database_url
    return Settings.from_env(**overrides)


@contextmanager
def application_on(data_dir: Path | None, database_url: str | None) -> Iterator["Application"]:
    """The application on the configured database (migrated), closed after; a domain error raised
    inside ends the command with its code and message, exit status 1."""
    from allo.bootstrap import build

    app = build(settings_with(data_dir, database_url), migrate_now=True)
    try:
        yield app
    except DomainError as exc:
        console.print(f"[red]error[/red] ({exc.code}): {exc.message}", soft_wrap=True)
        raise typer.Exit(1) from None
    finally:
        app.close()


def tell_dispatch(app: "Application") -> None:
    """Say what this process's dispatcher plans with, or that it does not dispatch."""
    if app.dispatcher is None or not app.settings.dispatch:
        console.print("dispatcher: off in this process (ALLO_DISPATCH=false)")
        return
    console.print(app.dispatcher.describe(), soft_wrap=True)  # one line, whatever the terminal


def settle_heap() -> None:
    """Before serving: move everything built so far (the gazetteer, the app, its parsers) out of the
    garbage collector's reach. These objects live as long as the process; left in the oldest
    generation, each full collection walked them all and paused every thread for 100–150 ms under
    load (benchmarks/messaging/PROTOCOL.md). Objects created later are collected as usual."""
    gc.collect()
    gc.freeze()
