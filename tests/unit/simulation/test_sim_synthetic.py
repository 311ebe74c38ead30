"""Synthetic days merged from real ones: sizes, ids, seeding and the two ways of drawing couriers."""

from __future__ import annotations

import pytest

from allo.simulation.instance import Courier, Instance
from allo.simulation.synthetic import merge_days
from tests.unit.simulation.sim_builders import random_instance, tiny_instance


def _days() -> list[Instance]:
    """Two small real-like days, one of them with many one-minute and ten-hour shifts."""
    return [tiny_instance(), random_instance(3), random_instance(11)]


def _with_shifts(day: Instance, lengths: list[int]) -> Instance:
    couriers = {f"k{i}": Courier(f"k{i}", c.position, 0, n)
                for i, (c, n) in enumerate(zip(list(day.couriers.values()) * len(lengths), lengths))}
    return Instance(day.name, day.restaurants, day.orders, couriers, day.params)


def test_the_merged_day_has_the_sizes_asked_and_ids_that_never_collide() -> None:
    days = _days()
    merged = merge_days(days, orders=200, couriers=12, seed=1)
    assert len(merged.orders) == 200 and len(merged.couriers) == 12
    assert all(o.restaurant_id in merged.restaurants for o in merged.orders.values())
    assert {c[:2] for c in merged.couriers} <= {"d0", "d1", "d2"}  # prefixed by the day they came from
    pool = sum(len(d.orders) for d in days)
    assert sum(1 for o in merged.orders if o.startswith("x")) == 200 - pool  # the extra copies


@pytest.mark.parametrize("draw", ["shift-length", "uniform"])
def test_a_seed_gives_the_same_day_and_another_seed_another(draw: str) -> None:
    a = merge_days(_days(), orders=60, couriers=8, seed=5, courier_draw=draw)
    b = merge_days(_days(), orders=60, couriers=8, seed=5, courier_draw=draw)
    c = merge_days(_days(), orders=60, couriers=8, seed=6, courier_draw=draw)
    assert (a.orders, a.couriers) == (b.orders, b.couriers)
    assert (a.orders, a.couriers) != (c.orders, c.couriers)


def test_the_shift_length_draw_favours_long_shifts_and_the_uniform_draw_does_not() -> None:
    day = _with_shifts(tiny_instance(), [1] * 50 + [600] * 50)
    long_shifts = {"shift-length": 0, "uniform": 0}
    for seed in range(40):
        for draw in long_shifts:
            merged = merge_days([day], orders=8, couriers=10, seed=seed, courier_draw=draw)
            long_shifts[draw] += sum(1 for c in merged.couriers.values() if c.off_time == 600)
    assert long_shifts["shift-length"] > 390  # of 400 drawn: almost only the long shifts
    assert 150 < long_shifts["uniform"] < 250  # about half, as in the day itself


def test_an_unknown_draw_is_refused() -> None:
    with pytest.raises(ValueError, match="courier_draw"):
        merge_days(_days(), orders=10, couriers=2, courier_draw="longest")
