"""`allo parse`: read order messages on stdin (one per line), write one JSON object per line."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path

import typer

from allo.adapters.catalog_file import CatalogFileError, load_catalog
from allo.ordering import OrderParser


class LangChoice(str, Enum):
    auto = "auto"
    fr = "fr"
    en = "en"


def parse_command(
    catalog: Path = typer.Option(..., "--catalog", help="Catalog YAML file (see docs/catalog-format.md)."),
    lang: LangChoice = typer.Option(LangChoice.auto, "--lang", help="Language of the messages: auto, fr or en."),
) -> None:
    """Parse each line of stdin as one customer message against the catalog."""
    try:
        parser = OrderParser(load_catalog(catalog))
    except CatalogFileError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None
    out = sys.stdout
    for raw in sys.stdin:
        message = raw.rstrip("\n").rstrip("\r")
        draft = parser.parse(message, lang.value)  # type: ignore[arg-type]
        out.write(json.dumps(draft.to_json(), ensure_ascii=False) + "\n")
    out.flush()
