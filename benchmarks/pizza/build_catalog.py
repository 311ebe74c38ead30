"""Build an Allo catalog (YAML) from the PIZZA entity files, at evaluation time.

The PIZZA data is CC-BY-NC-4.0 and used for evaluation only: the catalog is written to
benchmarks/pizza/out/ (git-ignored) and never shipped. Nothing here is learnt from the utterances:
the catalog holds the entity files' surface forms, plus the generic words a menu would hold anyway
("pizza", "pie"; "additional", "more" and "double" as ways of saying extra), listed in GENERIC below.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

DEFAULT_DIR = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "pizza"
OUT = Path(__file__).resolve().parent / "out"
_ENTRY = re.compile(r"^(?P<surface>[^\t]+)\t(?P<kind>\w+)\((?P<value>[^)]*)\)\s*$")

GENERIC = {
    "pizza": ["pizza", "pizzas", "pie", "pies"],
    "EXTRA": ["additional", "more", "double", "extra", "plenty of", "loads of", "tons of"],
    "LIGHT": ["light", "little", "less"],
}


def read_entities(folder: Path, name: str) -> dict[str, list[str]]:
    """Entity value -> surface forms, in file order."""
    out: dict[str, list[str]] = {}
    for line in (folder / name).read_text(encoding="utf-8").splitlines():
        m = _ENTRY.match(line)
        if not m:
            continue
        value = m.group("value").replace(" ", "")
        if m.group("kind") == "volume":
            n, unit = value.split(",")
            value = f"{n}_{'FL_OZ' if unit == 'FLOZ' else unit}"
        out.setdefault(value, []).append(m.group("surface").strip())
    return out


def _choices(entities: dict[str, list[str]], prefix: str = "") -> list[dict]:
    return [{"name": prefix + v, "aliases": sorted(set(s))} for v, s in entities.items()]


def build(folder: Path = DEFAULT_DIR) -> dict:
    sizes = read_entities(folder, "size.txt")
    styles = read_entities(folder, "style.txt")
    toppings = read_entities(folder, "topping.txt")
    quants = read_entities(folder, "quant_qualifier.txt")
    for q, words in GENERIC.items():
        if q in quants:
            quants[q] = quants[q] + words
    qualified = []
    for q, phrases in quants.items():
        for top, forms in toppings.items():
            aliases = sorted({f"{p} {f}" for p in phrases for f in forms})
            qualified.append((q, {"name": f"{q}_{top}", "aliases": aliases}))
    pizza = {
        "sku": "PIZZA",
        "name": "pizza",
        "aliases": GENERIC["pizza"],
        "price": 10,
        "options": [
            {"group": "size", "min": 0, "max": 1, "choices": _choices(sizes)},
            {"group": "style", "min": 0, "max": 20, "choices": _choices(styles)},
            {"group": "topping", "min": 0, "max": 100, "choices": _choices(toppings)},
        ]
        + [
            {"group": f"quantity_{q}", "min": 0, "max": 100, "choices": [c for qq, c in qualified if qq == q]}
            for q in quants
        ],
    }
    drink_groups = [
        {"group": "size", "min": 0, "max": 1, "choices": _choices(sizes)},
        {"group": "container", "min": 0, "max": 1, "choices": _choices(read_entities(folder, "container.txt"))},
        {"group": "volume", "min": 0, "max": 1, "choices": _choices(read_entities(folder, "drink_volume.txt"))},
    ]
    drinks = [
        {"sku": v, "name": forms[0], "aliases": forms, "price": 2, "options": drink_groups}
        for v, forms in read_entities(folder, "drinks.txt").items()
    ]
    return {"merchant": "PIZZA benchmark", "currency": "USD", "items": [pizza, *drinks]}


def write(folder: Path = DEFAULT_DIR, out_dir: Path = OUT) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "pizza_catalog.yaml"
    path.write_text(yaml.safe_dump(build(folder), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR))
