"""`benchmarks/mdrp/fractional_travel.py`: the production policy under straight-line, fractional travel."""

from __future__ import annotations

from pathlib import Path

from allo.simulation.instance import write_instance
from allo.simulation.metrics import compute_metrics
from allo.simulation.simulator import simulate

from tests.unit.simulation.sim_builders import benchmark_script, tiny_instance


def test_fractional_travel_delivers_the_day_faster_than_whole_minutes_and_within_its_bound(tmp_path: Path) -> None:
    script, fractional_lb = benchmark_script("fractional_travel"), benchmark_script("fractional_lb")
    inst = tiny_instance()
    folder = tmp_path / "tiny"
    write_instance(inst, folder)
    name, seed, delivered, orders, mean, over_40 = script.run((str(folder), 0))
    assert (name, seed, delivered, orders) == ("tiny", 0, 8, 8)
    whole = compute_metrics(inst, simulate(inst, "rolling", seed=0).solution)["ctd_mean"]
    _, fractional_bound = fractional_lb.bounds(folder)
    assert fractional_bound <= mean < whole
    assert over_40 == 0.0
