"""The words of one catalog: every item and option alias, indexed for longest-match lookup."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from allo.domain.catalog import Catalog
from allo.ordering.numbers import convert_number_words
from allo.ordering.text import fold, key, pre_rewrite, tokenize

_PUNCT = frozenset("+&,;.!?:\n")
_END = "\x00"
# Head nouns a customer often leaves out: "ranch" (sauce), "cheddar" (cheese), "stuffed" (crust).
GENERIC_HEADS = frozenset({"sauce", "cheese", "crust", "oil", "fromage", "pate", "style"})  # marks the end of a phrase in the trie
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def alias_keys(text: str) -> tuple[str, ...]:
    """Normalise an alias exactly as a message is normalised, and return its matching keys."""
    toks = convert_number_words(tokenize(pre_rewrite(fold(text.translate(_LIGATURES)))))
    return tuple(key(t) for t in toks if t not in _PUNCT)


@dataclass(frozen=True, slots=True)
class ChoiceRef:
    """An option choice a phrase can mean, and the items that offer it."""

    group: str
    choice: str
    skus: frozenset[str]


@dataclass(slots=True)
class Entry:
    """What one phrase can mean: items and/or option choices."""

    items: set[str] = field(default_factory=set)
    choices: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def meanings(self, in_stock: frozenset[str]) -> tuple[tuple[str, ...], tuple[ChoiceRef, ...]]:
        """The items this phrase names, those in stock only when it names any in stock ("doliprane"
        is the 500 when the 1000 is sold out, "doliprane 1000" is still the 1000), and its choices."""
        items = tuple(sorted((self.items & in_stock) or self.items))
        return items, tuple(ChoiceRef(g, c, frozenset(s)) for (g, c), s in self.choices.items())


@dataclass(frozen=True, slots=True)
class Match:
    """A phrase found in a message: tokens [start, end), its meanings, whether a typo was fixed."""

    start: int
    end: int
    items: tuple[str, ...]
    choices: tuple[ChoiceRef, ...]
    fuzzy: bool = False


class Lexicon:
    """Longest-match index over a catalog's aliases, with typo correction by rapidfuzz."""

    def __init__(self, catalog: Catalog, *, protected: frozenset[str] = frozenset()) -> None:
        entries: dict[tuple[str, ...], Entry] = {}
        self.groups: dict[str, dict[str, tuple[int, int]]] = {}
        self.names: dict[str, str] = {}
        self.item_words: dict[str, frozenset[str]] = {}
        in_stock = frozenset(i.sku for i in catalog.items if i.available)
        for item in catalog.items:  # sold out too, so the chat can say so (see Entry.meanings)
            self.names[item.sku] = item.name
            self.item_words[item.sku] = frozenset(w for a in (item.name, *item.aliases) for w in alias_keys(a))
            self.groups[item.sku] = {g.group: (g.min, g.max) for g in item.options}
            for alias in {item.name, item.sku, *item.aliases}:
                k = alias_keys(alias)
                if k:
                    entries.setdefault(k, Entry()).items.add(item.sku)
            for g in item.options:
                for c in g.choices:
                    for alias in {c.name, *c.aliases}:
                        k = alias_keys(alias)
                        if k:
                            entries.setdefault(k, Entry()).choices.setdefault((g.group, c.name), set()).add(item.sku)
        self._entries = {k: e.meanings(in_stock) for k, e in entries.items()}
        self.weak: frozenset[tuple[str, ...]] = self._add_short_forms(protected)
        self._trie: dict = {}
        for k in self._entries:
            node = self._trie
            for w in k:
                node = node.setdefault(w, {})
            node[_END] = k
        self.vocab = frozenset(w for k in self._entries for w in k)
        self._fuzzy_pool = sorted(w for w in self.vocab if w.isalpha() and len(w) >= 4)
        self._protected = protected
        self._fix_cache: dict[str, str | None] = {}

    def _add_short_forms(self, protected: frozenset[str]) -> frozenset[tuple[str, ...]]:
        """"ranch" for "ranch sauce", "cheddar" for "cheddar cheese": a name without its generic head
        noun, when it means one thing only. These phrases are weak (matched with lower confidence)."""
        starts: dict[str, set[tuple]] = {}
        for k, meaning in self._entries.items():
            if len(k) >= 2:
                starts.setdefault(k[0], set()).add(meaning)
        weak = set()
        for k, meaning in list(self._entries.items()):
            if len(k) != 2 or k[-1] not in GENERIC_HEADS:
                continue
            word = k[0]
            if (word,) in self._entries or starts.get(word) != {meaning} or word in protected or len(word) < 4:
                continue
            self._entries[(word,)] = meaning
            weak.add((word,))
        return frozenset(weak)

    def correct(self, word: str) -> str | None:
        """The catalog word `word` is probably a typo of, or None. Cached per lexicon."""
        if word in self._fix_cache:
            return self._fix_cache[word]
        fixed: str | None = None
        if len(word) >= 4 and word.isalpha() and word not in self._protected:
            best = process.extractOne(word, self._fuzzy_pool, scorer=fuzz.ratio, score_cutoff=80)
            if best is not None:
                cand, score = best[0], best[1]
                if cand[0] == word[0] or score >= 90:
                    fixed = cand
        self._fix_cache[word] = fixed
        return fixed

    def near(self, word: str, limit: int = 3) -> list[str]:
        """Catalog words close to `word` (for suggestions), best first."""
        found = process.extract(word, self._fuzzy_pool, scorer=fuzz.WRatio, limit=limit, score_cutoff=70)
        return [f[0] for f in found]

    def match_at(self, keys: list[str], i: int) -> tuple[int, tuple[str, ...], tuple[ChoiceRef, ...]] | None:
        """Longest phrase starting at token i: (length, items, choices), or None."""
        node = self._trie
        best = None
        for j in range(i, len(keys)):
            node = node.get(keys[j])
            if node is None:
                break
            if _END in node:
                best = node[_END]
        if best is None:
            return None
        items, choices = self._entries[best]
        return len(best), items, choices

    def accepts(self, sku: str, group: str) -> bool:
        return group in self.groups.get(sku, {})
