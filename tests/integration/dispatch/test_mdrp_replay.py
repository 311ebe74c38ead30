"""The live loop, fed two hours of a real MDRP day through the services, delivers what the simulator does.

Drives `benchmarks/dispatch_live/replay.py` (shops confirm with the kitchen's estimate, couriers
start their shifts with a planned end and accept every offer, the jobs run under the MDRP rules)
on a slice of `0o50t100s2p100`, and checks the live run's solution with the MDRP checker.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from allo.simulation.checker import ViolationCounts, check_solution
from allo.simulation.instance import Instance, read_instance
from allo.simulation.metrics import compute_metrics
from allo.simulation.simulator import simulate
from tests.conftest import REPO_ROOT
from tests.support.databases import database_url


def _slice(inst: Instance, start: int, end: int) -> Instance:
    """Orders placed in [start, end) and the couriers on shift some time from then to an hour after."""
    orders = {k: o for k, o in inst.orders.items() if start <= o.placed_at < end}
    couriers = {k: c for k, c in inst.couriers.items() if c.on_time < end + 60 and c.off_time > start}
    return dataclasses.replace(inst, name=f"{inst.name}[{start}:{end}]", orders=orders, couriers=couriers)


@pytest.fixture
def replay_module(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.syspath_prepend(str(REPO_ROOT / "benchmarks" / "dispatch_live"))
    import replay

    yield replay
    sys.modules.pop("replay", None)
    sys.modules.pop("tick", None)


def test_two_hours_of_a_real_day_through_the_live_loop_are_all_delivered_within_the_rules(
        shared_dir: Path, tmp_path: Path, backend: str, request: pytest.FixtureRequest,
        replay_module) -> None:  # type: ignore[no-untyped-def]
    inst = _slice(read_instance(shared_dir / "benchmarks" / "mdrp" / "instances" / "0o50t100s2p100"), 660, 780)
    assert len(inst.orders) >= 30
    url = database_url(backend, tmp_path, request)
    rp = replay_module.replay(inst, url, tmp_path, seed=0, policy="rolling")
    try:
        counts = ViolationCounts.of(check_solution(inst, rp.solution))
        assert (counts.left, counts.late, counts.rule_breaks, rp.broken) == (0, 0, 0, 0)
        assert len(rp.solution.orders) == len(inst.orders)
        live = compute_metrics(inst, rp.solution)["excess_mean"]
        sim = compute_metrics(inst, simulate(inst, "rolling", seed=0).solution)["excess_mean"]
        assert live <= sim + 1.0, (live, sim)  # the same engine, on the live snapshot
    finally:
        rp.app.close()
