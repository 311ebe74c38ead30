"""Helpers shared by CLI commands: settings from the environment plus command-line overrides."""

from __future__ import annotations

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
