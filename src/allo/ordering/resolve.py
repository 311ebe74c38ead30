"""Turn assembled lines into draft lines: choose the item, check options, score confidence."""

from __future__ import annotations

from allo.ordering.assemble import MAX_SANE_QTY, RawLine
from allo.ordering.draft import DraftLine
from allo.ordering.lexicon import ChoiceRef, Lexicon


def _candidates(line: RawLine, lexicon: Lexicon) -> list[str]:
    """Items the line can be: those named, else those offering every option mentioned."""
    refs = line.refs + line.neg_refs
    pool = list(line.items) if line.items else sorted({s for r in refs for s in r.skus})
    fits = [s for s in pool if all(s in r.skus for r in line.refs)]
    return fits or pool


def _choose(refs: list[ChoiceRef], sku: str) -> list[ChoiceRef]:
    return [r for r in refs if sku in r.skus]


def resolve_line(line: RawLine, lexicon: Lexicon, tokens: list[str]) -> DraftLine | None:
    """A DraftLine for one assembled line, or None when it holds nothing."""
    end = max(line.end, line.start + 1) + len(line.unknown_words)
    text = " ".join(tokens[line.start : end])
    if line.empty:
        return None
    cands = _candidates(line, lexicon)
    out = DraftLine(sku=None, qty=line.qty, text=text)
    if len(cands) == 1:
        out.sku = cands[0]
        if not line.items:
            out.doubt("inferred_item", 0.9)
    elif cands:
        out.candidates = cands
        out.doubt("ambiguous_item", 0.3)
        return out
    else:
        out.doubt("ambiguous_item", 0.2)
        return out
    sku = out.sku
    options: dict[str, list[str]] = {}
    for ref in line.refs:
        if sku in ref.skus:
            chosen = options.setdefault(ref.group, [])
            if ref.choice not in chosen:
                chosen.append(ref.choice)
    removed = {r.choice for r in line.neg_refs}
    for group in list(options):
        options[group] = [c for c in options[group] if c not in removed]  # "... and olives, but hold the olives"
        if not options[group]:
            del options[group]
    out.options = options
    without: list[str] = []
    for ref in line.neg_refs:
        if ref.choice not in without:
            without.append(ref.choice)
    for word in line.neg_words:
        if word not in without:
            without.append(word)
            out.doubt("unknown_removal", 0.7)
    out.without = without
    for group, (lo, hi) in lexicon.groups.get(sku, {}).items():
        n = len(options.get(group, []))
        if n > hi:
            out.doubt("conflict", 0.4)
        elif n < lo:
            out.doubt("missing_option", 0.6)
    if line.unknown_words:
        out.doubt("unknown_words", 0.5)
    if line.fuzzy:
        out.doubt("fuzzy", 0.75)
    if line.alternative:
        out.doubt("alternative", 0.4)
    if not line.qty_given:
        out.doubt("qty_assumed", 0.95)
    if line.qty > MAX_SANE_QTY:
        out.doubt("large_qty", 0.4)
    return out


def merge_orphans(lines: list[RawLine]) -> list[RawLine]:
    """A line that only removes things ("... and no onions") belongs to the line before it."""
    out: list[RawLine] = []
    for ln in lines:
        if out and not ln.items and not ln.refs and (ln.neg_refs or ln.neg_words):
            prev = out[-1]
            prev.neg_refs.extend(ln.neg_refs)
            prev.neg_words.extend(ln.neg_words)
            prev.end = max(prev.end, ln.end)
            continue
        out.append(ln)
    return out
