"""The order state machine: every legal and every illegal transition."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allo.domain.errors import InvalidTransition, ValidationFailed
from allo.domain.money import Money
from allo.domain.order import TERMINAL, TRANSITIONS, DropOff, Order, OrderAction, OrderLine, OrderStatus

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
S, A = OrderStatus, OrderAction


def make_order(status: OrderStatus = S.DRAFT, ready: bool = False) -> Order:
    o = Order("o1", "m1", "c1", [OrderLine("pizza", "Pizza", 2, Money(900))], DropOff("5 Baker Street"), T0)
    o.status = status
    o.courier_id = "k1" if status in (S.ASSIGNED, S.PICKED_UP) else None
    o.ready_at = T0 if ready else None
    return o


def run(o: Order, action: OrderAction, at: datetime = T0) -> None:
    o.perform(action, at, courier_id="k1", reason="customer asked")


ALL_PAIRS = [(s, a) for s in OrderStatus for a in OrderAction]


@pytest.mark.parametrize(("status", "action"), [p for p in ALL_PAIRS if p in TRANSITIONS])
def test_legal_transition_moves_records_and_emits(status: OrderStatus, action: OrderAction) -> None:
    o = make_order(status, ready=True)
    run(o, action, T0 + timedelta(minutes=5))
    assert o.status is TRANSITIONS[(status, action)]
    assert o.history[-1].status is o.status
    assert o.history[-1].at == T0 + timedelta(minutes=5)
    assert o.history[-1].action is action
    event = o.events[-1]
    assert event.name == f"order.{action.value}"
    assert event.data["from"] == status.value and event.data["to"] == o.status.value


@pytest.mark.parametrize(("status", "action"), [p for p in ALL_PAIRS if p not in TRANSITIONS])
def test_illegal_transition_raises_stable_code_and_changes_nothing(status: OrderStatus, action: OrderAction) -> None:
    o = make_order(status)
    before = (o.status, len(o.history), len(o.events))
    with pytest.raises(InvalidTransition) as err:
        run(o, action)
    assert err.value.code == "invalid_transition"
    assert (o.status, len(o.history), len(o.events)) == before


def test_happy_path_timestamps_every_step() -> None:
    o = make_order()
    steps = [A.CONFIRM, A.MARK_READY, A.ASSIGN, A.PICK_UP, A.DELIVER]
    for i, action in enumerate(steps, start=1):
        run(o, action, T0 + timedelta(minutes=i))
    assert o.status is S.DELIVERED
    assert [t.status for t in o.history] == [S.DRAFT, S.CONFIRMED, S.READY, S.ASSIGNED, S.PICKED_UP, S.DELIVERED]
    assert o.time_of(S.PICKED_UP) == T0 + timedelta(minutes=4)


def test_unassign_returns_to_ready_or_confirmed() -> None:
    ready = make_order(S.ASSIGNED, ready=True)
    ready.unassign(T0)
    assert ready.status is S.READY and ready.courier_id is None
    not_ready = make_order(S.ASSIGNED, ready=False)
    not_ready.unassign(T0)
    assert not_ready.status is S.CONFIRMED


def test_cancel_and_fail_need_a_reason() -> None:
    with pytest.raises(ValidationFailed):
        make_order(S.CONFIRMED).cancel(T0, " ")
    with pytest.raises(ValidationFailed):
        make_order(S.PICKED_UP).fail(T0, "")


def test_cancel_only_before_pickup_fail_only_after() -> None:
    with pytest.raises(InvalidTransition):
        make_order(S.PICKED_UP).cancel(T0, "too late")
    with pytest.raises(InvalidTransition):
        make_order(S.ASSIGNED).fail(T0, "absent")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list(OrderAction)), max_size=12))
def test_any_sequence_keeps_history_consistent(actions: list[OrderAction]) -> None:
    o = make_order()
    done = 0
    for i, action in enumerate(actions):
        was_terminal = o.status in TERMINAL
        try:
            run(o, action, T0 + timedelta(minutes=i))
            done += 1
            assert not was_terminal, "a terminal order moved"
        except InvalidTransition:
            pass
    assert len(o.history) == done + 1
    assert len(o.events) == done
    assert o.history[-1].status is o.status
    times = [t.at for t in o.history]
    assert times == sorted(times)
