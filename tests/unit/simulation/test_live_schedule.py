"""Arrivals, cadences and demo time are reproducible from a seed and an injected clock."""

from __future__ import annotations

from datetime import timedelta
from random import Random

import pytest

from allo.domain.clock import FixedClock
from allo.simulation.live.clock import ScaledClock
from allo.simulation.live.schedule import Arrivals, Every, between, jittered


def _arrivals(seed: int, per_minute: float = 2.0) -> tuple[FixedClock, Arrivals]:
    clock = FixedClock()
    return clock, Arrivals(per_minute, Random(seed), clock.now(), first_after=timedelta(seconds=30))


def test_the_first_arrival_comes_when_told_then_at_about_the_rate() -> None:
    clock, arrivals = _arrivals(7)
    assert arrivals.due(clock.advance(seconds=29)) == []
    assert len(arrivals.due(clock.advance(seconds=1))) == 1
    seen = 1
    for _ in range(600):  # ten hours, a minute at a time
        got = arrivals.due(clock.advance(minutes=1))
        assert got == sorted(got) and all(t <= clock.now() for t in got)
        seen += len(got)
    assert 1000 < seen < 1400  # 2 a minute for 600 minutes


def test_the_same_seed_gives_the_same_arrivals() -> None:
    runs = []
    for _ in range(2):
        clock, arrivals = _arrivals(42)
        runs.append(arrivals.due(clock.advance(hours=1)))
    assert runs[0] == runs[1] and len(runs[0]) > 50
    other_clock, other = _arrivals(43)
    assert other.due(other_clock.advance(hours=1)) != runs[0]


def test_a_zero_rate_brings_nobody_and_a_negative_one_is_refused() -> None:
    clock, arrivals = _arrivals(1, per_minute=0)
    assert arrivals.due(clock.advance(hours=10)) == []
    with pytest.raises(ValueError):
        Arrivals(-1, Random(1), clock.now())


def test_every_is_due_once_per_interval() -> None:
    clock, every = FixedClock(), Every(timedelta(seconds=10))
    assert every.due(clock.now())
    assert not every.due(clock.advance(seconds=9))
    assert every.due(clock.advance(seconds=1))
    assert not every.due(clock.now())


def test_random_delays_stay_in_their_bounds() -> None:
    rng = Random(3)
    for _ in range(200):
        assert timedelta(seconds=5) <= between(rng, 5, 25) <= timedelta(seconds=25)
        assert timedelta(minutes=8) <= jittered(rng, timedelta(minutes=10)) <= timedelta(minutes=12)


def test_demo_time_runs_speed_times_faster_from_its_start() -> None:
    wall = [100.0]
    start = FixedClock().now()
    clock = ScaledClock(20, start=start, elapsed=lambda: wall[0])
    assert clock.now() == start
    wall[0] += 3
    assert clock.now() == start + timedelta(minutes=1)
    assert clock.wall_seconds(60) == 3
    with pytest.raises(ValueError):
        ScaledClock(0)
