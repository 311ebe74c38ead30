"""The live-loop benchmarks still run (a small city): every part of every tick is timed, every
tracking read, and every read of a city in service."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "dispatch_live" / "tick.py"


def test_the_tick_benchmark_times_every_part_of_every_tick() -> None:
    spec = importlib.util.spec_from_file_location("dispatch_live_tick", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["dispatch_live_tick"] = module
    spec.loader.exec_module(module)
    args = argparse.Namespace(orders=20, couriers=5, ticks=4, rate=12.0, policy="rolling", seed=0, database_url=None,
                              told=True, history=6)
    samples = module.run(args)
    assert len(samples["tick"]) == len(samples["snapshot"]) == 4
    assert len(samples["lateness"]) == 1  # once a minute: the first tick
    assert samples["engine"] and all(cpu >= 0 for _, cpu in samples["tick"])


def _script(name: str) -> ModuleType:
    """A benchmark script of benchmarks/dispatch_live, loaded as a module."""
    spec = importlib.util.spec_from_file_location(f"dispatch_live_{name}", SCRIPT.parent / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _script_next_to_tick(monkeypatch: pytest.MonkeyPatch, name: str) -> ModuleType:
    """A benchmark script that takes its city from tick.py, next to it."""
    monkeypatch.syspath_prepend(str(SCRIPT.parent))
    return _script(name)


def test_the_tracking_read_benchmark_times_every_read(monkeypatch: pytest.MonkeyPatch) -> None:
    module = _script_next_to_tick(monkeypatch, "tracking_read")
    try:
        samples = module.run(argparse.Namespace(jobs=6, waiting=4, reads=2, seed=0, database_url=None))
    finally:
        sys.modules.pop("tick", None)
    assert len(samples["with a job"]) == 12 and len(samples["waiting"]) == 8
    assert all(wall > 0 and cpu >= 0 for wall, cpu in samples["with a job"] + samples["waiting"])


def test_the_history_benchmark_times_every_read_on_a_city_in_service(monkeypatch: pytest.MonkeyPatch) -> None:
    module = _script_next_to_tick(monkeypatch, "history_reads")
    try:
        medians = module.city_reads(8, argparse.Namespace(repeat=2, seed=0, database_url=None))
    finally:
        sys.modules.pop("tick", None)
    assert set(medians) == set(module.READS) and all(ms >= 0 for ms in medians.values())


def test_the_demo_eta_benchmark_sets_doors_against_the_times_told() -> None:
    r = _script("demo_eta").run(argparse.Namespace(travel="monaco-streets", minutes=20, seed=0, rate=40.0, speed=20.0,
                                                   service="demo"))
    assert r["orders"] >= 10 and r["delivered"] >= 1 and len(r["ticks"]) >= 100
    assert len(r["vs_told"]) == r["delivered"] and len(r["click_to_door"]) == r["delivered"]
    assert len(r["vs_shown"]) >= r["delivered"]  # the tracking page seen at least once per order delivered
