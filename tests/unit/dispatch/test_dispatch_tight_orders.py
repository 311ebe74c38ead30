"""Orders whose preparation leaves little room under the 90-minute maximum ("tight" orders)."""

import pytest

from allo.dispatch.model import DispatchContext, Snapshot
from allo.dispatch.rolling import RollingHorizonPolicy, RollingParams

from tests.unit.dispatch.dispatch_builders import courier, order

OFF = RollingParams(tight_slack_minutes=0)
ON = RollingParams()


def _tight(ready: float = 10, best: float = 90) -> object:
    # 5 minutes from its customer, placed so that `best` minutes is its lower bound (90: no slack)
    return order("tight", merchant="m1", at=(0, 0), to=(1600, 0), placed=ready - (best - 9), ready=ready)


@pytest.mark.parametrize("best", [90, 95])
def test_a_tight_order_keeps_the_courier_who_is_on_time(context: DispatchContext, best: float) -> None:
    """Two orders ready at 10, 10 minutes apart; c1 is on time for either, c2 one minute late for the
    tight one and eleven for the other. Without the tight-order cost the cheaper plan sends c2 to the
    tight order, which then takes 91 minutes. An order whose own bound is past the maximum (a
    pre-order, 95 minutes at best) is held to that bound the same way."""
    normal = order("normal", merchant="m2", at=(3200, 0), to=(4800, 0), placed=0, ready=10)
    c1, c2 = courier("c1", at=(1600, 0)), courier("c2", at=(-2880, 0))

    def pickup_of_tight(params: RollingParams) -> float:
        policy, orders = RollingHorizonPolicy(params), [_tight(best=best), normal]
        for now in range(0, 11):
            for a in policy.decide(Snapshot(float(now), tuple(orders), (c1, c2)), context):
                if "tight" in a.order_ids:
                    return a.pickup_at
                orders = [o for o in orders if o.id not in a.order_ids]
        raise AssertionError("the tight order was never assigned")

    assert pickup_of_tight(ON) == 10
    assert pickup_of_tight(OFF) == 11


def test_in_a_scarce_epoch_a_tight_order_is_committed_minutes_early(context: DispatchContext) -> None:
    """A courier five minutes away would leave at 13 for a pickup at 20. Its shift ends at 30, so the
    open work exceeds what it can still do (a scarce epoch): for a tight order it leaves at 8, and no
    later plan change can make the order late. With a long shift it leaves just in time."""
    # scarce epochs plan routes unless told not to (the early commitment belongs to the matching)
    params = RollingParams(scarce_routes=False)

    def leaves_at(end: float) -> float:
        policy, c = RollingHorizonPolicy(params), courier("c1", at=(1600, 0), end=end)
        for now in range(0, 20):
            for a in policy.decide(Snapshot(float(now), (_tight(20),), (c,)), context):
                assert a.pickup_at == 20
                return a.assigned_at
        raise AssertionError("never committed")

    assert leaves_at(end=30) == 8
    assert leaves_at(end=600) == 13
