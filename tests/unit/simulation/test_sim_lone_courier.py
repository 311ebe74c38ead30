"""A lone courier on shift plans its next jobs in sequence: the morning of a real scarce day."""

from allo.dispatch.rolling import RollingHorizonPolicy, RollingParams
from allo.simulation.instance import Instance
from allo.simulation.simulator import simulate

from tests.unit.simulation.sim_builders import instance_of


def quiet_morning() -> Instance:
    """The first three hours of the library's `4r50t100s1p100` (same places and minutes, 320 m/min):
    from minute 120 to 180 one courier is on shift; o4 (placed 108, ready 138) and o5 (placed 136,
    ready 166) come from the same restaurant, and the next couriers start at 180."""
    return instance_of(
        "quiet-morning", {"r1": (9551, 7566), "r2": (6062, 5988)},
        [("o1", 8876, 6954, 17, "r1", 47), ("o2", 9485, 8284, 58, "r1", 88), ("o3", 1634, 6904, 98, "r2", 123),
         ("o4", 9744, 8729, 108, "r1", 138), ("o5", 10331, 5431, 136, "r1", 166),
         ("o6", 8339, 5814, 171, "r2", 187)],
        [("c1", 9479, 2110, 0, 180), ("c2", 4166, 8003, 0, 90), ("c3", 9891, 5418, 60, 120),
         ("c4", 79, 3457, 180, 300), ("c5", 5909, 9534, 180, 300), ("c6", 7384, 202, 180, 300)],
    )


def deliveries(params: RollingParams) -> dict[str, tuple[str, float, float]]:
    """Order id -> (courier, drop-off minute, click-to-door minutes)."""
    result = simulate(quiet_morning(), RollingHorizonPolicy(params), seed=0)
    assert result.undelivered == []
    return {r.order_id: (r.courier_id, r.dropoff_at, r.dropoff_at - r.placed_at) for r in result.solution.orders}


def test_the_lone_courier_takes_the_older_order_first_and_both_make_the_maximum() -> None:
    """The hour is calm by the load (two orders for one courier, and three couriers due at 180), and the
    one-job matching sent c1 with o5 and left o4 to a courier of 180: 106 minutes. Planned as a
    sequence of jobs, c1 carries o4 and then o5, both within the 90-minute maximum."""
    planned = deliveries(RollingParams())
    assert max(ctd for _, _, ctd in planned.values()) <= 90
    assert planned["o4"][0] == planned["o5"][0] == "c1" and planned["o4"][1] < planned["o5"][1]
    matched = deliveries(RollingParams(lone_pool_couriers=0))
    assert matched["o4"][2] > 90 and matched["o5"][0] == "c1"
