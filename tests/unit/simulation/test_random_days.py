"""Random small days with edge cases (see `random_instance`) through every policy: whatever the day,
no rule is broken, every order is accounted for once, and the production policy leaves no more
orders than the baselines."""

from functools import cache

import pytest

from allo.simulation.checker import ViolationCounts, check_solution, undeliverable
from allo.simulation.simulator import SimulationResult, simulate
from tests.unit.simulation.sim_builders import random_instance

SEEDS = range(16)
POLICIES = ("greedy", "greedy-jit", "rolling")


@cache
def _run(seed: int, policy: str) -> SimulationResult:
    return simulate(random_instance(seed), policy, seed=seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_random_day_breaks_no_rule_and_loses_no_order(seed: int) -> None:
    inst = random_instance(seed)
    for policy in POLICIES:
        res = _run(seed, policy)
        counts = ViolationCounts.of(check_solution(inst, res.solution))
        assert counts.rule_breaks == 0, policy
        delivered = [r.order_id for r in res.solution.orders]
        assert sorted(delivered + res.undelivered) == sorted(inst.orders), policy
        assert counts.left == len(set(res.undelivered) - undeliverable(inst)), policy


def test_on_random_days_the_production_policy_leaves_no_more_orders_than_the_baselines() -> None:
    left = dict.fromkeys(POLICIES, 0)
    for seed in SEEDS:
        inst = random_instance(seed)
        impossible = undeliverable(inst)
        for policy in POLICIES:
            left[policy] += len(set(_run(seed, policy).undelivered) - impossible)
    assert left["greedy"] > 0  # the days are hard enough to tell the policies apart
    assert left["rolling"] <= left["greedy-jit"] and left["rolling"] <= left["greedy"]
