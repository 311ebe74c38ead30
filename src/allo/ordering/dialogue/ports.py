"""What the dialogue needs from the outside world (geocoding, zone, ETA, order status)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from allo.domain.geo import LatLon

from allo.ordering.dialogue.commands import Command
from allo.ordering.dialogue.state import ConversationState
from allo.ordering.draft import RequestedTime


@dataclass(frozen=True)
class LocatedAddress:
    """A geocoded address. `precise` is False when only the street (not the door) was found;
    `one_of_several` when other towns have a street of that name and this is the one the shop delivers to."""

    label: str
    location: LatLon
    precise: bool = True
    one_of_several: bool = False


@dataclass(frozen=True)
class OrderStatusView:
    """What the customer may know about an order: its status (OrderStatus value), ETA, tracking link."""

    status: str
    eta_minutes: int | None = None
    tracking_url: str | None = None
    eta_clock: str | None = None  # the same moment as a clock time in the shop's time zone ("20:00")


@dataclass(frozen=True)
class ShopOpening:
    """When a closed shop opens next, as its customers read it: "11:30", today (0), tomorrow (1) or a
    later weekday (0 = Monday); no `clock` when it takes no orders by message at all (no hours
    ahead, or deactivated); `resumes` when that is the end of a pause, not an opening."""

    clock: str | None
    days_ahead: int = 0
    weekday: int = 0
    resumes: bool = False


@dataclass(frozen=True)
class SoonestArrival:
    """A time asked for that cannot be kept: the soonest the order can arrive, on the shop's clock
    ("20:25"); no `clock` when no courier is on duty (nor booked) to take it in time."""

    clock: str | None


class DialoguePorts(Protocol):
    """Provided by the service layer: all I/O lives behind these calls."""

    def locate(self, address_text: str) -> LocatedAddress | None:
        """Geocode; None when the address cannot be placed."""
        ...

    def in_zone(self, where: LatLon) -> bool:
        """True when the shop delivers there."""
        ...

    def eta_minutes(self, where: LatLon) -> int | None:
        """Estimated minutes from now to the door; None when no courier is on duty to take the order."""
        ...

    def clock_in(self, minutes: int) -> str:
        """The shop's clock `minutes` from now ("20:15"), for a time too far ahead to count in minutes."""
        ...

    def closed_until(self, requested: RequestedTime | None) -> ShopOpening | None:
        """When the shop cannot take the order (closed now, or at the time asked for): when it opens
        next; None when it can."""
        ...

    def closes_at(self) -> str | None:
        """When the shop, open now, closes on its clock ("23:00"); None when closed now, or not closing
        within the week."""
        ...

    def earliest_arrival(self, requested: RequestedTime, where: LatLon) -> SoonestArrival | None:
        """When the order cannot arrive at the time asked for: the soonest it can, or that no courier
        can take it in time; None when the time asked for can be kept, or nobody can tell."""
        ...

    def order_status(self, order_id: str) -> OrderStatusView | None:
        """The current status of an order, or None when unknown."""
        ...


@dataclass
class DialogueResult:
    """The new state to persist, the replies to queue (in order) and the commands to execute."""

    state: ConversationState
    replies: list[str] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
