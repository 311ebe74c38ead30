"""What a customer hears when an item of their order is sold out.

    python benchmarks/orders_fr/sold_out.py [PATH]

For every message of the French benchmark (messages.txt, or PATH) and every item its expectation
orders, that one item is marked sold out in its demo catalog and the message is sent to the chat as a
first message (every address found, inside the zone; the shop open). The first reply is sorted:
- told: it says the item is out of stock ("rupture");
- swapped silently: the draft holds an item the message did not order, and nothing was said;
- "nous n'avons pas": the reply says the shop does not have something;
- sold-out item in the draft: the sold-out item was taken (it must never be).
Prints the counts, one per line.
"""

from __future__ import annotations

import argparse
import importlib.util
from collections import Counter
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from allo.adapters.catalog_file import load_catalog
from allo.demo import catalog_path
from allo.domain.catalog import Catalog
from allo.domain.geo import LatLon
from allo.ordering.dialogue import ConversationState, Dialogue, LocatedAddress

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
MONACO = LatLon(43.7384, 7.4246)


class _EverywhereOpen:
    """Dialogue ports of a shop open all day, with a courier 25 minutes away, finding every address."""

    def locate(self, address_text: str) -> LocatedAddress | None:
        return LocatedAddress(address_text, MONACO, True)

    def in_zone(self, where: LatLon) -> bool:
        return True

    def eta_minutes(self, where: LatLon) -> int | None:
        return 25

    def earliest_arrival(self, requested: object, where: LatLon) -> None:
        return None

    def clock_in(self, minutes: int) -> str:
        return f"{(12 + minutes // 60) % 24:02d}:{minutes % 60:02d}"

    def closed_until(self, requested: object) -> None:
        return None

    def closes_at(self) -> str | None:
        return "23:00"

    def order_status(self, order_id: str) -> None:
        return None


def _sold_out(cat: Catalog, sku: str) -> Catalog:
    return replace(cat, items=tuple(replace(i, available=i.sku != sku) for i in cat.items))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=HERE / "messages.txt")
    args = ap.parse_args()
    spec = importlib.util.spec_from_file_location("orders_fr_evaluate", HERE / "evaluate.py")
    assert spec is not None and spec.loader is not None
    evaluate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(evaluate)
    catalogs = {shop: load_catalog(catalog_path(shop)) for shop in ("pharmacie", "pizzeria", "epicerie")}
    dialogues: dict[tuple[str, str], Dialogue] = {}
    counts: Counter[str] = Counter()
    for shop, message, expected in evaluate.read_cases(args.path):
        ordered = {line[0] for line in evaluate.parse_expectation(expected)["lines"]}
        for sku in sorted(ordered):
            if (shop, sku) not in dialogues:
                cat = _sold_out(catalogs[shop], sku)
                dialogues[shop, sku] = Dialogue(cat, shop_name=cat.merchant)
            result = dialogues[shop, sku].handle(ConversationState(), message, _EverywhereOpen(), NOW)
            reply = "\n".join(result.replies)
            drafted = [ln.sku for ln in result.state.draft.lines] if result.state.draft else []
            told = "rupture" in reply
            counts["cases"] += 1
            counts["told"] += told
            counts["swapped silently"] += not told and any(s not in ordered for s in drafted)
            counts["'nous n'avons pas'"] += "Nous n'avons pas" in reply
            counts["sold-out item in the draft"] += sku in drafted
    for key in ("cases", "told", "swapped silently", "'nous n'avons pas'", "sold-out item in the draft"):
        print(f"{key}: {counts[key]}")


if __name__ == "__main__":
    main()
