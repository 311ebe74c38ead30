"""One benchmark row per (instance, policy): simulate, check, measure."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from allo.simulation.checker import ViolationCounts, check_solution
from allo.simulation.instance import read_instance
from allo.simulation.metrics import compute_metrics
from allo.simulation.simulator import simulate

COLUMNS = [
    "instance", "policy", "orders", "delivered", "undeliverable", "ctd_mean", "ctd_p90", "pct_over_40",
    "pct_over_90", "excess_mean", "ready_to_pickup_mean", "pay_per_order", "utilisation", "orders_per_bundle",
    "wall_seconds", "cpu_seconds", "lb_mean", "lb_pct_over_40", "violations", "undelivered_deliverable",
    "over_90_avoidable", "epoch_ms_p50", "epoch_ms_p99", "rule_breaks",
]


def run_one(instance_dir: str, policy: str, seed: int = 0) -> dict[str, object]:
    """Simulate one instance with one policy; the row of the bench CSV."""
    inst = read_instance(instance_dir)
    res = simulate(inst, policy, seed=seed)
    m = compute_metrics(inst, res.solution)
    violations = check_solution(inst, res.solution)
    counts = ViolationCounts.of(violations)
    lat = np.array(res.epoch_latencies_ms or [0.0])
    return {
        "instance": inst.name, "policy": policy, "orders": int(m["orders"]), "delivered": int(m["delivered"]),
        "undeliverable": int(m["undeliverable"]),
        "ctd_mean": round(m["ctd_mean"], 3), "ctd_p90": round(m["ctd_p90"], 3),
        "pct_over_40": round(m["pct_over_target"], 3), "pct_over_90": round(m["pct_over_max"], 3),
        "excess_mean": round(m["excess_mean"], 3), "ready_to_pickup_mean": round(m["ready_to_pickup_mean"], 3),
        "pay_per_order": round(m["pay_per_order"], 3), "utilisation": round(m["utilisation"], 4),
        "orders_per_bundle": round(m["orders_per_bundle"], 4), "wall_seconds": round(res.wall_seconds, 3),
        "cpu_seconds": round(res.cpu_seconds, 3),
        "lb_mean": round(m["lb_mean"], 3), "lb_pct_over_40": round(m["lb_pct_over_target"], 3),
        "violations": len(violations),
        "undelivered_deliverable": counts.left, "over_90_avoidable": counts.late,
        "epoch_ms_p50": round(float(np.percentile(lat, 50)), 3), "epoch_ms_p99": round(float(np.percentile(lat, 99)), 3),
        "rule_breaks": counts.rule_breaks,
    }


def write_rows(rows: list[dict[str, object]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        for r in sorted(rows, key=lambda r: (str(r["instance"]), str(r["policy"]))):
            w.writerow(r)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))
