"""When things happen in the demo: customer arrivals and fixed cadences, in simulated time."""

from __future__ import annotations

from datetime import datetime, timedelta
from random import Random


class Arrivals:
    """A Poisson stream of arrivals (exponential gaps) at `per_minute` per simulated minute,
    reproducible from the `rng` it is given. The first arrival comes `first_after` the start."""

    def __init__(self, per_minute: float, rng: Random, start: datetime,
                 first_after: timedelta = timedelta(seconds=20)) -> None:
        if per_minute < 0:
            raise ValueError("the arrival rate cannot be negative")
        self.per_minute = per_minute
        self.rng = rng
        self.next_at: datetime | None = start + first_after if per_minute > 0 else None

    def due(self, now: datetime) -> list[datetime]:
        """The arrival times up to `now` not yet returned (oldest first)."""
        out: list[datetime] = []
        while self.next_at is not None and self.next_at <= now:
            out.append(self.next_at)
            self.next_at += timedelta(minutes=self.rng.expovariate(self.per_minute))
        return out


class Every:
    """A cadence: `due(now)` is True at most once per `interval` (first at the first call)."""

    def __init__(self, interval: timedelta) -> None:
        self.interval = interval
        self.last: datetime | None = None

    def due(self, now: datetime) -> bool:
        if self.last is not None and now - self.last < self.interval:
            return False
        self.last = now
        return True


def jittered(rng: Random, base: timedelta, spread: float = 0.2) -> timedelta:
    """`base` scaled by a factor drawn uniformly in [1 - spread, 1 + spread]."""
    return base * rng.uniform(1 - spread, 1 + spread)


def between(rng: Random, low_seconds: float, high_seconds: float) -> timedelta:
    """A delay drawn uniformly between two bounds (seconds)."""
    return timedelta(seconds=rng.uniform(low_seconds, high_seconds))
