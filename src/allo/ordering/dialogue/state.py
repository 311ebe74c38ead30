"""The conversation state: plain dataclasses that round-trip through JSON (to_dict / from_dict)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

SCHEMA_VERSION = 1
ADDRESS_CHECKS = ("confirm_address", "confirm_place")  # questions that hold a place to confirm
PICK_ITEM = ("pick_item", "instead_of")  # questions answered by picking one of the items offered


class Stage:
    """Where the conversation stands (values stored in the state as strings)."""

    IDLE = "idle"  # nothing in progress
    ORDERING = "ordering"  # a draft is being built: questions, address still to come
    CONFIRM = "confirm"  # the summary was sent; waiting for OUI / YES or a change
    PLACING = "placing"  # PlaceOrder returned; waiting for the "placed" event
    ACTIVE = "active"  # an order is under way (pending_order_id)
    RATING = "rating"  # delivered; a rating was asked for
    OPTED_OUT = "opted_out"  # STOP received: silent until START


@dataclass
class LineState:
    """One accepted line of the draft."""

    sku: str
    qty: int = 1
    options: dict[str, list[str]] = field(default_factory=dict)
    without: list[str] = field(default_factory=list)

    def copy(self, qty: int | None = None) -> LineState:
        """The same line (its own lists), with `qty` if given."""
        return LineState(self.sku, self.qty if qty is None else qty,
                         {g: list(c) for g, c in self.options.items()}, list(self.without))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LineState:
        return cls(
            sku=str(d["sku"]),
            qty=int(d.get("qty", 1)),
            options={str(k): [str(c) for c in v] for k, v in (d.get("options") or {}).items()},
            without=[str(w) for w in d.get("without") or []],
        )


@dataclass
class Question:
    """A question put to the customer and not yet answered.

    kind: "pick_item" (choices are skus), "instead_of" (the same, offered for the sold-out item
    named by `text`, its line in `line`), "confirm_line" (line is a guess to confirm),
    "pick_option" (choices are choice names of `group` on line index `index`),
    "confirm_address" (an imprecise location to confirm; choices hold lat, lon),
    "confirm_place" (the same for the one place the shop delivers to of several by that name),
    "reuse_address" (deliver where the last order went?).
    """

    kind: str
    text: str = ""
    qty: int = 1
    choices: list[str] = field(default_factory=list)
    line: LineState | None = None
    index: int | None = None
    group: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Question:
        line = d.get("line")
        return cls(
            kind=str(d["kind"]),
            text=str(d.get("text", "")),
            qty=int(d.get("qty", 1)),
            choices=[str(c) for c in d.get("choices") or []],
            line=LineState.from_dict(line) if line else None,
            index=d.get("index"),
            group=d.get("group"),
        )


@dataclass
class DraftState:
    """The order being built: lines, drop-off and extras."""

    lines: list[LineState] = field(default_factory=list)
    address_text: str | None = None
    address_label: str | None = None
    location: list[float] | None = None  # [lat, lon] once located and in the zone
    door_code: str | None = None
    floor: str | None = None
    instructions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    requested_for_text: str | None = None
    requested_time: dict[str, Any] | None = None  # the RequestedTime's fields, resolved when the order is placed
    last_index: int | None = None  # the line last added or changed ("plutôt 3")
    reuse_declined: bool = False  # the customer said no to last time's address

    @property
    def located(self) -> bool:
        return self.location is not None and self.address_label is not None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DraftState:
        loc = d.get("location")
        return cls(
            lines=[LineState.from_dict(x) for x in d.get("lines") or []],
            address_text=d.get("address_text"),
            address_label=d.get("address_label"),
            location=[float(loc[0]), float(loc[1])] if loc else None,
            door_code=d.get("door_code"),
            floor=d.get("floor"),
            instructions=[str(x) for x in d.get("instructions") or []],
            notes=[str(x) for x in d.get("notes") or []],
            requested_for_text=d.get("requested_for_text"),
            requested_time=dict(d["requested_time"]) if d.get("requested_time") else None,
            last_index=d.get("last_index"),
            reuse_declined=bool(d.get("reuse_declined", False)),
        )


@dataclass
class ConversationState:
    """Everything the dialogue remembers about one customer's conversation."""

    language: str | None = None
    stage: str = Stage.IDLE
    draft: DraftState | None = None
    questions: list[Question] = field(default_factory=list)
    pending_order_id: str | None = None  # the order under way, until delivered/cancelled/failed
    pending_order_number: str | None = None  # how the customer sees it ("A-1042")
    order_status: str | None = None  # last status heard for the pending order
    last_order_id: str | None = None
    rating_order_id: str | None = None
    last_drop: DraftState | None = None  # where the last order went (offered again; erased with the data)
    cancel_requested: bool = False  # ANNULE while the order was being placed
    fallbacks: int = 0  # messages in a row not understood
    updated_at: str | None = None  # ISO time of the last customer message (stale drafts are dropped)
    shown_skus: list[str] = field(default_factory=list)  # items just asked about ("vous avez …?"), for "alors 2"
    version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (only str, int, float, bool, None, list, dict)."""
        return _plain(self)  # type: ignore[no-any-return]

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> ConversationState:
        """Rebuild from to_dict(); missing keys take their defaults (older states still load)."""
        if not d:
            return cls()
        draft = d.get("draft")
        return cls(
            language=d.get("language"),
            stage=str(d.get("stage") or Stage.IDLE),
            draft=DraftState.from_dict(draft) if draft else None,
            questions=[Question.from_dict(q) for q in d.get("questions") or []],
            pending_order_id=d.get("pending_order_id"),
            pending_order_number=d.get("pending_order_number"),
            order_status=d.get("order_status"),
            last_order_id=d.get("last_order_id"),
            rating_order_id=d.get("rating_order_id"),
            last_drop=DraftState.from_dict(d["last_drop"]) if d.get("last_drop") else None,
            cancel_requested=bool(d.get("cancel_requested", False)),
            fallbacks=int(d.get("fallbacks", 0)),
            updated_at=d.get("updated_at"),
            shown_skus=[str(x) for x in d.get("shown_skus") or []],
            version=int(d.get("version", SCHEMA_VERSION)),
        )

    def copy(self) -> ConversationState:
        """A deep copy, so handling a message never mutates the caller's state."""
        return ConversationState.from_dict(self.to_dict())


def _plain(value: Any) -> Any:
    """Like dataclasses.asdict, without its deep copies of every leaf (strings and numbers are
    immutable; only containers are rebuilt)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    raise TypeError(f"{type(value).__name__} is not JSON-safe state")
