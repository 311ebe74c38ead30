"""Write a synthetic MDRP day (default: 4,000 orders, 500 couriers) by merging the five full days.

    .venv/bin/python benchmarks/mdrp/make_synthetic.py --out benchmarks/mdrp/out/synthetic4000
"""

from __future__ import annotations

import argparse
from pathlib import Path

from allo.simulation.instance import read_instance, write_instance
from allo.simulation.synthetic import merge_days

SHARED = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "mdrp" / "instances"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/mdrp/out/synthetic4000"))
    ap.add_argument("--orders", type=int, default=4000)
    ap.add_argument("--couriers", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--courier-draw", choices=("shift-length", "uniform"), default="shift-length",
                    help="couriers drawn in proportion to their shift length (default) or all alike")
    ap.add_argument("--days", nargs="*", default=[f"{s}o100t100s2p100" for s in range(5)])
    ap.add_argument("--instances", type=Path, default=SHARED)
    args = ap.parse_args()
    days = [read_instance(args.instances / d) for d in args.days]
    inst = merge_days(days, orders=args.orders, couriers=args.couriers, seed=args.seed, name=args.out.name,
                      courier_draw=args.courier_draw)
    write_instance(inst, args.out)
    print(f"wrote {args.out}: {len(inst.orders)} orders, {len(inst.couriers)} couriers, {len(inst.restaurants)} restaurants")


if __name__ == "__main__":
    main()
