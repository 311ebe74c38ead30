"""The result of understanding one message: an order draft a dialogue can confirm or question."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# A line whose confidence is below this is not presented as understood: the dialogue asks.
CONFIDENT = 0.6
# Doubts the dialogue must ask about before a summary (the others are shown in the summary).
ASK_DOUBTS = frozenset(
    {"missing_option", "conflict", "ambiguous_item", "alternative", "large_qty", "unknown_words", "unknown_removal"}
)


@dataclass(slots=True)
class DraftLine:
    """One line of the order: an item, a quantity, chosen options and removed ingredients.

    `doubts` says why confidence is below 1 (codes: "fuzzy", "inferred_item", "ambiguous_item",
    "missing_option", "qty_assumed", "conflict"); `candidates` holds the skus in play when the
    item itself is ambiguous; `text` is the part of the message the line came from.
    """

    sku: str | None
    qty: int = 1
    options: dict[str, list[str]] = field(default_factory=dict)
    without: list[str] = field(default_factory=list)
    confidence: float = 1.0
    doubts: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    text: str = ""

    @property
    def confident(self) -> bool:
        return self.sku is not None and self.confidence >= CONFIDENT

    @property
    def questions(self) -> list[str]:
        """The doubts on this line that need a question to the customer."""
        return [d for d in self.doubts if d in ASK_DOUBTS]

    def doubt(self, code: str, cap: float) -> None:
        """Record a reason for doubt and cap the confidence."""
        if code not in self.doubts:
            self.doubts.append(code)
        self.confidence = min(self.confidence, cap)

    def to_json(self) -> dict[str, Any]:
        return {"sku": self.sku, "qty": self.qty, "options": self.options, "without": self.without}


@dataclass(slots=True)
class AddressParts:
    """The delivery address as written, split into what could be recognised (geocoding is elsewhere)."""

    text: str | None = None
    number: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    door_code: str | None = None
    floor: str | None = None
    instructions: list[str] = field(default_factory=list)

    @property
    def instructions_text(self) -> str | None:
        return ", ".join(self.instructions) if self.instructions else None


@dataclass(frozen=True, slots=True)
class RequestedTime:
    """When the customer wants the delivery: as soon as possible, or around/before a clock time."""

    asap: bool = False
    hour: int | None = None
    minute: int = 0
    relation: str = "at"  # "at", "before", "after", "around", "in"
    in_minutes: int | None = None
    day: str | None = None  # "today" or "tomorrow" when said ("ce soir", "demain midi")
    text: str = ""


@dataclass(slots=True)
class Draft:
    """Everything understood in one message. `unknown` lists the words that could not be placed."""

    lines: list[DraftLine]
    address: AddressParts
    language: str
    requested_time: RequestedTime | None = None
    notes: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def confident_lines(self) -> list[DraftLine]:
        return [ln for ln in self.lines if ln.confident]

    @property
    def needs_questions(self) -> bool:
        """True when the dialogue should ask before summarising: doubt, or nothing understood."""
        return bool(self.unknown) or any(not ln.confident or ln.questions for ln in self.lines)

    def to_json(self) -> dict[str, Any]:
        """The `allo parse` output: confident lines only; doubtful lines go to `unknown`."""
        unknown = list(self.unknown)
        for ln in self.lines:
            if not ln.confident and ln.text and ln.text not in unknown:
                unknown.append(ln.text)
        return {
            "lines": [ln.to_json() for ln in self.confident_lines],
            "address": self.address.text,
            "door_code": self.address.door_code,
            "instructions": self.address.instructions_text,
            "language": self.language,
            "unknown": unknown,
        }
