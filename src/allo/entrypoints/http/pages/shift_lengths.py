"""How long a shift lasts, as chosen in a form: one list of choices and one reading of the choice,
shared by the courier app and the dispatcher console (the select is `templates/_shift_lengths.html`)."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from allo.domain.errors import ValidationFailed

#: The choices offered (form value `hours` → label); the empty value means no planned end.
SHIFT_LENGTHS: tuple[tuple[str, str], ...] = (
    ("0.5", "30 min"), ("1", "1 h"), ("2", "2 h"), ("3", "3 h"), ("4", "4 h"), ("5", "5 h"), ("6", "6 h"),
    ("8", "8 h"), ("10", "10 h"),
)


def shift_length(hours: str) -> timedelta | None:
    """The length chosen ("" for none); beyond 16 h the domain refuses it with its own code."""
    if not hours:
        return None
    try:
        span = float(hours)
    except ValueError:
        span = math.nan
    if not 0 < span <= 24:  # NaN included
        raise ValidationFailed("choose how long the shift lasts", code="shift_length")
    return timedelta(hours=span)


def shift_end(now: datetime, hours: str) -> datetime | None:
    """The end chosen as "in so many hours" from `now` ("" for none): no time zone to get wrong."""
    length = shift_length(hours)
    return None if length is None else now + length


#: How many days ahead the courier app offers to book (today included).
BOOKING_DAYS = 7
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def booking_days(now: datetime, zone: ZoneInfo) -> list[tuple[str, str]]:
    """The days a shift may be booked for, in the city's calendar: (form value, label)."""
    today = now.astimezone(zone).date()
    labels = {0: "aujourd'hui", 1: "demain"}
    return [(str(k), labels.get(k) or f"{WEEKDAYS[d.weekday()]} {d:%d/%m}")
            for k in range(BOOKING_DAYS) for d in [today + timedelta(days=k)]]


def booked_times(now: datetime, zone: ZoneInfo, day: str, start: str, hours: str) -> tuple[datetime, datetime]:
    """The booked shift chosen in the form: `day` days from today, starting at `start` ("18:30") in
    the city's time zone, lasting `hours` (a shift length). The domain checks the rest."""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", start.strip())
    if not day.isdigit() or not 0 <= int(day) < BOOKING_DAYS or match is None:
        raise ValidationFailed("choose a day and a start time (hh:mm)", code="booking_form")
    length = shift_length(hours)
    if length is None:
        raise ValidationFailed("choose how long the shift lasts", code="shift_length")
    when: date = now.astimezone(zone).date() + timedelta(days=int(day))
    starts = datetime.combine(when, time(int(match.group(1)), int(match.group(2))), zone)
    return starts, starts + length
