"""What the dialogue asks the service layer to do. Frozen dataclasses; the service executes them."""

from __future__ import annotations

from dataclasses import dataclass

from allo.domain.geo import LatLon
from allo.ordering.draft import RequestedTime

# One order line: (sku, qty, options {group: [choice name, ...]}, without [ingredient, ...]).
LineSpec = tuple[str, int, dict[str, list[str]], list[str]]


@dataclass(frozen=True)
class PlaceOrder:
    """Create and confirm the order; answer with on_order_event("placed", order_id, ...)."""

    lines: list[LineSpec]
    address: str
    location: LatLon
    door_code: str | None = None
    floor: str | None = None
    instructions: str | None = None
    notes: str | None = None
    requested_for_text: str | None = None
    requested_time: RequestedTime | None = None  # what the text means; the service resolves it at its clock
    language: str = "fr"


@dataclass(frozen=True)
class CancelOrder:
    """Cancel an order not yet picked up; answer with on_order_event("cancelled", ...)."""

    order_id: str


@dataclass(frozen=True)
class OptOut:
    """The customer sent STOP: send them nothing more until they write START."""


@dataclass(frozen=True)
class OptIn:
    """The customer sent START after a STOP: they may be messaged again."""


@dataclass(frozen=True)
class EraseData:
    """The customer asked for erasure of their personal data."""


@dataclass(frozen=True)
class RateOrder:
    """A rating (1 to 5 stars) of a delivered order, with an optional comment."""

    order_id: str
    stars: int
    comment: str | None = None


Command = PlaceOrder | CancelOrder | OptOut | OptIn | EraseData | RateOrder

__all__ = [
    "CancelOrder",
    "Command",
    "EraseData",
    "LineSpec",
    "OptIn",
    "OptOut",
    "PlaceOrder",
    "RateOrder",
]
