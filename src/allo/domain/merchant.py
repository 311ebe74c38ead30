"""Merchants: the shops Allo delivers for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from allo.domain.errors import ValidationFailed
from allo.domain.geo import LatLon, Polygon

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MIDNIGHT_ISH = time(23, 59)  # "until 23:59" means until midnight


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """Weekly opening hours: for each weekday ("mon".."sun") a list of (open, close) intervals."""

    weekly: dict[str, tuple[tuple[time, time], ...]] = field(default_factory=dict)
    timezone: str = "Europe/Monaco"

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
            raise ValidationFailed(f"unknown time zone {self.timezone!r} (an IANA name such as Europe/Paris)",
                                   code="unknown_timezone") from None
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
        """Open at `at`. An interval closing at 23:59 or later runs to midnight; one closing before it
        opens runs past midnight (from the day's opening to the next day's closing)."""
        local = at.astimezone(self.zone)
        t = local.time()
        day = WEEKDAYS[local.weekday()]
        for start, end in self.weekly.get(day, ()):
            if start < end and start <= t and (t < end or end >= _MIDNIGHT_ISH):
                return True
            if start > end and t >= start:  # tonight's part of an interval past midnight
                return True
        yesterday = WEEKDAYS[(local.weekday() - 1) % 7]
        return any(start > end and t < end for start, end in self.weekly.get(yesterday, ()))

    def next_opening(self, after: datetime) -> datetime | None:
        """The first moment from `after` on when the shop is open (`after` itself if open then), in
        `after`'s time zone; None if it never opens."""
        if self.is_open(after):
            return after
        local = after.astimezone(self.zone)
        for ahead in range(8):
            day = local.date() + timedelta(days=ahead)
            for start in sorted(start for start, _ in self.weekly.get(WEEKDAYS[day.weekday()], ())):
                opens = datetime.combine(day, start, self.zone)
                if opens > local:
                    return opens.astimezone(after.tzinfo)
        return None

    def closes_at(self, at: datetime) -> datetime | None:
        """When the shop, open at `at`, closes (the end of its opening, run on across midnight or into
        the next interval when they touch), in `at`'s time zone; None when closed at `at`, or open for
        a week on end."""
        if not self.is_open(at):
            return None
        local = at.astimezone(self.zone)
        spans = sorted(self._spans_around(local.date()))
        end: datetime | None = None
        for start, stop in spans:
            if end is None:
                if start <= local < stop:
                    end = stop
            elif start <= end:
                end = max(end, stop)  # touching or overlapping: still open
        if end is None or end - local >= timedelta(days=7):
            return None
        return end.astimezone(at.tzinfo)

    def _spans_around(self, day: date) -> list[tuple[datetime, datetime]]:
        """Opening intervals as local datetimes, from the day before `day` to a week after."""
        out = []
        for ahead in range(-1, 9):
            d = day + timedelta(days=ahead)
            for start, end in self.weekly.get(WEEKDAYS[d.weekday()], ()):
                opens = datetime.combine(d, start, self.zone)
                if end >= _MIDNIGHT_ISH:
                    closes = datetime.combine(d + timedelta(days=1), time(0, 0), self.zone)
                elif end < start:
                    closes = datetime.combine(d + timedelta(days=1), end, self.zone)
                else:
                    closes = datetime.combine(d, end, self.zone)
                out.append((opens, closes))
        return out

    @classmethod
    def always(cls) -> "OpeningHours":
        return cls({d: ((time(0, 0), time(23, 59, 59)),) for d in WEEKDAYS})

    def to_dict(self) -> dict[str, list[list[str]]]:
        return {d: [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in iv] for d, iv in self.weekly.items()}

    @classmethod
    def from_dict(cls, data: dict[str, list[list[str]]], timezone: str = "Europe/Monaco") -> "OpeningHours":
        weekly = {d: tuple((_clock(s), _clock(e)) for s, e in intervals) for d, intervals in data.items()}
        return cls(weekly, timezone)


def _clock(text: str) -> time:
    """"09:30" (or "09:30:00"); anything else is a clear error, not a crash."""
    try:
        return time.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValidationFailed(f"{text!r} is not a clock time HH:MM", code="invalid_hours") from None


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
    #: New orders by message are paused until then (a kitchen overwhelmed); None: not paused.
    paused_until: datetime | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationFailed("a merchant needs a name")
        if not 0 <= self.prep_minutes <= 240:
            raise ValidationFailed("preparation time must be between 0 and 240 minutes")

    def paused_at(self, at: datetime) -> bool:
        return self.paused_until is not None and at < self.paused_until

    def takes_orders_from(self, wanted: datetime) -> datetime | None:
        """The first moment from `wanted` on when the shop takes orders: `wanted` itself when open and
        not paused then, else the end of the pause or the next opening after it; None if the shop
        never opens again (no hours ahead) or was deactivated."""
        if not self.active:
            return None
        start = max(wanted, self.paused_until) if self.paused_until is not None else wanted
        return self.opening_hours.next_opening(start)

    def delivers_to(self, where: LatLon) -> bool:
        return self.delivery_zone.contains(where)

    def awaited_opening(self, entered: datetime) -> datetime | None:
        """The opening an order that came in at `entered` waits for: the shop's next one if it was
        closed then; None if it was open (or never opens)."""
        opens = self.opening_hours.next_opening(entered)
        return opens if opens is not None and opens > entered else None

    def kitchen_start(self, entered: datetime) -> datetime:
        """When the kitchen can start an order that came in at `entered`: then, or at the shop's next
        opening if it was closed then (at `entered` if it never opens)."""
        return self.awaited_opening(entered) or entered
