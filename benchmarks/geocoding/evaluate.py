#!/usr/bin/env python3
"""Geocoder hit rates with injected typos: BAN rows (../shared) and Monaco's named streets.

    .venv/bin/python benchmarks/geocoding/evaluate.py [--ban PATH] [--seed N]

A hit is the first result within 5 m of the true point (BAN) or on the right street (Monaco);
"accepted" counts hits scored at least 0.8, "wrong accepted" misses scored at least 0.8.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from allo.adapters.geo.gazetteer import Gazetteer
from allo.adapters.geo.loaders import load_monaco_gazetteer, monaco_file, read_ban_csv
from allo.adapters.geo.normalise import street_key
from allo.domain.geo import LatLon, haversine_m
from allo.services.ports.geocoder import GeocodeQuery, GeocodeResult

REPO = Path(__file__).resolve().parents[2]
ABBREVIATIONS = {"avenue": "av", "boulevard": "bd", "route": "rte", "chemin": "ch", "allée": "all",
                 "place": "pl", "rue": "r"}
ACCEPT = 0.8


def typo(text: str, rng: random.Random) -> str:
    chars = list(text)
    i = rng.randrange(len(chars))
    op = rng.choice("dsi")
    if op == "d":
        del chars[i]
    elif op == "s":
        chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
    else:
        chars.insert(i, rng.choice("abcdefghijklmnopqrstuvwxyz"))
    return "".join(chars)


def abbreviate(name: str) -> str:
    words = name.split()
    words[0] = ABBREVIATIONS.get(words[0].lower(), words[0])
    return " ".join(words).lower()


def variants(rng: random.Random) -> list[tuple[str, Callable[[str], str]]]:
    return [
        ("exact", lambda s: s),
        ("abbreviated, lower case", abbreviate),
        ("one typo", lambda s: typo(s, rng)),
        ("abbreviated + one typo", lambda s: typo(abbreviate(s), rng)),
        ("two typos", lambda s: typo(typo(s, rng), rng)),
    ]


def report(label: str, outcomes: list[tuple[bool, float]], seconds: float) -> None:
    n = len(outcomes)
    hits = sum(h for h, _ in outcomes)
    accepted = sum(h and s >= ACCEPT for h, s in outcomes)
    wrong = sum((not h) and s >= ACCEPT for h, s in outcomes)
    print(f"  {label:26s} hit {hits:4d}/{n}  accepted {accepted:4d}  wrong accepted {wrong:2d}  "
          f"{1000 * seconds / n:.2f} ms/query")


def top(g: Gazetteer, text: str) -> GeocodeResult | None:
    res = g.geocode(GeocodeQuery(text))
    return res[0] if res else None


def ban(path: Path, rng: random.Random) -> None:
    rows = list(read_ban_csv(path))
    g = Gazetteer(rows)
    print(f"BAN {path.name}: {len(rows)} rows, {len(g)} streets, samples of 200")
    for label, make in variants(rng):
        outcomes, started = [], time.perf_counter()
        for r in rng.sample(rows, 200):
            best = top(g, f"{r.housenumber} {make(r.street)}")
            hit = best is not None and haversine_m(best.position, LatLon(r.lat, r.lon)) < 5.0
            outcomes.append((hit, best.score if best else 0.0))
        report(label, outcomes, time.perf_counter() - started)
    errors = []
    for r in rng.sample(rows, 100):
        held_out = Gazetteer([x for x in rows if (x.street, x.housenumber) != (r.street, r.housenumber)])
        best = top(held_out, f"{r.housenumber} {r.street}")
        if best is not None:
            errors.append(haversine_m(best.position, LatLon(r.lat, r.lon)))
    errors.sort()
    print(f"  held-out numbers: {len(errors)}/100 placed, median error {statistics.median(errors):.1f} m, "
          f"90th percentile {errors[int(0.9 * len(errors))]:.1f} m")


def monaco(rng: random.Random) -> None:
    g = load_monaco_gazetteer()
    data = json.loads(monaco_file("streets.geojson").read_text(encoding="utf-8"))
    names = sorted({f["properties"]["name"] for f in data["features"]
                    if f["properties"]["name"] and f["properties"]["city"] == "Monaco"})
    print(f"Monaco: {len(names)} named streets, a random number 1-40 each")
    for label, make in variants(rng):
        outcomes, started = [], time.perf_counter()
        for name in names:
            best = top(g, f"{rng.randint(1, 40)} {make(name)}")
            hit = best is not None and street_key(_street_of(best)) == street_key(name)
            outcomes.append((hit, best.score if best else 0.0))
        report(label, outcomes, time.perf_counter() - started)


def _street_of(result: GeocodeResult) -> str:
    head = result.label.split(",")[0].split(" ", 1)
    street = head[1] if head[0][:1].isdigit() and len(head) > 1 else result.label.split(",")[0]
    return street.removeprefix("bis ").removeprefix("ter ")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ban", type=Path, default=REPO.parent / "shared" / "data" / "ban" / "adresses-54084.csv")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.ban.exists():
        ban(args.ban, random.Random(args.seed))
    else:
        print(f"BAN file {args.ban} not found: skipped")
    monaco(random.Random(args.seed))


if __name__ == "__main__":
    main()
