"""A courier's shift: started with or without a planned end, the end moved, the end passed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from allo.domain.courier import Courier, CourierStatus
from allo.domain.errors import InvalidTransition, ValidationFailed

NOON = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_a_shift_with_a_planned_end_is_over_at_that_time_and_not_before() -> None:
    c = Courier("c1", "Léa")
    c.start_shift(NOON, until=NOON + timedelta(hours=2))
    assert c.shift_ends_at == NOON + timedelta(hours=2)
    assert not c.shift_is_over(NOON + timedelta(hours=1, minutes=59))
    assert c.shift_is_over(NOON + timedelta(hours=2))
    assert c.events[-1].data == {"until": (NOON + timedelta(hours=2)).isoformat()}


def test_a_shift_without_a_planned_end_is_never_over_by_itself() -> None:
    c = Courier("c1", "Léa")
    c.start_shift(NOON)
    assert c.shift_ends_at is None and not c.shift_is_over(NOON + timedelta(days=3))


@pytest.mark.parametrize(("until", "code"), [
    (NOON, "shift_end_past"), (NOON - timedelta(minutes=1), "shift_end_past"),
    (NOON + timedelta(hours=16, minutes=1), "shift_too_long"),
])
def test_an_end_in_the_past_or_too_far_is_refused_and_the_courier_stays_off_shift(until: datetime, code: str) -> None:
    c = Courier("c1", "Léa")
    with pytest.raises(ValidationFailed) as err:
        c.start_shift(NOON, until=until)
    assert err.value.code == code and c.status is CourierStatus.OFF_SHIFT and not c.events


def test_the_end_can_be_moved_or_dropped_during_the_shift_only() -> None:
    c = Courier("c1", "Léa")
    with pytest.raises(InvalidTransition):
        c.plan_shift_end(NOON + timedelta(hours=1), NOON)
    c.start_shift(NOON, until=NOON + timedelta(hours=1))
    c.plan_shift_end(NOON + timedelta(hours=3), NOON + timedelta(minutes=50))
    assert not c.shift_is_over(NOON + timedelta(hours=2))
    with pytest.raises(ValidationFailed):
        c.plan_shift_end(NOON + timedelta(minutes=30), NOON + timedelta(minutes=50))  # already past
    assert c.shift_ends_at == NOON + timedelta(hours=3)
    c.plan_shift_end(None, NOON + timedelta(hours=1))
    assert c.shift_ends_at is None


def test_ending_the_shift_forgets_its_planned_end() -> None:
    c = Courier("c1", "Léa")
    c.start_shift(NOON, until=NOON + timedelta(hours=1))
    c.end_shift(NOON + timedelta(minutes=20))
    assert c.shift_ends_at is None and not c.shift_is_over(NOON + timedelta(hours=2))
