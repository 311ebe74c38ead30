"""Summarise a bench CSV against the issue's targets and the README's reference points.

    .venv/bin/python benchmarks/mdrp/summarise.py benchmarks/mdrp/results.csv [--policy rolling] [--baseline greedy]

`--baseline greedy-jit` compares with the stronger just-in-time greedy (run the bench with `--policy greedy-jit`).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

# From ../shared/benchmarks/mdrp/README.md (reference evaluator on the Xo100t100s2p100 days).
FOODMATCH = {0: (28.80, 11.5), 1: (29.05, 13.4), 2: (29.22, 13.3), 3: (29.19, 11.2), 4: (32.02, 18.8)}
REYES = {0: (29.21, 13.3), 1: (30.06, 17.8), 2: (29.57, 14.7), 3: (29.54, 12.3), 4: (32.69, 23.0)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("csv", type=Path)
    ap.add_argument("--policy", default="rolling")
    ap.add_argument("--baseline", default="greedy")
    ap.add_argument("--seeds", nargs="*", type=Path, default=[], help="CSVs of the same policy run with other seeds")
    args = ap.parse_args()
    rows = list(csv.DictReader(args.csv.open()))
    mine = {r["instance"]: r for r in rows if r["policy"] == args.policy}
    base = {r["instance"]: r for r in rows if r["policy"] == args.baseline}
    f = float

    print(f"## {args.policy} on the Xo100t100s2p100 days\n")
    print("| day | LB mean | LB % >40 | ours mean | ours % >40 | excess | Δ% >40 vs LB | FoodMatch | Reyes re-impl. "
          f"| {args.baseline} (ours) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    ex, d40 = [], []
    for s in range(5):
        r = mine.get(f"{s}o100t100s2p100")
        if r is None:
            continue
        g = base.get(r["instance"])
        ex.append(f(r["excess_mean"]))
        d40.append(f(r["pct_over_40"]) - f(r["lb_pct_over_40"]))
        print(
            f"| {r['instance']} | {f(r['lb_mean']):.2f} | {f(r['lb_pct_over_40']):.1f} | {f(r['ctd_mean']):.2f} | "
            f"{f(r['pct_over_40']):.1f} | {ex[-1]:.2f} | {d40[-1]:+.1f} | {FOODMATCH[s][0]:.2f}, {FOODMATCH[s][1]:.1f} % | "
            f"{REYES[s][0]:.2f}, {REYES[s][1]:.1f} % | {f(g['ctd_mean']):.2f}, {f(g['pct_over_40']):.1f} % |" if g else "|"
        )
    if ex:
        print(f"\nmean excess over LB on these days: {sum(ex) / len(ex):.3f} min (target ≤ 0.6); "
              f"worst Δ% >40: {max(d40):+.1f} points (target ≤ 1.5)\n")

    print(f"## All instances ({len(mine)})\n")
    both = sorted(set(mine) & set(base))
    if both:
        em = sum(f(mine[i]["excess_mean"]) for i in both) / len(both)
        eb = sum(f(base[i]["excess_mean"]) for i in both) / len(both)
        print(f"- mean excess over LB: {args.policy} {em:.3f} min, {args.baseline} {eb:.3f} min, ratio {em / eb:.1%} (target ≤ 60 %)")
    for name, rs in ((args.policy, mine), (args.baseline, base)):
        short = [(i, int(r["orders"]) - int(r["delivered"]) - int(r.get("undeliverable", 0) or 0)) for i, r in rs.items()]
        short = [(i, n) for i, n in short if n > 0]
        over90 = [i for i, r in rs.items() if int(r.get("over_90_avoidable", 0) or 0) > 0]
        infeasible = [i for i, r in rs.items() if int(r["violations"]) > 0]
        print(f"- {name}: delivered {sum(int(r['delivered']) for r in rs.values())}/{sum(int(r['orders']) for r in rs.values())} "
              f"(undeliverable by any courier: {sum(int(r.get('undeliverable', 0) or 0) for r in rs.values())}); "
              f"instances short of deliverable orders: {len(short)} ({sum(n for _, n in short)} orders); "
              f"instances with an avoidable order over 90: {len(over90)} "
              f"({sum(int(r.get('over_90_avoidable', 0) or 0) for r in rs.values())} orders); checker violations on {len(infeasible)} instances; "
              f"max wall {max(f(r['wall_seconds']) for r in rs.values()):.2f} s")
        if short:
            print("  short: " + ", ".join(f"{i} ({n})" for i, n in sorted(short)))

    _split(args, mine, base)
    if args.seeds:
        _seed_spread(args, mine)


def _split(args: argparse.Namespace, mine: dict[str, dict[str, str]], base: dict[str, dict[str, str]]) -> None:
    """Tuning instances (library seeds 0-2) against the confirmation ones (seeds 3-4)."""
    print(f"\n## {args.policy} by instance seed (tuned on 0-2, confirmed on 3-4)\n")
    print(f"| instances | n | s2p100 days mean excess | mean excess | ratio to {args.baseline} | orders left | avoidable > 90 "
          "| instances not clean |")
    print("|---|---|---|---|---|---|---|---|")
    for label, digits in (("seeds 0-2", "012"), ("seeds 3-4", "34"), ("all", "01234")):
        names = [i for i in sorted(mine) if i[0] in digits]
        if not names:
            continue
        ex = [float(mine[i]["excess_mean"]) for i in names]
        key = [float(mine[i]["excess_mean"]) for i in names if i.endswith("o100t100s2p100")]
        gb = [float(base[i]["excess_mean"]) for i in names if i in base]
        left = sum(int(mine[i].get("undelivered_deliverable", 0) or 0) for i in names)
        o90 = sum(int(mine[i].get("over_90_avoidable", 0) or 0) for i in names)
        dirty = sum(1 for i in names if int(mine[i]["violations"]))
        ratio = f"{sum(ex) / sum(gb):.0%}" if len(gb) == len(ex) else "-"
        print(f"| {label} | {len(names)} | {sum(key) / max(1, len(key)):.3f} | {sum(ex) / len(ex):.3f} | {ratio} | "
              f"{left} | {o90} | {dirty} |")


def _seed_spread(args: argparse.Namespace, mine: dict[str, dict[str, str]]) -> None:
    runs = [mine] + [
        {r["instance"]: r for r in csv.DictReader(p.open()) if r["policy"] == args.policy} for p in args.seeds
    ]
    print(f"\n## {args.policy} over {len(runs)} seeds\n")
    print("| seed run | s2p100 days mean excess | worst Δ% >40 | all-120 mean excess | short of deliverable | avoidable violations (instances) |")
    print("|---|---|---|---|---|---|")
    for k, run in enumerate(runs):
        days = [run[f"{s}o100t100s2p100"] for s in range(5) if f"{s}o100t100s2p100" in run]
        ex = sum(float(r["excess_mean"]) for r in days) / len(days)
        d40 = max(float(r["pct_over_40"]) - float(r["lb_pct_over_40"]) for r in days)
        allx = sum(float(r["excess_mean"]) for r in run.values()) / len(run)
        short = sum(max(0, int(r["orders"]) - int(r["delivered"]) - int(r.get("undeliverable", 0) or 0)) for r in run.values())
        bad = sum(1 for r in run.values() if int(r["violations"]))
        name = "main CSV" if k == 0 else args.seeds[k - 1].name
        print(f"| {name} | {ex:.3f} | {d40:+.1f} | {allx:.3f} | {short} | {bad} |")


if __name__ == "__main__":
    main()
