"""Closest catalog items to words the parser could not place (standard library only)."""

from __future__ import annotations

from difflib import SequenceMatcher

from allo.domain.catalog import Catalog
from allo.ordering.dialogue.intents import tokens

# Words that say nothing about which item is meant.
_STOP = frozenset(
    "a an the un une des de du la le les l d some any and et ou or with avec sans without no pas please "
    "x je veux voudrais want would like i to for at au chez get can could have me my pour".split()
)


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _words(text: str) -> list[str]:
    return [t for t in tokens(text) if not t.isdigit() and t not in _STOP and len(t) > 2]


def suggest(catalog: Catalog, text: str, limit: int = 3, floor: float = 0.7) -> list[str]:
    """Up to `limit` skus whose name or aliases are closest to `text`, best first."""
    query = _words(text)
    if not query:
        return []
    phrase = " ".join(query)
    scored: list[tuple[float, int, str]] = []
    for pos, item in enumerate(catalog.items):
        if not item.available:
            continue
        best = 0.0
        for name in (item.name, *item.aliases):
            words = _words(name)
            if not words:
                continue
            whole = _ratio(phrase, " ".join(words))
            hits = [max(_ratio(q, w) for w in words) for q in query]
            per_word = sum(hits) / len(hits)
            # one word of the message names this kind of item ("pizza hawaii" -> the pizzas)
            kind = 0.8 if any(h >= 0.9 and len(q) >= 4 for h, q in zip(hits, query)) else 0.0
            best = max(best, whole, per_word * 0.95, kind)
        if best >= floor:
            scored.append((best, -pos, item.sku))
    scored.sort(reverse=True)
    return [sku for _, _, sku in scored[:limit]]
