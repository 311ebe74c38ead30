"""Demo time: a clock that starts at the wall-clock time and runs `speed` times faster.

Everything the demo stores and shows (order times, ETAs, offer expiry, timers) is in demo time, so
a 20-minute promise is kept or missed in 20 demo minutes, i.e. 2 wall minutes at speed 10.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone


class ScaledClock:
    """`now()` = start + speed x (wall seconds elapsed since creation). Never goes back: elapsed
    time comes from a monotonic source (injectable for tests)."""

    def __init__(self, speed: float, *, start: datetime | None = None,
                 elapsed: Callable[[], float] = time.monotonic) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = float(speed)
        self._elapsed = elapsed
        self._origin = elapsed()
        self.start = start or datetime.now(timezone.utc)

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(self._elapsed() - self._origin) * self.speed)

    def wall_seconds(self, demo_seconds: float) -> float:
        """How long `demo_seconds` of demo time take on the wall clock."""
        return demo_seconds / self.speed
