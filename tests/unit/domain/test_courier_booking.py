"""A courier's next shift booked ahead: the checks, and starting the booked shift."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from allo.domain.courier import Courier, ShiftBooking
from allo.domain.errors import InvalidTransition, ValidationFailed
from allo.domain.geo import LatLon

NOON = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
PORT = LatLon(43.735, 7.423)


def test_a_booking_is_kept_with_its_place_and_expected_from_ninety_minutes_before_to_ten_after() -> None:
    c = Courier("c1", "Léa")
    c.book_shift(ShiftBooking(NOON + 3 * H, NOON + 7 * H, PORT), NOON)
    b = c.booking
    assert b is not None and b.start_place == PORT and c.events[-1].name == "courier.shift_booked"
    ahead = timedelta(minutes=90)
    assert not b.expected(NOON + 3 * H - timedelta(minutes=91), ahead)
    assert b.expected(NOON + 3 * H - timedelta(minutes=90), ahead)
    assert b.expected(NOON + 3 * H + timedelta(minutes=9), ahead)
    assert not b.expected(NOON + 3 * H + timedelta(minutes=10), ahead)  # a no-show is not waited for


def test_starting_the_booked_shift_takes_its_end_and_uses_the_booking() -> None:
    c = Courier("c1", "Léa")
    c.book_shift(ShiftBooking(NOON + 3 * H, NOON + 7 * H), NOON)
    c.start_shift(NOON + 3 * H - timedelta(minutes=20))  # a little early
    assert c.shift_ends_at == NOON + 7 * H and c.booking is None


def test_a_shift_started_far_from_the_booking_leaves_the_booking_alone() -> None:
    c = Courier("c1", "Léa")
    c.book_shift(ShiftBooking(NOON + 6 * H, NOON + 9 * H), NOON)
    c.start_shift(NOON + H)
    assert c.shift_ends_at is None and c.booking is not None


@pytest.mark.parametrize(("starts", "ends", "code"), [
    (NOON - timedelta(minutes=1), NOON + 2 * H, "booking_past"),
    (NOON + timedelta(days=15), NOON + timedelta(days=15, hours=2), "booking_too_far"),
    (NOON + H, NOON + H, "shift_too_long"),
    (NOON + H, NOON + 18 * H, "shift_too_long"),
])
def test_a_bad_booking_is_refused_and_the_earlier_one_kept(starts: datetime, ends: datetime, code: str) -> None:
    c = Courier("c1", "Léa")
    first = ShiftBooking(NOON + 2 * H, NOON + 4 * H)
    c.book_shift(first, NOON)
    with pytest.raises(ValidationFailed) as err:
        c.book_shift(ShiftBooking(starts, ends), NOON)
    assert err.value.code == code and c.booking == first


def test_a_booking_during_the_shift_under_way_must_start_after_its_planned_end() -> None:
    c = Courier("c1", "Léa")
    c.start_shift(NOON, until=NOON + 4 * H)
    with pytest.raises(ValidationFailed) as err:
        c.book_shift(ShiftBooking(NOON + 3 * H, NOON + 6 * H), NOON)
    assert err.value.code == "booking_overlaps"
    c.book_shift(ShiftBooking(NOON + 20 * H, NOON + 24 * H), NOON)
    assert c.booking is not None


def test_cancelling_drops_the_booking_and_cancelling_nothing_is_an_error() -> None:
    c = Courier("c1", "Léa")
    c.book_shift(ShiftBooking(NOON + H, NOON + 2 * H), NOON)
    c.cancel_booking(NOON)
    assert c.booking is None
    with pytest.raises(InvalidTransition):
        c.cancel_booking(NOON)
