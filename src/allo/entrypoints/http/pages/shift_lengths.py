"""How long a shift lasts, as chosen in a form: one list of choices and one reading of the choice,
shared by the courier app and the dispatcher console (the select is `templates/_shift_lengths.html`)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from allo.domain.errors import ValidationFailed

#: The choices offered (form value `hours` → label); the empty value means no planned end.
SHIFT_LENGTHS: tuple[tuple[str, str], ...] = (
    ("0.5", "30 min"), ("1", "1 h"), ("2", "2 h"), ("3", "3 h"), ("4", "4 h"), ("5", "5 h"), ("6", "6 h"),
    ("8", "8 h"), ("10", "10 h"),
)


def shift_end(now: datetime, hours: str) -> datetime | None:
    """The end chosen as "in so many hours" from `now` ("" for none): no time zone to get wrong."""
    if not hours:
        return None
    try:
        span = float(hours)
    except ValueError:
        span = math.nan
    if not 0 < span <= 24:  # NaN included; beyond 16 h the domain refuses it with its own code
        raise ValidationFailed("choose how long the shift lasts", code="shift_length")
    return now + timedelta(hours=span)
