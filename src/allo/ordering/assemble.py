"""Group tags into order lines: quantities, items, options, negation scope, unknown words."""

from __future__ import annotations

from dataclasses import dataclass, field

from allo.ordering import cues
from allo.ordering.lexicon import ChoiceRef, Lexicon
from allo.ordering.tagger import FILLER, ITEM, NUM, OPT, WORD, Tag
from allo.ordering.text import key

_STARTERS = (cues.ART, cues.SOME)
MAX_SANE_QTY = 50


@dataclass(slots=True)
class RawLine:
    """A line being assembled: token span, quantity, item candidates, option and removal phrases."""

    start: int
    qty: int = 1
    qty_given: bool = False
    items: tuple[str, ...] = ()
    refs: list[ChoiceRef] = field(default_factory=list)
    neg_refs: list[ChoiceRef] = field(default_factory=list)
    neg_words: list[str] = field(default_factory=list)
    fuzzy: bool = False
    alternative: bool = False
    replaces: bool = False  # opened after "plutôt"/"en fait": may change an earlier line
    unknown_words: list[str] = field(default_factory=list)
    end: int = 0

    @property
    def empty(self) -> bool:
        return not self.items and not self.refs and not self.neg_refs and not self.neg_words

    def accepts(self, lexicon: Lexicon, ref: ChoiceRef) -> bool:
        if self.items:
            return any(s in ref.skus for s in self.items)
        return all(any(s in r.skus for s in ref.skus) for r in self.refs) if self.refs else True

    def filled(self, lexicon: Lexicon, ref: ChoiceRef) -> bool:
        """True when ref's group takes one choice only and this line already has another one."""
        sku = self.items[0] if self.items else next(iter(ref.skus))
        lo_hi = lexicon.groups.get(sku, {}).get(ref.group)
        if lo_hi is None or lo_hi[1] > 1:
            return False
        return any(r.group == ref.group and r.choice != ref.choice for r in self.refs)


