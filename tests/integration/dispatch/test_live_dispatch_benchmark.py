"""The live-dispatch benchmark still runs (a small city, a few ticks): every part is timed each tick."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "dispatch_live" / "tick.py"


def test_the_tick_benchmark_times_every_part_of_every_tick() -> None:
    spec = importlib.util.spec_from_file_location("dispatch_live_tick", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["dispatch_live_tick"] = module
    spec.loader.exec_module(module)
    args = argparse.Namespace(orders=20, couriers=5, ticks=4, rate=12.0, policy="rolling", seed=0, database_url=None)
    samples = module.run(args)
    assert len(samples["tick"]) == len(samples["snapshot"]) == 4
    assert samples["engine"] and all(cpu >= 0 for _, cpu in samples["tick"])
