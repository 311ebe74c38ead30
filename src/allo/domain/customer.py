"""Customers: contact (personal data), language, consent and opt-out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from allo.domain.events import Event


class Language(StrEnum):
    FR = "fr"
    EN = "en"


@dataclass(slots=True)
class Customer:
    id: str
    phone: str  # E.164; encrypted at rest by the storage adapter
    name: str | None = None
    language: Language = Language.FR
    marketing_consent: bool = False
    opted_out: bool = False
    created_at: datetime | None = None
    erased_at: datetime | None = None
    version: int = 0
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    def opt_out(self, at: datetime) -> None:
        """The customer said STOP: no more messages except the confirmation of this one."""
        self.opted_out = True
        self.events.append(Event("customer.opted_out", self.id, at))

    def erase(self, at: datetime) -> None:
        """Erasure on request: personal data is replaced; orders keep their non-personal facts."""
        self.phone = ""
        self.name = None
        self.opted_out = True
        self.erased_at = at
        self.events.append(Event("customer.erased", self.id, at))