class Assembler:
    """One pass over the tags of one message. Not shared between messages."""

    def __init__(self, tags: list[Tag], tokens: list[str], lexicon: Lexicon) -> None:
        self.tags = tags
        self.tokens = tokens
        self.lex = lexicon
        self.lines: list[RawLine] = []
        self.cur: RawLine | None = None
        self.neg = False
        self.with_ctx = False
        self.negated = 0  # options negated since the negation began
        self.correcting = False
        self.alt_pending = False
        self.split_parent: RawLine | None = None
        self.unknown: list[str] = []

    # -- helpers ---------------------------------------------------------------------------
    def _next(self, k: int) -> int:
        """Index of the next tag after k that is not a filler (len(tags) at the end)."""
        k += 1
        while k < len(self.tags) and self.tags[k].kind == FILLER:
            k += 1
        return k

    def _prev(self, t: Tag) -> int:
        """Index of the last non-filler tag before tag t (-1 at the start)."""
        k = t.idx - 1
        while k >= 0 and self.tags[k].kind == FILLER:
            k -= 1
        return k

    def _kind(self, k: int) -> str | None:
        return self.tags[k].kind if k < len(self.tags) else None

    def _new_line(self, start: int, qty: int | None) -> RawLine:
        line = RawLine(start=start, qty=qty if qty is not None else 1, qty_given=qty is not None)
        line.alternative, self.alt_pending = self.alt_pending, False
        self.lines.append(line)
        self.cur = line
        self.neg = False
        self.with_ctx = False
        return line

    def _item_ahead(self, k: int) -> bool:
        """True when an item is named before the phrase that starts at k ends."""
        while k < len(self.tags):
            kind = self.tags[k].kind
            if kind == ITEM:
                return True
            if kind not in (OPT, FILLER, WORD, cues.AND):
                return False
            k += 1
        return False

    def _opens_line(self, k: int) -> bool:
        """Whether a quantity/article before tag k starts a new line rather than qualifying one."""
        kind = self._kind(k)
        if kind == ITEM:
            return True
        if kind == WORD:
            return True
        if kind != OPT:
            return False
        if self._item_ahead(k) or self.cur is None:
            return True
        ref_ok = [r for r in self.tags[k].choices if self.cur.accepts(self.lex, r)]
        if not ref_ok or any(self.cur.filled(self.lex, r) for r in ref_ok):
            return True
        one_only = all(self.lex.groups.get(s, {}).get(r.group, (0, 2))[1] == 1 for r in ref_ok for s in r.skus)
        return not (self.with_ctx or one_only)

    # -- the pass --------------------------------------------------------------------------
    def run(self) -> tuple[list[RawLine], list[str]]:
        k = 0
        while k < len(self.tags):
            k = self._step(k)
        return self.lines, self.unknown

    def _step(self, k: int) -> int:
        t = self.tags[k]
        kind = t.kind
        nxt = self._next(k)
        if kind == cues.NEG and t.text == "non":
            after = self._next(nxt) if self._kind(nxt) in (cues.AND, cues.SEP) else nxt
            if self._kind(after) in (NUM, cues.ART):
                kind = cues.CORR
        if kind == cues.CORR:
            self.correcting = True
            self.neg = False
            return k + 1
        if kind == cues.DONT and self._kind(nxt) in (NUM, cues.ART) and self.cur is not None and self.cur.items:
            return self._part_of(nxt)
        if kind in (NUM, cues.ART) and self._kind(nxt) in (cues.POS, cues.NEG):
            value = t.value if kind == NUM else 1
            if self._splits(nxt) and value is not None:
                parent = self.split_parent if self.split_parent in self.lines else self.cur
                if parent is not None and value <= parent.qty:
                    return self._part_of(k)
            if self.cur is not None and self.cur.items and value:
                # "a pepperoni pizza and one with sausage": another one of the same item
                same = self.cur.items
                self._new_line(t.start, value).items = same
                return k + 1
        if self.correcting and kind in (NUM, cues.ART):
            return self._correction(k, t, nxt)
        if kind in (*_STARTERS, NUM) and self._kind(nxt) == NUM and self._elliptic(k, nxt):
            return nxt + 1
        if kind == NUM:
            return self._number(k, t, nxt)
        if kind in _STARTERS:
            if kind == cues.SOME and not (self._kind(nxt) in (ITEM, WORD) or self._item_ahead(nxt) or self.cur is None):
                return k + 1
            if self.neg and self._kind(nxt) == OPT and not self._item_ahead(nxt):
                return k + 1
            if self._opens_line(nxt):
                self._new_line(t.start, 1 if kind == cues.ART else None)
            return k + 1
        if kind == ITEM:
            self._item(t, nxt)
        elif kind == OPT:
            self._option(t)
        elif kind == WORD:
            return self._words(k)
        elif kind in (cues.NEG, cues.OR + cues.NEG):
            if not self.neg:
                self.negated = 0
            self.neg = True
        elif kind == cues.POS:
            self.neg = False
            self.with_ctx = True
        elif kind == cues.AND:
            if self.neg and self._kind(nxt) != cues.NEG:
                last = self.cur.neg_refs[-1] if self.cur is not None and self.cur.neg_refs else None
                before = self.tags[k - 1].kind if k > 0 else None
                same_group = (
                    self._kind(nxt) == OPT and before == OPT and last is not None
                    and any(r.group == last.group for r in self.tags[nxt].choices) and not self._item_ahead(nxt)
                )
                # "sans oignons et poivrons": two words the catalog does not know, both removed
                both_words = before == WORD and self._kind(nxt) == WORD and not self._item_ahead(nxt)
                self.neg = same_group or both_words
        elif kind == cues.OR:
            if not self.neg and self.cur is not None:
                self.cur.alternative = True
                self.alt_pending = True
        elif kind in (cues.BUT, cues.SEP):
            self.neg = False
            if kind == cues.SEP:
                self.with_ctx = False
        if self.cur is not None and kind in (ITEM, OPT):
            self.cur.end = t.end
        return k + 1

    def _number(self, k: int, t: Tag, nxt: int) -> int:
        value = t.value or 0
        prev = self.tags[k - 1].kind if k > 0 else None
        if prev == cues.MUL and self.cur is not None and self.cur.items and (not self.cur.qty_given or self.cur.qty == 1):
            self.cur.qty, self.cur.qty_given = value, True  # "coca x3"
            return k + 1
        if self._kind(nxt) == cues.MUL:
            nxt = self._next(nxt)  # "2 x doliprane"
        if value == 0:
            self.neg = True  # "0 oignon"
            return k + 1
        if self._opens_line(nxt):
            self._new_line(t.start, value)
            return k + 1
        if self.cur is not None and self.cur.items and not self.cur.qty_given and self._kind(nxt) in (
            None, cues.SEP, cues.AND, "and",
        ):
            self.cur.qty, self.cur.qty_given = value, True  # "coca 2"
        return k + 1

    def _elliptic(self, k: int, num: int) -> bool:
        """"une boite de doli 1000 et une de 500": the last item's name with another number."""
        last = next((tg for tg in reversed(self.tags[:k]) if tg.kind == ITEM), None)
        value = self.tags[num].value
        if last is None or value is None or self._kind(self._next(num)) in (ITEM, OPT):
            return False
        probe = [key(last.text.split()[0]), str(value)]
        found = self.lex.match_at(probe, 0)
        if found is None or found[0] != 2 or not found[1]:
            return False
        t = self.tags[k]
        qty = t.value if t.kind == NUM else 1
        line = self._new_line(t.start, qty)
        line.items = found[1]
        line.end = self.tags[num].end
        return True

    def _part_of(self, k: int) -> int:
        """"deux margherita dont une grande", "2 pizzas, one with ham and one with olives": split a line."""
        t = self.tags[k]
        parent = self.split_parent if self.split_parent in self.lines else self.cur
        assert parent is not None
        n = t.value if t.kind == NUM and t.value is not None else 1
        if 0 < n < parent.qty:
            parent.qty -= n
            part = self._new_line(t.start, n)
            part.items, part.refs = parent.items, list(parent.refs)
            self.split_parent = parent
        elif n == parent.qty:
            self.cur = parent  # the last share is the rest of the line itself
            self.neg = False
        return k + 1

    def _splits(self, nxt: int) -> bool:
        """True when a number opens a share of the current line: "one with ham", "une sans oignons"."""
        parent = self.split_parent if self.split_parent in self.lines else self.cur
        if parent is None or not parent.items or self._kind(nxt) not in (cues.POS, cues.NEG):
            return False
        if parent is self.split_parent and parent is not self.cur:
            return True
        # a line that already has its toppings is not shared out: "two pizzas with ham and one with bacon"
        shareable = all(self.lex.groups.get(s, {}).get(r.group, (0, 2))[1] == 1 for r in parent.refs for s in parent.items)
        return parent.qty > 1 and shareable

    def _correction(self, k: int, t: Tag, nxt: int) -> int:
        """A quantity after "plutôt"/"en fait": change the last line, or open a replacing line."""
        self.correcting = False
        value = t.value if t.kind == NUM and t.value is not None else 1
        if self._kind(nxt) == cues.MUL:
            nxt = self._next(nxt)
        if self._kind(nxt) in (ITEM, OPT) or (self._kind(nxt) == WORD and self._item_ahead(nxt)):
            line = self._new_line(t.start, value)
            line.replaces = True
        elif self.cur is not None:
            self.cur.qty, self.cur.qty_given = value, True
        return k + 1

    def _settle_replacement(self, line: RawLine) -> None:
        """A line opened by a change of mind: update the earlier line of that item, or replace the last."""
        line.replaces = False
        earlier = [ln for ln in self.lines if ln is not line and set(ln.items) == set(line.items)]
        if earlier:
            earlier[-1].qty, earlier[-1].qty_given = line.qty, True
            self.lines.remove(line)
            self.cur = earlier[-1]
        elif len(self.lines) >= 2:
            self.lines.remove(self.lines[-2])

    def _item(self, t: Tag, nxt: int) -> None:
        cur = self.cur
        if t.choices and cur is not None and (self.neg or self.with_ctx or not cur.items):
            # A phrase that is both an item and an option: read it as an option when it fits here.
            if any(cur.accepts(self.lex, r) for r in t.choices) and (cur.items or self._kind(nxt) == ITEM):
                self._option(t)
                return
        prev = self.tags[self._prev(t)].kind if self._prev(t) >= 0 else None
        if cur is not None and cur.items and set(t.items) == set(cur.items) and prev not in (NUM, *_STARTERS, cues.AND):
            cur.end = t.end  # "pizza pie", "... and ham pizza": the same item named again
            self.neg = False
            return
        if self.neg and (cur is None or cur.items or cur.empty):
            # "pas de sucre", "2 baguettes sans sucre": an item named under a negation is not
            # ordered; it is reported, so that the dialogue asks instead of guessing
            self.unknown.append(" ".join(self.tokens[t.start : t.end]))
            return
        if cur is None or cur.items or (self.neg and not cur.empty):
            cur = self._new_line(t.start, None)
        compatible = tuple(s for s in t.items if all(s in r.skus for r in cur.refs))
        cur.items = compatible or t.items
        cur.fuzzy |= t.fuzzy
        self.neg = False
        if cur.replaces:
            self._settle_replacement(cur)

    def _option(self, t: Tag) -> None:
        refs = list(t.choices)
        cur = self.cur
        k = t.idx
        if self.neg and self.negated > 0 and self._item_ahead(k + 1):
            self.neg = False  # "without extra cheese in small pie": "small" describes the pie
        if self.neg:
            if cur is None:
                cur = self._new_line(t.start, None)
            ok = [r for r in refs if cur.accepts(self.lex, r)] or refs
            cur.neg_refs.extend(ok[:1] if cur.items else ok)
            self.negated += 1
            cur.fuzzy |= t.fuzzy
            return
        target = None
        if cur is not None:
            ok = [r for r in refs if cur.accepts(self.lex, r)]
            if ok and not any(cur.filled(self.lex, r) for r in ok):
                target, refs = cur, ok
            elif ok and cur.items:
                # a second size for the same item: another line of the same item
                target = self._new_line(t.start, None)
                target.items = cur.items
            else:
                for line in reversed(self.lines[:-1]):
                    ok2 = [r for r in refs if line.items and line.accepts(self.lex, r)]
                    if ok2 and not any(line.filled(self.lex, r) for r in ok2):
                        target, refs = line, ok2
                        break
        if target is None:
            target = self._new_line(t.start, None)
        target.refs.extend(refs)
        target.fuzzy |= t.fuzzy

    def _words(self, k: int) -> int:
        """A run of unknown words: reported when it stands where an item was expected."""
        j = k
        while j < len(self.tags) and self.tags[j].kind in (WORD, FILLER):
            j += 1
        words = [tg.text for tg in self.tags[k:j] if tg.kind == WORD]
        after = self._kind(j)
        cur = self.cur
        p = k - 1
        while p >= 0 and self.tags[p].kind == FILLER:
            p -= 1
        prev = self.tags[p].kind if p >= 0 else None
        line_waiting = cur is not None and cur.empty
        if self.neg and cur is not None:
            if after not in (ITEM, OPT):
                cur.neg_words.append(" ".join(words))
            return j
        if line_waiting and after not in (ITEM, OPT):
            self.unknown.append(" ".join(self.tokens[cur.start : self.tags[j - 1].end]))
            self.lines.remove(cur)
            self.cur = self.lines[-1] if self.lines else None
        elif (
            prev in (cues.AND, cues.POS, cues.OR) and cur is not None
            and after in (None, cues.SEP, cues.AND, NUM) and len(words) <= 3
        ):
            self.unknown.append(" ".join(words))
        elif (
            p == k - 1 and prev == ITEM and cur is not None and cur.items and cur.end == self.tags[p].end
            and after in (None, cues.SEP, cues.AND, NUM, *_STARTERS) and len(words) <= 2
        ):
            known = set().union(*(self.lex.item_words.get(s, frozenset()) for s in cur.items))
            # "une eau pétillante": a variant the catalog does not know (words of the item's own name are fine)
            cur.unknown_words.extend(w for w in words if key(w) not in known)
        return j
