"""Folding what the parser understood into the draft, and turning every doubt into a question."""

from __future__ import annotations

from dataclasses import asdict

from allo.domain.catalog import CatalogItem
from allo.domain.errors import NotFound
from allo.ordering.dialogue import intents
from allo.ordering.dialogue.state import ADDRESS_CHECKS, PICK_ITEM, LineState, Question
from allo.ordering.dialogue.suggest import closest_first, same_kind, suggest
from allo.ordering.dialogue.turn import Turn
from allo.ordering.draft import Draft, DraftLine
from allo.ordering.text import fold

MAX_QTY = 999  # the order line limit; large quantities are confirmed first (parser doubt)


def add_line(turn: Turn, line: LineState) -> None:
    """Add a line, merging it into an identical one (same item, options and removals)."""
    draft = turn.draft
    line.qty = max(1, min(line.qty, MAX_QTY))
    for n, old in enumerate(draft.lines):
        if old.sku == line.sku and old.options == line.options and sorted(old.without) == sorted(line.without):
            old.qty = min(old.qty + line.qty, MAX_QTY)
            draft.last_index = n
            break
    else:
        draft.lines.append(line)
        draft.last_index = len(draft.lines) - 1
    ask_missing_options(turn, draft.last_index)


def ask_missing_options(turn: Turn, index: int) -> None:
    """Queue a question for each option group the line needs and lacks (min > chosen)."""
    line = turn.draft.lines[index]
    item = turn.catalog.item(line.sku)
    for group in item.options:
        if len(line.options.get(group.group, [])) < group.min:
            turn.state.questions.append(
                Question(kind="pick_option", index=index, group=group.group, choices=[c.name for c in group.choices])
            )


def reorder(turn: Turn, lines: list[LineState]) -> bool:
    """"La même chose que la dernière fois": the last order's lines, at today's prices; an item the
    shop no longer sells is said so and left out. True when anything was added."""
    took = False
    for line in lines:
        if _available(turn, line.sku):
            add_line(turn, line.copy())
            took = True
        else:
            turn.say("no_longer_sold", item=_name(turn, line.sku))
    return took


def _item(turn: Turn, sku: str) -> CatalogItem | None:
    """The catalog's item `sku`, or None when the shop no longer sells it."""
    try:
        return turn.catalog.item(sku)
    except NotFound:
        return None


def _name(turn: Turn, sku: str) -> str:
    item = _item(turn, sku)
    return item.name if item is not None else sku


def _choice_by_word(turn: Turn, choices: list[str], text: str) -> int | None:
    """The one item offered that a word of the answer names and no other offered item does ("1000"
    for "Doliprane 1000 mg", "2 boxes of the 1000 please"); None when none or several are named."""
    names = [set(intents.tokens(_name(turn, sku))) for sku in choices]
    said = set(intents.tokens(text))
    named = {k for k, words in enumerate(names)
             if any(w in said and sum(w in other for other in names) == 1 for w in words)}
    return named.pop() if len(named) == 1 else None


def _picked(turn: Turn, sku: str, qty: int, said: str) -> LineState:
    """The item picked from a list, with the options the customer named with it ("marga grande":
    the Margherita, grande)."""
    for dl in turn.parser.parse(f"{turn.catalog.item(sku).name} {said}").lines:
        if dl.sku == sku:
            line = _from_draft_line(dl)
            line.qty = qty
            return line
    return LineState(sku=sku, qty=qty)


def _from_draft_line(dl: DraftLine) -> LineState:
    return LineState(sku=dl.sku or "", qty=dl.qty, options={k: list(v) for k, v in dl.options.items()},
                     without=list(dl.without))


_LEADING = frozenset("un une des du de d la le les l a an the some".split())
_TRAILING = frozenset("please pls plz svp stp merci thanks thx".split())


def shown(text: str) -> str:
    """The words to quote back: "1 aspirine" -> "aspirine", "du caviar" -> "caviar"."""
    words = text.split()
    while len(words) > 1 and (words[0].isdigit() or fold(words[0]).strip("'") in _LEADING):
        words.pop(0)
    while len(words) > 1 and fold(words[-1]).strip("!.,") in _TRAILING:
        words.pop()
    return " ".join(words)


def _ask_about_text(turn: Turn, text: str, qty: int, candidates: list[str]) -> None:
    """An item we could not pin down: offer candidates or the closest items, or say we lack it."""
    text = shown(text)
    available = [s for s in candidates if _available(turn, s)]
    if candidates and not available:  # "doliprane", the 500 and the 1000 both sold out
        _sold_out(turn, LineState(sku=candidates[0], qty=qty), named=" / ".join(_name(turn, s) for s in candidates))
        return
    skus = closest_first(turn.catalog, text, available) if available else suggest(turn.catalog, text)
    if skus:
        turn.state.questions.append(Question(kind="pick_item", text=text, qty=qty, choices=skus))
    else:
        turn.say("no_match", text=text, items=turn.r.menu_lines(limit=4))


