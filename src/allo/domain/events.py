"""Domain events: what happened, when, to which aggregate. Handlers react after commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Event:
    """A fact the domain recorded. `name` is stable (e.g. "order.confirmed")."""

    name: str
    aggregate_id: str
    at: datetime
    data: dict[str, Any] = field(default_factory=dict)
