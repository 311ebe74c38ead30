"""Merchants: the shops Allo delivers for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from allo.domain.errors import ValidationFailed
from allo.domain.geo import LatLon, Polygon

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """Weekly opening hours: for each weekday ("mon".."sun") a list of (open, close) intervals."""

    weekly: dict[str, tuple[tuple[time, time], ...]] = field(default_factory=dict)
    timezone: str = "Europe/Monaco"

    def __post_init__(self) -> None:
        for day, intervals in self.weekly.items():
            if day not in WEEKDAYS:
                raise ValidationFailed(f"unknown weekday {day!r}")
            for start, end in intervals:
                if start == end:
                    raise ValidationFailed(f"{day}: empty opening interval")

    @property
    def zone(self) -> ZoneInfo:
        """The shop's time zone, in which its hours and its customers' clock times are meant."""
        return ZoneInfo(self.timezone)

    def clock_time(self, at: datetime) -> str:
        """"20:15": `at` on the shop's clock, as its customers read it."""
        return at.astimezone(self.zone).strftime("%H:%M")

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(self.zone)
        t = local.time()
        day = WEEKDAYS[local.weekday()]
        for start, end in self.weekly.get(day, ()):
            if start < end and start <= t < end:
                return True
            if start > end and (t >= start or t < end):  # past midnight
                return True
        return False

    @classmethod
    def always(cls) -> "OpeningHours":
        return cls({d: ((time(0, 0), time(23, 59, 59)),) for d in WEEKDAYS})

    def to_dict(self) -> dict[str, list[list[str]]]:
        return {d: [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in iv] for d, iv in self.weekly.items()}

    @classmethod
    def from_dict(cls, data: dict[str, list[list[str]]], timezone: str = "Europe/Monaco") -> "OpeningHours":
        weekly = {
            d: tuple((time.fromisoformat(s), time.fromisoformat(e)) for s, e in intervals)
            for d, intervals in data.items()
        }
        return cls(weekly, timezone)


@dataclass(slots=True)
class Merchant:
    id: str
    name: str
    pickup: LatLon
    address: str
    delivery_zone: Polygon
    opening_hours: OpeningHours = field(default_factory=OpeningHours.always)
    prep_minutes: int = 10
    currency: str = "EUR"
    active: bool = True
    version: int = 0

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationFailed("a merchant needs a name")
        if not 0 <= self.prep_minutes <= 240:
            raise ValidationFailed("preparation time must be between 0 and 240 minutes")

    def delivers_to(self, where: LatLon) -> bool:
        return self.delivery_zone.contains(where)
