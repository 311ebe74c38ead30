import pytest

from allo.simulation.metrics import compute_metrics, lower_bound_click_to_door
from allo.simulation.simulator import simulate
from allo.simulation.solution import AssignmentRecord, Move, OrderRecord, Solution
from tests.unit.simulation.sim_builders import tiny_instance


def test_lower_bound_follows_the_readme_formula() -> None:
    inst = tiny_instance()
    # o1: ready 10, placed 0, r1 -> (1600, 0) is 5 minutes: 10 + 2 + 5 + 2
    assert lower_bound_click_to_door(inst, "o1") == 19


def test_metrics_of_a_hand_made_solution() -> None:
    inst = tiny_instance()
    sol = Solution(
        assignments=[AssignmentRecord(0, 10, "c1", ("o1",))],
        orders=[OrderRecord("o1", 0, 10, 10, 19, "c1")],
        moves=[Move("c1", 0, "0", "r1"), Move("c1", 12, "r1", "o1")],
    )
    m = compute_metrics(inst, sol)
    assert m["delivered"] == 1 and m["ctd_mean"] == 19 and m["excess_mean"] == 0
    assert m["ready_to_pickup_mean"] == 0 and m["orders_per_bundle"] == 1
    # c1 drives 1 + 5 minutes, picks up 4 and drops 4 over a 120-minute shift
    c1 = (1 + 5 + 4 + 4) / 120
    assert m["utilisation"] == pytest.approx((c1 + 0 + 0) / 3)
    # pay: max(10 per order, 15 per hour): 30 + 30 + 15
    assert m["total_pay"] == pytest.approx(75.0) and m["pct_guaranteed"] == pytest.approx(100.0)


def test_excess_is_never_negative_on_a_simulated_day() -> None:
    inst = tiny_instance()
    m = compute_metrics(inst, simulate(inst, "greedy").solution)
    assert m["excess_mean"] >= 0 and m["ctd_min"] >= 0 and m["pct_over_max"] == 0
