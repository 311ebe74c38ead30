"""How late a job's pickup runs against its plan, which moves the customer's arrival time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from allo.domain.assignment import Assignment

T = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
MIN = timedelta(minutes=1)


def planned(pickup_in: int | None = 10) -> Assignment:
    pickup = T + pickup_in * MIN if pickup_in is not None else None
    return Assignment("a1", "c1", "m1", ["o1", "o2"], T, T + 2 * MIN, pickup,
                      {"o1": T + 20 * MIN, "o2": T + 26 * MIN})


def test_a_courier_on_time_for_food_on_time_slips_nothing() -> None:
    assert planned().pickup_slip(T + 2 * MIN, [T + 8 * MIN, None], at_shop_by=T + 7 * MIN) == timedelta(0)


def test_a_kitchen_later_than_planned_moves_the_pickup_by_its_latest_order() -> None:
    assert planned().pickup_slip(T + 2 * MIN, [T + 8 * MIN, T + 25 * MIN], at_shop_by=T + 7 * MIN) == 15 * MIN


def test_a_courier_still_far_from_the_shop_moves_it_by_the_ride_left() -> None:
    # seen 7 minutes' ride from the shop at minute 9: there at 16 at the earliest, 6 minutes late
    assert planned().pickup_slip(T + 10 * MIN, [None, None], at_shop_by=T + 16 * MIN) == 6 * MIN


def test_past_the_planned_pickup_with_nothing_known_it_runs_as_late_as_the_clock() -> None:
    assert planned().pickup_slip(T + 14 * MIN, [T + 5 * MIN, None], at_shop_by=None) == 4 * MIN
    assert planned().pickup_slip(T + 14 * MIN, [None, None], at_shop_by=T + 12 * MIN) == 4 * MIN  # should be there


def test_a_courier_at_the_shop_has_no_ride_left() -> None:
    a = planned()
    a.accept(T + MIN)
    a.arrive(T + 6 * MIN)
    assert a.pickup_slip(T + 7 * MIN, [T + 12 * MIN, None], at_shop_by=T + 16 * MIN) == 2 * MIN


def test_a_job_offered_without_a_plan_has_no_slip() -> None:
    assert planned(None).pickup_slip(T + 60 * MIN, [T + 90 * MIN], at_shop_by=T + 90 * MIN) == timedelta(0)


def test_a_pickup_made_late_moves_the_drop_offs_by_as_much_and_an_early_one_does_not() -> None:
    assert planned().pickup_lateness(T + 24 * MIN) == 14 * MIN
    assert planned().pickup_lateness(T + 8 * MIN) == timedelta(0)  # early: the plan holds, no sooner
    assert planned(None).pickup_lateness(T + 24 * MIN) == timedelta(0)  # a job with no plan
