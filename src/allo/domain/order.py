"""Orders and their state machine.

draft → confirmed → ready → assigned → picked_up → delivered
A courier may be assigned before the shop says the order is ready (confirmed → assigned); readiness
is then recorded on the order without a status change. Cancelled is reachable before pickup, failed
only after pickup (with a reason). Unassigning sends an order back to ready or confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from allo.domain.errors import InvalidTransition, ValidationFailed
from allo.domain.events import Event
from allo.domain.geo import LatLon
from allo.domain.money import Money


class OrderStatus(StrEnum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    READY = "ready"
    ASSIGNED = "assigned"
    PICKED_UP = "picked_up"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    FAILED = "failed"


class OrderAction(StrEnum):
    CONFIRM = "confirm"
    MARK_READY = "mark_ready"
    ASSIGN = "assign"
    UNASSIGN = "unassign"
    PICK_UP = "pick_up"
    DELIVER = "deliver"
    CANCEL = "cancel"
    FAIL = "fail"


S, A = OrderStatus, OrderAction

#: (status, action) → next status. Anything absent is illegal.
TRANSITIONS: dict[tuple[OrderStatus, OrderAction], OrderStatus] = {
    (S.DRAFT, A.CONFIRM): S.CONFIRMED,
    (S.DRAFT, A.CANCEL): S.CANCELLED,
    (S.CONFIRMED, A.MARK_READY): S.READY,
    (S.CONFIRMED, A.ASSIGN): S.ASSIGNED,
    (S.CONFIRMED, A.CANCEL): S.CANCELLED,
    (S.READY, A.ASSIGN): S.ASSIGNED,
    (S.READY, A.CANCEL): S.CANCELLED,
    (S.ASSIGNED, A.MARK_READY): S.ASSIGNED,
    (S.ASSIGNED, A.UNASSIGN): S.READY,  # or CONFIRMED when not ready yet: see Order.unassign
    (S.ASSIGNED, A.PICK_UP): S.PICKED_UP,
    (S.ASSIGNED, A.CANCEL): S.CANCELLED,
    (S.PICKED_UP, A.DELIVER): S.DELIVERED,
    (S.PICKED_UP, A.FAIL): S.FAILED,
}

TERMINAL = frozenset({S.DELIVERED, S.CANCELLED, S.FAILED})
OPEN_FOR_DISPATCH = frozenset({S.CONFIRMED, S.READY})
#: While the kitchen may still say when an order will be ready (not once it is, nor after pickup).
EXPECTING_READY = frozenset({S.DRAFT, S.CONFIRMED, S.ASSIGNED})
#: The longest preparation a shop may announce.
LONGEST_PREPARATION = timedelta(hours=4)


def order_number(order_id: str) -> str:
    """The short number customers, shops and couriers say out loud ("A3F9C2")."""
    return order_id.replace("-", "")[:6].upper()


@dataclass(frozen=True, slots=True)
class OrderLine:
    sku: str
    name: str
    qty: int
    unit_price: Money
    options: dict[str, list[str]] = field(default_factory=dict)
    without: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.qty < 1 or self.qty > 999:
            raise ValidationFailed(f"{self.name}: quantity must be between 1 and 999", code="invalid_quantity")

    @property
    def total(self) -> Money:
        return self.unit_price * self.qty


@dataclass(frozen=True, slots=True)
class DropOff:
    """Where the order goes. All of it is personal data (encrypted at rest)."""

    address: str
    location: LatLon | None = None
    door_code: str | None = None
    floor: str | None = None
    instructions: str | None = None
    recipient_name: str | None = None

    def __post_init__(self) -> None:
        if not self.address.strip():
            raise ValidationFailed("a drop-off address is required", code="invalid_address")


@dataclass(frozen=True, slots=True)
class Transition:
    status: OrderStatus
    at: datetime
    action: OrderAction | None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class OrderTimes:
    """What a day's figures need of an order, without its lines or its customer's data."""

    id: str
    merchant_id: str
    status: OrderStatus
    created_at: datetime
    requested_for: datetime | None
    delivered_at: datetime | None

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL


@dataclass(slots=True)
class Order:
    id: str
    merchant_id: str
    customer_id: str | None
    lines: list[OrderLine]
    dropoff: DropOff
    created_at: datetime
    currency: str = "EUR"
    delivery_fee: Money | None = None
    notes: str | None = None
    requested_for: datetime | None = None
    conversation_id: str | None = None  # the conversation the order came from, for status messages
    tracking_token: str | None = None  # the unguessable part of the customer's tracking link
    pin: str | None = None  # the handover PIN the customer gives the courier (encrypted at rest)
    pin_failures: int = 0  # wrong PINs entered so far (see allo.domain.handover)
    status: OrderStatus = OrderStatus.DRAFT
    courier_id: str | None = None
    ready_at: datetime | None = None
    expected_ready_at: datetime | None = None  # the kitchen's estimate for this order, until it is ready
    #: Why a dispatcher keeps the order for manual dispatch (None: the engine may dispatch it).
    held_reason: str | None = None
    reason: str | None = None
    history: list[Transition] = field(default_factory=list)
    version: int = 0
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.lines:
            raise ValidationFailed("an order needs at least one line", code="empty_order")
        for line in self.lines:
            if line.unit_price.currency != self.currency:
                raise ValidationFailed("all lines must be in the order's currency")
        if self.delivery_fee is None:
            self.delivery_fee = Money.zero(self.currency)
        if not self.history:
            self.history.append(Transition(self.status, self.created_at, None))

    # totals ---------------------------------------------------------------------------------
    @property
    def subtotal(self) -> Money:
        total = Money.zero(self.currency)
        for line in self.lines:
            total = total + line.total
        return total

    @property
    def total(self) -> Money:
        assert self.delivery_fee is not None
        return self.subtotal + self.delivery_fee

    # state machine --------------------------------------------------------------------------
    def can(self, action: OrderAction) -> bool:
        return (self.status, action) in TRANSITIONS

    def _apply(self, action: OrderAction, at: datetime, *, to: OrderStatus | None = None,
               reason: str | None = None, data: dict[str, Any] | None = None) -> None:
        key = (self.status, action)
        if key not in TRANSITIONS:
            raise InvalidTransition(
                f"cannot {action.value} an order that is {self.status.value}", code="invalid_transition"
            )
        before = self.status
        self.status = to or TRANSITIONS[key]
        self.history.append(Transition(self.status, at, action, reason))
        payload = {"from": before.value, "to": self.status.value, "merchant_id": self.merchant_id}
        if reason:
            payload["reason"] = reason
        payload.update(data or {})
        self.events.append(Event(f"order.{action.value}", self.id, at, payload))

    def confirm(self, at: datetime) -> None:
        self._apply(A.CONFIRM, at)

    def mark_ready(self, at: datetime) -> None:
        self._apply(A.MARK_READY, at)
        self.ready_at = at

    @property
    def ready_by(self) -> datetime | None:
        """When the food is or will be ready, as far as the shop said: marked ready, else its estimate."""
        return self.ready_at or self.expected_ready_at

    @property
    def preparing(self) -> bool:
        """Not ready yet and not yet on its way: the kitchen may still say when it will be."""
        return self.status in EXPECTING_READY and self.ready_at is None

    def expect_ready(self, at: datetime, ready_in: timedelta) -> None:
        """The kitchen says when this order will be ready (`ready_in` from `at`), for the dispatcher's
        plan and the customer's estimate; it may say it again (running late) until the order is ready."""
        if not self.preparing:
            raise InvalidTransition(f"an order that is {'ready' if self.ready_at else self.status.value} "
                                    "takes no preparation estimate", code="invalid_transition")
        if not timedelta(0) <= ready_in <= LONGEST_PREPARATION:
            raise ValidationFailed("a preparation estimate is between 0 and "
                                   f"{int(LONGEST_PREPARATION.total_seconds() // 60)} minutes",
                                   code="invalid_ready_estimate")
        before = self.expected_ready_at
        self.expected_ready_at = at + ready_in
        self.events.append(Event("order.ready_expected", self.id, at, {
            "merchant_id": self.merchant_id, "expected_ready_at": self.expected_ready_at.isoformat(),
            "before": before.isoformat() if before else None}))

    @property
    def held(self) -> bool:
        """Kept for a dispatcher to assign by hand: the engine leaves it alone until released."""
        return self.held_reason is not None

    def hold(self, at: datetime, reason: str) -> None:
        """A dispatcher keeps the order for manual dispatch (a courier by car, one the customer asked
        for, an address to check first), with a reason the other dispatchers see. Until the pickup;
        again with a new reason replaces the old."""
        if self.is_terminal or self.status is S.PICKED_UP:
            raise InvalidTransition(f"an order that is {self.status.value} is not dispatched any more",
                                    code="invalid_transition")
        if not reason.strip():
            raise ValidationFailed("say why the order is kept for manual dispatch", code="reason_required")
        self.held_reason = reason.strip()
        self.events.append(Event("order.held", self.id, at, {"merchant_id": self.merchant_id,
                                                            "reason": self.held_reason}))

    def release_hold(self, at: datetime) -> None:
        """Back to the automatic dispatch."""
        if self.held_reason is None:
            raise InvalidTransition("the order is not held", code="not_held")
        self.held_reason = None
        self.events.append(Event("order.hold_released", self.id, at, {"merchant_id": self.merchant_id}))

    def assign(self, courier_id: str, at: datetime) -> None:
        self._apply(A.ASSIGN, at, data={"courier_id": courier_id})
        self.courier_id = courier_id

    def unassign(self, at: datetime, reason: str | None = None) -> None:
        back = S.READY if self.ready_at is not None else S.CONFIRMED
        self._apply(A.UNASSIGN, at, to=back, reason=reason, data={"courier_id": self.courier_id})
        self.courier_id = None

    def pick_up(self, at: datetime) -> None:
        self._apply(A.PICK_UP, at)

    def deliver(self, at: datetime) -> None:
        self._apply(A.DELIVER, at)

    def cancel(self, at: datetime, reason: str) -> None:
        if not reason.strip():
            raise ValidationFailed("a cancellation needs a reason", code="reason_required")
        self._apply(A.CANCEL, at, reason=reason)
        self.reason = reason
        self.courier_id = None

    def fail(self, at: datetime, reason: str) -> None:
        if not reason.strip():
            raise ValidationFailed("a failed delivery needs a reason", code="reason_required")
        self._apply(A.FAIL, at, reason=reason)
        self.reason = reason

    def perform(self, action: OrderAction, at: datetime, *, courier_id: str | None = None,
                reason: str | None = None) -> None:
        """Run an action by name (for generic callers such as tests and the API)."""
        if action is A.ASSIGN:
            if not courier_id:
                raise ValidationFailed("assign needs a courier", code="courier_required")
            self.assign(courier_id, at)
        elif action is A.CANCEL:
            self.cancel(at, reason or "")
        elif action is A.FAIL:
            self.fail(at, reason or "")
        elif action is A.UNASSIGN:
            self.unassign(at, reason)
        else:
            getattr(self, action.value)(at)

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL

    @property
    def entered_status_at(self) -> datetime:
        """When the order entered its present status (its creation, for one never moved)."""
        return self.time_of(self.status) or self.created_at

    def time_of(self, status: OrderStatus) -> datetime | None:
        """When the order last entered `status`."""
        for t in reversed(self.history):
            if t.status is status:
                return t.at
        return None
