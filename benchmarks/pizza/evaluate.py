"""Score `allo parse` on a PIZZA file (JSON lines with *.SRC and *.EXR): unordered exact match.

    python benchmarks/pizza/evaluate.py PATH [--errors N] [--entities DIR]

Builds the catalog from the entity files (beside PATH if they are there, else
../shared/benchmarks/pizza, or --entities DIR) into benchmarks/pizza/out/,
runs `allo parse --lang en` once on all SRC utterances, turns each JSON answer into an EXR tree and
compares it with the gold tree, children of every node compared as multisets. A missing NUMBER is
read as (NUMBER 1) on both sides, as the dataset README says. Last line: `exact_match N/M (P %)`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_catalog  # noqa: E402

Tree = Any  # a str (atom) or a tuple (label, Counter-key of children)


def read_exr(text: str) -> Tree:
    """Parse an S-expression such as "(ORDER (PIZZAORDER (NUMBER 2 ) ...))" into nested lists."""
    tokens = text.replace("(", " ( ").replace(")", " ) ").split()
    pos = 0

    def node() -> Any:
        nonlocal pos
        tok = tokens[pos]
        pos += 1
        if tok != "(":
            return tok
        label = tokens[pos]
        pos += 1
        kids = []
        while tokens[pos] != ")":
            kids.append(node())
        pos += 1
        return [label, *kids]

    return node()


def canon(tree: Any) -> Any:
    """Order-free form: leaves keep their words joined, inner nodes become sorted tuples."""
    if isinstance(tree, str):
        return tree
    label, kids = tree[0], tree[1:]
    if all(isinstance(k, str) for k in kids):
        return (label, " ".join(kids))
    if label in ("PIZZAORDER", "DRINKORDER") and not any(isinstance(k, list) and k[0] == "NUMBER" for k in kids):
        kids = [*kids, ["NUMBER", "1"]]
    return (label, tuple(sorted((canon(k) for k in kids), key=repr)))


def line_to_exr(line: dict, group_of: dict[tuple[str, str], str]) -> list:
    sku = line["sku"]
    kids: list = [["NUMBER", str(line["qty"])]]

    def attr(group: str, name: str) -> list:
        if group == "size":
            return ["SIZE", name]
        if group == "style":
            return ["STYLE", name]
        if group == "topping":
            return ["TOPPING", name]
        if group.startswith("quantity_"):
            q = group.removeprefix("quantity_")
            return ["COMPLEX_TOPPING", ["QUANTITY", q], ["TOPPING", name.removeprefix(q + "_")]]
        if group == "container":
            return ["CONTAINERTYPE", name]
        if group == "volume":
            return ["VOLUME", name]
        return [group.upper(), name]

    for group, names in line["options"].items():
        kids.extend(attr(group, n) for n in names)
    for name in line["without"]:
        group = group_of.get((sku, name))
        if group:
            kids.append(["NOT", attr(group, name)])
    if sku == "PIZZA":
        return ["PIZZAORDER", *kids]
    return ["DRINKORDER", ["DRINKTYPE", sku], *kids]


def to_exr(answer: dict, group_of: dict[tuple[str, str], str]) -> list:
    return ["ORDER", *(line_to_exr(ln, group_of) for ln in answer["lines"])]


def allo_command() -> list[str]:
    """How to run `allo`: beside this Python, else the checkout's .venv, else PATH, else `-m`."""
    repo = Path(__file__).resolve().parents[2]
    for candidate in (Path(sys.executable).with_name("allo"), repo / ".venv" / "bin" / "allo"):
        if candidate.exists():
            return [str(candidate)]
    found = shutil.which("allo")
    return [found] if found else [sys.executable, "-m", "allo.entrypoints.cli.main"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--entities", type=Path, default=None, help="folder of the *.txt entity files")
    ap.add_argument("--errors", type=int, default=0, help="print up to N wrong answers")
    args = ap.parse_args()
    rows = [json.loads(x) for x in args.path.read_text(encoding="utf-8").splitlines() if x.strip()]
    src_key = next(k for k in rows[0] if k.endswith(".SRC"))
    exr_key = next(k for k in rows[0] if k.endswith(".EXR"))
    entities = args.entities or (
        args.path.parent if (args.path.parent / "topping.txt").is_file() else build_catalog.DEFAULT_DIR
    )
    catalog = build_catalog.write(entities)
    data = build_catalog.build(entities)
    group_of = {
        (item["sku"], c["name"]): g["group"] for item in data["items"] for g in item["options"] for c in g["choices"]
    }
    cmd = allo_command()
    stdin = "".join(r[src_key].replace("\n", " ") + "\n" for r in rows)
    proc = subprocess.run(
        [*cmd, "parse", "--catalog", str(catalog), "--lang", "en"], input=stdin, capture_output=True, text=True, check=True
    )
    answers = [json.loads(x) for x in proc.stdout.splitlines()]
    assert len(answers) == len(rows), "allo parse must answer one line per message"
    right = 0
    shown = 0
    kinds: Counter[str] = Counter()
    for row, ans in zip(rows, answers):
        gold = canon(read_exr(row[exr_key]))
        pred = canon(to_exr(ans, group_of))
        if gold == pred:
            right += 1
        elif shown < args.errors:
            shown += 1
            print(f"- {row[src_key]}\n  gold {row[exr_key]}\n  got  {json.dumps(ans['lines'])}")
        kinds["total"] += 1
    n = len(rows)
    print(f"exact_match {right}/{n} ({100 * right / n:.1f} %)")


if __name__ == "__main__":
    main()
