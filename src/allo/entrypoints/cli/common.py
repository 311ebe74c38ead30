"""Helpers shared by CLI commands: settings from the environment plus command-line overrides."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

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
