"""A fake DialoguePorts and a conversation driver for the dialogue tests (no I/O)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from allo.adapters.catalog_file import load_catalog
from allo.domain.catalog import Catalog
from allo.domain.geo import LatLon
from allo.ordering.dialogue import (
    ConversationState, Dialogue, DialogueResult, LocatedAddress, OrderStatusView, ShopOpening, SoonestArrival,
)
from allo.ordering.draft import RequestedTime

CATALOGS = Path(__file__).resolve().parents[3] / "src" / "allo" / "demo" / "catalogs"
MONACO = LatLon(43.7384, 7.4246)
FAR = LatLon(43.7102, 7.2620)  # Nice: outside the zone
START = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


@lru_cache(maxsize=None)
def catalog(name: str) -> Catalog:
    return load_catalog(CATALOGS / f"{name}.yaml")


def with_sold_out(name: str, *skus: str) -> Catalog:
    """The demo catalog `name` with the items `skus` marked sold out (available: false)."""
    cat = catalog(name)
    return replace(cat, items=tuple(replace(i, available=i.sku not in skus) for i in cat.items))


@lru_cache(maxsize=None)
def dialogue(name: str) -> Dialogue:
    """One Dialogue per shop: it holds no conversation state, so tests can share it."""
    cat = catalog(name)
    return Dialogue(cat, shop_name=cat.merchant)


@dataclass
class FakePorts:
    """Addresses it knows (by a lower-case fragment), a zone of known points, fixed ETA, order statuses."""

    places: dict[str, LocatedAddress] = field(default_factory=dict)
    eta: int | None = 25  # None: no courier on shift
    earliest: SoonestArrival | None = None  # the time asked for cannot be kept: the soonest, or no courier
    closed: ShopOpening | None = None  # the shop cannot take orders now, nor for any hour but noon: it opens then
    closing: str | None = "23:00"  # when the shop, open now, closes
    asked_closed: list[RequestedTime | None] = field(default_factory=list)  # what closed_until was asked
    statuses: dict[str, OrderStatusView] = field(default_factory=dict)
    located: list[str] = field(default_factory=list)

    def locate(self, address_text: str) -> LocatedAddress | None:
        self.located.append(address_text)
        low = address_text.lower()
        for fragment, place in self.places.items():
            if fragment in low:
                return place
        return None

    def in_zone(self, where: LatLon) -> bool:
        return abs(where.lat - MONACO.lat) < 0.02 and abs(where.lon - MONACO.lon) < 0.02

    def eta_minutes(self, where: LatLon) -> int | None:
        return self.eta

    def earliest_arrival(self, requested: RequestedTime, where: LatLon) -> SoonestArrival | None:
        return self.earliest

    def clock_in(self, minutes: int) -> str:
        """The fake's clock reads 12:00 now."""
        return f"{(12 + minutes // 60) % 24:02d}:{minutes % 60:02d}"

    def closed_until(self, requested: RequestedTime | None) -> ShopOpening | None:
        self.asked_closed.append(requested)
        return self.closed if requested is None or self.closed is None or requested.hour != 12 else None

    def closes_at(self) -> str | None:
        return None if self.closed is not None else self.closing

    def order_status(self, order_id: str) -> OrderStatusView | None:
        return self.statuses.get(order_id)


def default_ports() -> FakePorts:
    return FakePorts(
        places={
            "moulins": LocatedAddress("14 Boulevard des Moulins, Monaco", MONACO, True),
            "grimaldi": LocatedAddress("5 Rue Grimaldi, Monaco", LatLon(43.7325, 7.4190), True),
            "princesse": LocatedAddress("Avenue Princesse Grace, Monaco", LatLon(43.7460, 7.4330), False),
            "promenade": LocatedAddress("10 Promenade des Anglais, Nice", FAR, True),
            "baker": LocatedAddress("5 Baker Street, Monaco", LatLon(43.7390, 7.4250), True),
        }
    )


class Chat:
    """Drives a conversation; the state goes through JSON between every turn, like in the service."""

    def __init__(self, shop: str = "pizzeria", ports: FakePorts | None = None) -> None:
        self.shop = shop
        self.dialogue = dialogue(shop)
        self.ports = ports or default_ports()
        self.stored = json.dumps(ConversationState().to_dict())
        self.now = START
        self.log: list[tuple[str, list[str]]] = []

    @property
    def state(self) -> ConversationState:
        return ConversationState.from_dict(json.loads(self.stored))

    def _keep(self, result: DialogueResult) -> DialogueResult:
        data = result.state.to_dict()
        self.stored = json.dumps(data)
        assert ConversationState.from_dict(json.loads(self.stored)).to_dict() == data
        return result

    def sell_out(self, *skus: str) -> None:
        """The shop marks `skus` sold out: the next messages meet the changed catalog."""
        cat = with_sold_out(self.shop, *skus)
        self.dialogue = Dialogue(cat, shop_name=cat.merchant)

    def say(self, text: str, minutes: int = 1) -> DialogueResult:
        self.now += timedelta(minutes=minutes)
        result = self._keep(self.dialogue.handle(self.state, text, self.ports, self.now))
        self.log.append((text, result.replies))
        return result

    def event(self, event: str, order_id: str, **data: object) -> DialogueResult:
        result = self._keep(self.dialogue.on_order_event(self.state, event, order_id, dict(data)))
        self.log.append((f"<{event}>", result.replies))
        return result

    def text(self, result: DialogueResult) -> str:
        return "\n".join(result.replies)
