"""Demo data shipped with the package: shop catalogs for the demo city (Monaco)."""

from __future__ import annotations

from pathlib import Path

CATALOG_DIR = Path(__file__).resolve().parent / "catalogs"


def catalog_path(name: str) -> Path:
    """Path of a demo catalog by short name: "pharmacie", "pizzeria" or "epicerie"."""
    path = CATALOG_DIR / f"{name}.yaml"
    if not path.is_file():
        raise FileNotFoundError(f"no demo catalog {name!r} (have: {', '.join(demo_catalogs())})")
    return path


def demo_catalogs() -> list[str]:
    return sorted(p.stem for p in CATALOG_DIR.glob("*.yaml"))