def _sold_out(turn: Turn, gone: LineState, nothing_instead: str = "sold_out", named: str | None = None) -> None:
    """An item the shop has run out of (`named`: the items the customer's words named, all sold out):
    offer the items in stock of its kind instead (the question says it is out of stock), or, with
    none, say `nothing_instead`."""
    named = named or _name(turn, gone.sku)
    instead = in_stock_instead(turn, gone.sku)
    if instead:
        turn.state.questions.append(Question(kind="instead_of", text=named, qty=gone.qty, choices=instead, line=gone))
    else:
        turn.say(nothing_instead, item=named)


def drop_sold_out(turn: Turn) -> bool:
    """Take out of the draft the lines of items sold out (or no longer sold) since they were added,
    each said so, with the closest items in stock offered instead. True when any was taken out."""
    draft = turn.draft
    gone = [ln for ln in draft.lines if not _available(turn, ln.sku)]
    if not gone:
        return False
    draft.lines = [ln for ln in draft.lines if _available(turn, ln.sku)]
    draft.last_index = len(draft.lines) - 1 if draft.lines else None
    for line in gone:
        _sold_out(turn, line, "sold_out_removed")
    return True


def in_stock_instead(turn: Turn, sku: str) -> list[str]:
    """Items in stock of the sold-out `sku`'s kind ("Doliprane 500 mg" for the 1000), in menu order."""
    return same_kind(turn.catalog, sku)


def _instead(turn: Turn, sku: str, qty: int, gone: LineState | None) -> LineState:
    """The item taken instead of a sold-out one, with the sold-out line's options it also offers
    ("2 reines grandes", the Reine sold out: 2 Margherita grandes) and its removals."""
    line = LineState(sku=sku, qty=qty)
    if gone is None:
        return line
    item = turn.catalog.item(sku)
    offered = {g.group: {c.name for c in g.choices} for g in item.options}
    for group, choices in gone.options.items():
        kept = [c for c in choices if c in offered.get(group, ())]
        if kept:
            line.options[group] = kept
    line.without = list(gone.without)
    return line


def _available(turn: Turn, sku: str) -> bool:
    item = _item(turn, sku)
    return item is not None and item.available


def suggest_items(turn: Turn, text: str) -> bool:
    """A message naming no item but close to some ("une pizza"): ask which. True when asked."""
    skus = suggest(turn.catalog, text, floor=0.75)
    if not skus:
        return False
    turn.state.questions.append(Question(kind="pick_item", text=text.strip(), qty=_qty_of(text), choices=skus))
    return True


def _qty_of(text: str) -> int:
    n = intents.number_in(text)
    return n if n is not None and 1 <= n <= MAX_QTY else 1


def absorb(turn: Turn, parsed: Draft, *, lines: bool = True) -> bool:
    """Merge a parsed message into the draft. Returns True when anything at all was taken in."""
    draft = turn.draft
    took = False
    if lines:
        pending_alts: list[DraftLine] = []
        for dl in [*parsed.lines, None]:
            if dl is not None and dl.sku and "alternative" in dl.doubts:
                pending_alts.append(dl)
                continue
            if pending_alts:  # "une margherita ou une reine": one question, not two
                skus = [s for s in dict.fromkeys(a.sku or "" for a in pending_alts) if _available(turn, s)]
                text = " / ".join(a.text for a in pending_alts)
                if skus:
                    turn.state.questions.append(Question(kind="pick_item", text=text, qty=pending_alts[0].qty,
                                                         choices=skus))
                else:  # every one named is sold out
                    _sold_out(turn, _from_draft_line(pending_alts[0]))
                pending_alts = []
                took = True
            if dl is None:
                break
            took = True
            if dl.sku is None:
                _ask_about_text(turn, dl.text, dl.qty, dl.candidates)
            elif not _available(turn, dl.sku):
                _sold_out(turn, _from_draft_line(dl))
            elif dl.confident:
                add_line(turn, _from_draft_line(dl))
            else:
                turn.state.questions.append(Question(kind="confirm_line", text=dl.text, line=_from_draft_line(dl)))
        for text in parsed.unknown:
            took = True
            _ask_about_text(turn, text, _qty_of(text), [])
    addr = parsed.address
    if addr.text:
        took = True
        turn.state.questions = [q for q in turn.state.questions if q.kind != "reuse_address"]
        draft.address_text = addr.text
        draft.address_label = None
        draft.location = None
    if addr.door_code:
        took = True
        draft.door_code = addr.door_code
    if addr.floor:
        took = True
        draft.floor = addr.floor
    for ins in addr.instructions:
        took = True
        if ins not in draft.instructions:
            draft.instructions.append(ins)
    if parsed.requested_time is not None and parsed.requested_time.text:
        took = True
        draft.requested_for_text = parsed.requested_time.text
        draft.requested_time = asdict(parsed.requested_time)
    for note in parsed.notes:
        took = True
        if note not in draft.notes:
            draft.notes.append(note)
    return took


