from dataclasses import replace

import pytest

from allo.simulation.checker import check_solution
from allo.simulation.simulator import simulate
from allo.simulation.solution import Move, Solution
from tests.unit.simulation.sim_builders import tiny_instance


@pytest.fixture(scope="module")
def solved() -> tuple:
    inst = tiny_instance()
    return inst, simulate(inst, "rolling").solution


def _copy(sol: Solution) -> Solution:
    return Solution(list(sol.assignments), list(sol.orders), list(sol.moves))


def _codes(inst, sol) -> set[str]:
    return {v.code for v in check_solution(inst, sol)}


def test_the_produced_solution_is_clean(solved) -> None:
    inst, sol = solved
    assert check_solution(inst, sol) == []


def test_catches_an_assignment_before_placement(solved) -> None:
    inst, sol = solved
    bad = _copy(sol)
    a = bad.assignments[-1]
    bad.assignments[-1] = replace(a, assigned_at=inst.orders[a.order_ids[0]].placed_at - 1)
    assert "before-placement" in _codes(inst, bad)


def test_catches_a_pickup_before_ready(solved) -> None:
    inst, sol = solved
    bad = _copy(sol)
    a = bad.assignments[0]
    bad.assignments[0] = replace(a, pickup_at=inst.orders[a.order_ids[0]].ready_at - 3)
    assert "before-ready" in _codes(inst, bad)


def test_catches_a_pickup_after_the_off_time(solved) -> None:
    inst, sol = solved
    bad = _copy(sol)
    cid = bad.assignments[0].courier_id
    courier = inst.couriers[cid]
    short = replace(inst, couriers={**inst.couriers, cid: replace(courier, off_time=bad.assignments[0].pickup_at - 1)})
    assert "after-off-time" in _codes(short, bad)


def test_catches_an_order_delivered_twice_and_an_undelivered_one(solved) -> None:
    inst, sol = solved
    bad = _copy(sol)
    a0 = bad.assignments[0]
    bad.assignments.append(replace(a0, assigned_at=a0.assigned_at))
    assert "order-twice" in _codes(inst, bad)
    bad = _copy(sol)
    bad.assignments.pop()
    assert "undelivered" in _codes(inst, bad)


def test_catches_a_teleport_and_a_wrong_sequence(solved) -> None:
    inst, sol = solved
    bad = _copy(sol)
    m = bad.moves[1]
    bad.moves[1] = Move(m.courier_id, m.departs_at, "r2" if m.origin != "r2" else "r1", m.destination)
    assert "teleport" in _codes(inst, bad)
    multi = next((a for a in sol.assignments if len(a.order_ids) > 1), None)
    if multi is not None:
        bad = _copy(sol)
        i = bad.assignments.index(multi)
        bad.assignments[i] = replace(multi, order_ids=tuple(reversed(multi.order_ids)))
        assert "drop-sequence" in _codes(inst, bad)


def test_catches_a_drop_off_before_the_courier_arrives(solved) -> None:
    inst, sol = solved
    bad = _copy(sol)
    r = bad.orders[0]
    bad.orders[0] = replace(r, dropoff_at=r.dropoff_at - 2)
    assert "dropoff-time" in _codes(inst, bad)


def test_catches_a_diversion(solved) -> None:
    inst, sol = solved
    by_courier: dict[str, list] = {}
    for a in sol.assignments:
        by_courier.setdefault(a.courier_id, []).append(a)
    cid, jobs = next((c, j) for c, j in by_courier.items() if len(j) >= 2)
    bad = _copy(sol)
    second = jobs[1]
    i = bad.assignments.index(second)
    bad.assignments[i] = replace(second, assigned_at=jobs[0].assigned_at + 1)
    assert "diversion" in _codes(inst, bad) or "departure-before-assignment" not in _codes(inst, bad)
    assert check_solution(inst, bad) != []


def test_an_empty_bundle_or_an_unknown_first_order_is_reported_not_a_crash() -> None:
    from allo.simulation.solution import AssignmentRecord

    inst = tiny_instance()
    empty = Solution([AssignmentRecord(0, 10, "c1", ())], [], [Move("c1", 0, "0", "r1")])
    assert "empty-bundle" in _codes(inst, empty)
    unknown = Solution([AssignmentRecord(0, 10, "c1", ("o404",))], [],
                       [Move("c1", 0, "0", "r1"), Move("c1", 12, "r1", "o1")])
    assert {"unknown-order", "drop-sequence"} <= _codes(inst, unknown)


def test_an_order_past_the_maximum_is_reported_unless_its_kitchen_alone_put_it_there(solved) -> None:
    inst, sol = solved
    late = _copy(sol)
    i = next(k for k, rec in enumerate(late.orders) if rec.order_id == "o1")
    late.orders[i] = replace(late.orders[i], dropoff_at=late.orders[i].placed_at + 104)
    over_max = [v.detail for v in check_solution(inst, late) if v.code == "over-max"]
    assert len(over_max) == 1 and over_max[0].startswith("o1 ")
    # ready 90 minutes after placement: its bound is 99 minutes, over the maximum whoever dispatches it
    o1 = inst.orders["o1"]
    slow_kitchen = replace(inst, orders={**inst.orders, "o1": replace(o1, ready_at=o1.placed_at + 90)})
    assert not [v for v in check_solution(slow_kitchen, late) if v.code == "over-max"]
