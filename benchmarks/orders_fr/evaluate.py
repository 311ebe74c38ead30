"""Score `allo parse` on the French order messages (messages.txt) against the demo catalogs.

    python benchmarks/orders_fr/evaluate.py [PATH] [--errors N]

A message is right when all of these hold: the lines are the expected ones (compared as a multiset of
sku, qty, options and removed words, order free), the door code is the expected one, an address is
found exactly when one is expected, `unknown` is non-empty exactly when doubt is expected, and the
language is French. Last line: `exact_match N/M (P %)`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
CATALOGS = HERE.parents[1] / "src" / "allo" / "demo" / "catalogs"


def _line_key(sku: str, qty: int, options: dict[str, list[str]], without: list[str]) -> tuple:
    opts = tuple(sorted((g, tuple(sorted(c))) for g, c in options.items() if c))
    return (sku, qty, opts, tuple(sorted(without)))


def parse_expectation(text: str) -> dict:
    """"SKU*2 group=a,b -removed ; SKU | code=1234 addr unknown" -> a comparable dict."""
    body, _, flags = text.partition("|")
    lines = []
    for chunk in body.split(";"):
        words = chunk.split()
        if not words:
            continue
        sku, _, qty = words[0].partition("*")
        options: dict[str, list[str]] = {}
        without: list[str] = []
        for w in words[1:]:
            w = w.replace("_", " ")
            if w.startswith("-"):
                without.append(w[1:])
            else:
                group, _, choices = w.partition("=")
                options.setdefault(group, []).extend(choices.split(","))
        lines.append(_line_key(sku, int(qty or 1), options, without))
    flag_words = flags.split()
    code = next((f.split("=", 1)[1] for f in flag_words if f.startswith("code=")), None)
    lang = next((f.split("=", 1)[1] for f in flag_words if f.startswith("lang=")), "fr")
    return {
        "lines": Counter(lines), "door_code": code, "addr": "addr" in flag_words,
        "unknown": "unknown" in flag_words, "language": lang,
    }


def read_cases(path: Path) -> list[tuple[str, str, str]]:
    """(shop, message, expectation) triples from the messages file."""
    cases: list[tuple[str, str, str]] = []
    shop, message = "", None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            shop = line[1:].strip()
        elif line.startswith("="):
            if message is None:
                raise ValueError(f"expectation without a message: {line}")
            cases.append((shop, message, line[1:].strip()))
            message = None
        else:
            message = line
    return cases


def allo_command() -> list[str]:
    """How to run `allo`: beside this Python, else the checkout's .venv, else PATH, else `-m`."""
    repo = Path(__file__).resolve().parents[2]
    for candidate in (Path(sys.executable).with_name("allo"), repo / ".venv" / "bin" / "allo"):
        if candidate.exists():
            return [str(candidate)]
    found = shutil.which("allo")
    return [found] if found else [sys.executable, "-m", "allo.entrypoints.cli.main"]


def run_parse(catalog: Path, messages: list[str]) -> list[dict]:
    cmd = allo_command()
    proc = subprocess.run(
        [*cmd, "parse", "--catalog", str(catalog)], input="".join(m + "\n" for m in messages),
        capture_output=True, text=True, check=True,
    )
    return [json.loads(x) for x in proc.stdout.splitlines()]


def judge(answer: dict, expected: dict) -> list[str]:
    """What differs (empty when right)."""
    got = Counter(_line_key(x["sku"], x["qty"], x["options"], x["without"]) for x in answer["lines"])
    wrong = []
    if got != expected["lines"]:
        wrong.append("lines")
    if (answer["door_code"] or None) != expected["door_code"]:
        wrong.append("door_code")
    if (answer["address"] is not None) != expected["addr"]:
        wrong.append("address")
    if bool(answer["unknown"]) != expected["unknown"]:
        wrong.append("unknown")
    if answer["language"] != expected["language"]:
        wrong.append("language")
    return wrong


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", type=Path, nargs="?", default=HERE / "messages.txt")
    ap.add_argument("--errors", type=int, default=0, help="print up to N wrong answers")
    args = ap.parse_args()
    cases = read_cases(args.path)
    by_shop: dict[str, list[int]] = {}
    for i, (shop, _, _) in enumerate(cases):
        by_shop.setdefault(shop, []).append(i)
    answers: list[dict] = [{}] * len(cases)
    for shop, idx in by_shop.items():
        for i, ans in zip(idx, run_parse(CATALOGS / f"{shop}.yaml", [cases[i][1] for i in idx])):
            answers[i] = ans
    right, shown = 0, 0
    per_shop: Counter[str] = Counter()
    for (shop, message, exp), ans in zip(cases, answers):
        wrong = judge(ans, parse_expectation(exp))
        if not wrong:
            right += 1
            per_shop[shop] += 1
        elif shown < args.errors:
            shown += 1
            print(f"- [{shop}] {message}\n  want {exp}\n  got  {json.dumps(ans, ensure_ascii=False)}\n  wrong: {wrong}")
    for shop, idx in by_shop.items():
        print(f"{shop}: {per_shop[shop]}/{len(idx)}")
    n = len(cases)
    print(f"exact_match {right}/{n} ({100 * right / n:.1f} %)")


if __name__ == "__main__":
    main()
