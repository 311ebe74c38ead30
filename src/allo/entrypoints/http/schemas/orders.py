"""Order schemas. What a role sees of the drop-off depends on the role (see OrderRead.of)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from allo.domain.customer import Language
from allo.domain.handover import is_locked
from allo.domain.order import DropOff, Order, OrderAction, OrderStatus
from allo.domain.personal import mask_name
from allo.domain.user import Role
from allo.entrypoints.http.schemas.common import Amount, Position
from allo.services.orders import CustomerRequest, LineRequest


class LineCreate(BaseModel):
    sku: str = Field(min_length=1)
    qty: int = Field(default=1, ge=1, le=999)
    options: dict[str, list[str]] = {}
    without: list[str] = []


class DropOffSchema(BaseModel):
    address: str = Field(min_length=3, max_length=500)
    location: Position | None = None
    door_code: str | None = Field(default=None, max_length=50)
    floor: str | None = Field(default=None, max_length=50)
    instructions: str | None = Field(default=None, max_length=500)
    recipient_name: str | None = Field(default=None, max_length=200)

    def to_domain(self) -> DropOff:
        return DropOff(self.address, self.location.to_domain() if self.location else None, self.door_code,
                       self.floor, self.instructions, self.recipient_name)


class CustomerContact(BaseModel):
    phone: str = Field(min_length=4, max_length=32)
    name: str | None = Field(default=None, max_length=200)
    language: Language = Language.FR


class OrderCreate(BaseModel):
    merchant_id: str
    lines: list[LineCreate] = Field(min_length=1)
    dropoff: DropOffSchema
    customer: CustomerContact | None = None
    notes: str | None = Field(default=None, max_length=1000)
    requested_for: datetime | None = None
    confirm: bool = False
    delivery_fee_cents: int | None = Field(default=None, ge=0)
    ready_in_minutes: int | None = Field(default=None, ge=0, le=240,
                                         description="the kitchen's estimate: ready this many minutes from now")

    def line_requests(self) -> list[LineRequest]:
        return [LineRequest(ln.sku, ln.qty, ln.options, ln.without) for ln in self.lines]

    def customer_request(self) -> CustomerRequest | None:
        c = self.customer
        return CustomerRequest(c.phone, c.name, c.language) if c else None


class OrderUpdate(BaseModel):
    version: int | None = Field(default=None, description="the version you read; 409 `conflict` if stale")
    notes: str | None = Field(default=None, max_length=1000)
    dropoff: DropOffSchema | None = None
    requested_for: datetime | None = None


class OrderActionRequest(BaseModel):
    action: OrderAction
    reason: str | None = Field(default=None, max_length=500)
    version: int | None = None
    ready_in_minutes: int | None = Field(default=None, ge=0, le=240,
                                         description="with `confirm` only: ready this many minutes from now")


class ReadyEstimate(BaseModel):
    ready_in_minutes: int = Field(ge=0, le=240, description="ready this many minutes from now")
    version: int | None = Field(default=None, description="the version you read; 409 `conflict` if stale")


class LineRead(BaseModel):
    sku: str
    name: str
    qty: int
    options: dict[str, list[str]]
    without: list[str]
    unit_price: Amount
    total: Amount


class DropOffRead(BaseModel):
    address: str
    location: Position | None
    door_code: str | None
    floor: str | None
    instructions: str | None
    recipient: str | None


class TransitionRead(BaseModel):
    status: OrderStatus
    at: datetime
    action: OrderAction | None
    reason: str | None


def pin_visible_to(role: Role, o: Order) -> bool:
    """Staff may phone the PIN in; a shop sees it only for orders it took itself (no conversation
    through which Allo could send it). A courier never sees it: the customer gives it at the door."""
    if role in (Role.ADMIN, Role.DISPATCHER):
        return True
    return role is Role.MERCHANT and o.conversation_id is None


class OrderRead(BaseModel):
    id: str
    merchant_id: str
    customer_id: str | None
    status: OrderStatus
    courier_id: str | None
    lines: list[LineRead]
    subtotal: Amount
    delivery_fee: Amount
    total: Amount
    dropoff: DropOffRead
    notes: str | None
    requested_for: datetime | None
    created_at: datetime
    ready_at: datetime | None
    expected_ready_at: datetime | None = Field(default=None, description="the kitchen's estimate, until ready")
    held_reason: str | None = Field(default=None, description="why a dispatcher keeps it for manual dispatch "
                                    "(the engine leaves it alone); null when the engine may dispatch it")
    reason: str | None
    history: list[TransitionRead]
    handover_pin: str | None = Field(default=None, description="the PIN the customer gives the courier; "
                                     "shown to staff, and to the shop for orders it took by phone")
    pin_locked: bool = False
    version: int

    @classmethod
    def of(cls, o: Order, role: Role) -> "OrderRead":
        d = o.dropoff
        assert o.delivery_fee is not None
        return cls(
            id=o.id, merchant_id=o.merchant_id,
            customer_id=None if role is Role.COURIER else o.customer_id,
            status=o.status, courier_id=o.courier_id,
            lines=[LineRead(sku=ln.sku, name=ln.name, qty=ln.qty, options=ln.options, without=list(ln.without),
                            unit_price=Amount.of(ln.unit_price), total=Amount.of(ln.total)) for ln in o.lines],
            subtotal=Amount.of(o.subtotal), delivery_fee=Amount.of(o.delivery_fee), total=Amount.of(o.total),
            dropoff=DropOffRead(address=d.address, location=Position.of(d.location), door_code=d.door_code,
                                floor=d.floor, instructions=d.instructions,
                                recipient=mask_name(d.recipient_name)),
            notes=o.notes, requested_for=o.requested_for, created_at=o.created_at, ready_at=o.ready_at,
            expected_ready_at=None if o.ready_at else o.expected_ready_at, held_reason=o.held_reason, reason=o.reason,
            history=[TransitionRead(status=t.status, at=t.at, action=t.action, reason=t.reason) for t in o.history],
            handover_pin=o.pin if pin_visible_to(role, o) else None, pin_locked=is_locked(o),
            version=o.version,
        )
