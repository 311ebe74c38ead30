"""The kitchen's estimate of when one order will be ready (`Order.expect_ready`)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from allo.domain.errors import InvalidTransition, ValidationFailed
from allo.domain.money import Money
from allo.domain.order import DropOff, Order, OrderLine, OrderStatus

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


def confirmed_order() -> Order:
    o = Order("o1", "m1", "c1", [OrderLine("pizza", "Pizza", 2, Money(900))], DropOff("5 Baker Street"), T0)
    o.confirm(T0)
    return o


def test_an_estimate_sets_the_expected_time_and_says_so() -> None:
    o = confirmed_order()
    o.expect_ready(T0 + timedelta(minutes=2), timedelta(minutes=25))
    assert o.expected_ready_at == T0 + timedelta(minutes=27)
    assert o.events[-1].name == "order.ready_expected"
    assert o.events[-1].data["expected_ready_at"] == (T0 + timedelta(minutes=27)).isoformat()
    assert o.status is OrderStatus.CONFIRMED  # no change of status


def test_a_late_kitchen_may_say_it_again_also_once_a_courier_is_assigned() -> None:
    o = confirmed_order()
    o.expect_ready(T0, timedelta(minutes=10))
    o.assign("k1", T0 + timedelta(minutes=1))
    o.expect_ready(T0 + timedelta(minutes=9), timedelta(minutes=15))
    assert o.expected_ready_at == T0 + timedelta(minutes=24)


@pytest.mark.parametrize("minutes", [-1, 241])
def test_an_estimate_out_of_range_is_refused_and_changes_nothing(minutes: int) -> None:
    o = confirmed_order()
    with pytest.raises(ValidationFailed) as err:
        o.expect_ready(T0, timedelta(minutes=minutes))
    assert err.value.code == "invalid_ready_estimate"
    assert o.expected_ready_at is None


def test_no_estimate_once_the_order_is_ready_or_on_its_way() -> None:
    ready = confirmed_order()
    ready.mark_ready(T0 + timedelta(minutes=5))
    picked = confirmed_order()
    picked.assign("k1", T0)
    picked.pick_up(T0 + timedelta(minutes=3))
    for o in (ready, picked):
        with pytest.raises(InvalidTransition):
            o.expect_ready(T0 + timedelta(minutes=6), timedelta(minutes=5))
        assert o.expected_ready_at is None