def _match_choice(text: str, item: CatalogItem, group: str, choices: list[str]) -> int | None:
    idx = intents.choice_index(text, len(choices))
    if idx is not None:
        return idx
    f = intents.flat(text)
    for n, name in enumerate(choices):
        aliases = [name, *item.group(group).choice(name).aliases]
        if any(fold(a) == f or f" {fold(a)} " in f" {f} " for a in aliases):
            return n
    return None


def answer(turn: Turn, text: str) -> bool:
    """Try to read `text` as the answer to the first pending question; True when it was one."""
    q = turn.state.questions[0]
    if q.kind in PICK_ITEM:
        if intents.is_deny(text):
            turn.state.questions.pop(0)
            return True
        idx = intents.choice_index(text, len(q.choices))
        if idx is None and len(q.choices) == 1 and intents.is_confirm(text):
            idx = 0  # one item offered: "oui", "ok" take it
        qty = q.qty
        if idx is None:
            idx = _choice_by_word(turn, q.choices, text)  # "1000" for "Doliprane 1000 mg"
            qty = intents.leading_quantity(text) or qty  # "2 boxes of the 1000"
        if idx is not None:
            turn.state.questions.pop(0)
            sku = q.choices[idx]
            taken = _instead(turn, sku, qty, q.line) if q.kind == "instead_of" else _picked(turn, sku, qty, q.text)
            add_line(turn, taken)
            return True
        named = [dl for dl in turn.parser.parse(text).lines if dl.sku in q.choices and dl.confident]
        if len(named) == 1:  # answered by name: "la reine", "doliprane 1000"
            turn.state.questions.pop(0)
            line = _from_draft_line(named[0])
            if "qty_assumed" in named[0].doubts:
                line.qty = q.qty
            add_line(turn, line)
            return True
        return False
    if q.kind == "confirm_line":
        if intents.is_confirm(text) and q.line is not None:
            turn.state.questions.pop(0)
            add_line(turn, q.line)
            return True
        if intents.is_deny(text):
            turn.state.questions.pop(0)
            turn.say("retype_line", text=q.text)
            return True
        return False
    if q.kind == "pick_option":
        draft = turn.draft
        if q.index is None or q.group is None or q.index >= len(draft.lines):
            turn.state.questions.pop(0)
            return True
        line = draft.lines[q.index]
        idx = _match_choice(text, turn.catalog.item(line.sku), q.group, q.choices)
        if idx is None:
            return False
        turn.state.questions.pop(0)
        line.options.setdefault(q.group, []).append(q.choices[idx])
        return True
    if q.kind in ADDRESS_CHECKS:
        if intents.is_confirm(text):
            turn.state.questions.pop(0)
            draft = turn.draft
            draft.address_label = q.text
            draft.location = [float(q.choices[0]), float(q.choices[1])]
            return True
        if intents.is_deny(text):
            turn.state.questions.pop(0)
            turn.draft.address_text = None
            return True
        return False
    if q.kind == "reuse_address":
        last = turn.state.last_drop
        if intents.is_confirm(text) and last is not None:
            turn.state.questions.pop(0)
            draft = turn.draft
            draft.address_text, draft.address_label = last.address_text, last.address_label
            draft.location = list(last.location) if last.location else None
            draft.door_code = draft.door_code or last.door_code
            draft.floor = draft.floor or last.floor
            draft.instructions = draft.instructions or list(last.instructions)
            return True
        if intents.is_deny(text):
            turn.state.questions.pop(0)
            turn.draft.reuse_declined = True
            return True
        return False
    turn.state.questions.pop(0)  # a kind this version does not know: drop it
    return True


def ask(turn: Turn, q: Question) -> None:
    """Put the question `q` to the customer."""
    r = turn.r
    if q.kind == "pick_item":
        turn.say("pick_item", text=q.text, choices=r.item_choices(q.choices))
    elif q.kind == "instead_of":
        turn.say("instead_of", item=q.text, choices=r.item_choices(q.choices))
    elif q.kind == "confirm_line" and q.line is not None:
        turn.say("confirm_line", text=q.text, line=r.line(q.line))
    elif q.kind == "pick_option" and q.index is not None:
        item = turn.catalog.item(turn.draft.lines[q.index].sku)
        turn.say("pick_option", item=item.name, group=q.group, choices=r.choices(q.choices))
    elif q.kind in ADDRESS_CHECKS:
        turn.say(q.kind, label=q.text)
    elif q.kind == "reuse_address":
        turn.say("reuse_address", label=q.text)
