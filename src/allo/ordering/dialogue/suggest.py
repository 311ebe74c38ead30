"""Closest catalog items to words the parser could not place (standard library only)."""

from __future__ import annotations

from difflib import SequenceMatcher

from allo.domain.catalog import Catalog, CatalogItem
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
    scored: list[tuple[float, int, str]] = []
    for pos, item in enumerate(catalog.items):
        if not item.available:
            continue
        best = _closeness(item, query)
        if best >= floor:
            scored.append((best, -pos, item.sku))
    scored.sort(reverse=True)
    return [sku for _, _, sku in scored[:limit]]


def same_kind(catalog: Catalog, sku: str, limit: int = 3) -> list[str]:
    """Up to `limit` items in stock of the same kind as `sku`, in menu order, to offer instead of a
    sold-out item: those whose name opens with the same word (the other pizzas for a pizza, the
    Doliprane 500 for the 1000). A word shared elsewhere is no kinship (masks and plasters both
    come in a "boîte")."""
    head = [_words(i.name)[:1] for i in catalog.items if i.sku == sku]
    if not head or not head[0]:
        return []
    kin = [i.sku for i in catalog.items if i.sku != sku and i.available and _words(i.name)[:1] == head[0]]
    return kin[:limit]


def closest_first(catalog: Catalog, text: str, skus: list[str], *, named_from: float = 0.6,
                  keep_within: float = 0.25, at_least: int = 3) -> list[str]:
    """The parser's candidates for `text` ("marga grande": every pizza comes in grande), the closest
    first when some word names one (closeness `named_from` or more), those far behind it dropped
    (keeping `at_least`); as they were when none is named ("une grande")."""
    query = _words(text)
    if not query or len(skus) <= at_least:
        return skus
    items = {i.sku: i for i in catalog.items}
    scored = sorted(((_closeness(items[s], query) if s in items else 0.0, -k, s) for k, s in enumerate(skus)),
                    reverse=True)
    best = scored[0][0]
    if best < named_from:
        return skus
    return [s for rank, (score, _, s) in enumerate(scored) if rank < at_least or score >= best - keep_within]


def _closeness(item: CatalogItem, query: list[str]) -> float:
    """How well the message's words name `item` (0..1), by its name or any alias."""
    phrase = " ".join(query)
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
    return best
