"""Parsing speed of allo.ordering on one core, with a baseline measured in the same process.

    python benchmarks/ordering/speed.py [--seconds S]

Messages: the French order messages (benchmarks/orders_fr) against the demo catalogs, and the PIZZA
dev utterances against the PIZZA catalog when ../shared is present. Parsers are built first (not
timed). The baseline is a plain pass over the same messages: lower-case, regex word split and
str.split, the least any parser must do. Prints messages per second for both and their ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]

from allo.adapters.catalog_file import catalog_from_dict, load_catalog  # noqa: E402
from allo.demo import catalog_path  # noqa: E402
from allo.ordering import OrderParser  # noqa: E402

_WORD = re.compile(r"\w+")


def _module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def workload() -> list[tuple[OrderParser, str]]:
    build_catalog = _module("pizza_build_catalog", ROOT / "benchmarks" / "pizza" / "build_catalog.py")
    fr_eval = _module("orders_fr_evaluate", ROOT / "benchmarks" / "orders_fr" / "evaluate.py")

    jobs: list[tuple[OrderParser, str]] = []
    parsers: dict[str, OrderParser] = {}
    for path in (ROOT / "benchmarks" / "orders_fr" / "messages.txt", ROOT / "benchmarks" / "orders_fr" / "holdout.txt"):
        for shop, message, _ in fr_eval.read_cases(path):
            if shop not in parsers:
                parsers[shop] = OrderParser(load_catalog(catalog_path(shop)))
            jobs.append((parsers[shop], message))
    dev = build_catalog.DEFAULT_DIR / "dev.json"
    if dev.is_file():
        pizza = OrderParser(catalog_from_dict(build_catalog.build()), default_language="en")
        for line in dev.read_text(encoding="utf-8").splitlines():
            jobs.append((pizza, json.loads(line)["dev.SRC"]))
    return jobs


def rate(fn, jobs, seconds: float) -> float:
    """Messages per second of fn over the jobs, repeated for at least `seconds`."""
    done, start = 0, time.perf_counter()
    while True:
        for parser, message in jobs:
            fn(parser, message)
        done += len(jobs)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def baseline(_parser: OrderParser, message: str) -> None:
    low = message.lower()
    _WORD.findall(low)
    low.split()


def parse(parser: OrderParser, message: str) -> None:
    parser.parse(message)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    jobs = workload()
    for parser, message in jobs:  # warm the per-parser caches once, as a running service would
        parser.parse(message)
    base = rate(baseline, jobs, args.seconds)
    ours = rate(parse, jobs, args.seconds)
    print(f"messages: {len(jobs)}")
    print(f"baseline (lower + regex split + str.split): {base:,.0f} messages/s")
    print(f"allo.ordering OrderParser.parse: {ours:,.0f} messages/s")
    print(f"ratio parse/baseline: 1/{base / ours:.0f}")


if __name__ == "__main__":
    main()
