"""Helpers shared by CLI commands: settings from the environment plus command-line overrides."""

from __future__ import annotations

import gc
from pathlib import Path

from rich.console import Console

from allo.settings import Settings

console = Console(stderr=True)


def settings_with(data_dir: Path | None = None, database_url: str | None = None, **more: object) -> Settings:
    overrides: dict[str, object] = {k: v for k, v in more.items() if v is not None}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database_url is not None:
        overrides["database_url"] = database_url
    return Settings.from_env(**overrides)


def settle_heap() -> None:
    """Before serving: move everything built so far (the gazetteer, the app, its parsers) out of the
    garbage collector's reach. These objects live as long as the process; left in the oldest
    generation, each full collection walked them all and paused every thread for 100–150 ms under
    load (benchmarks/messaging/PROTOCOL.md). Objects created later are collected as usual."""
    gc.collect()
    gc.freeze()
