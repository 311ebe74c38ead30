"""Changes to a draft before confirmation: remove a line, change a quantity, swap an item."""

from __future__ import annotations

import re

from allo.ordering.dialogue import intents
from allo.ordering.dialogue.drafting import MAX_QTY, absorb, add_line
from allo.ordering.dialogue.state import LineState
from allo.ordering.dialogue.turn import Turn
from allo.ordering.draft import Draft
from allo.ordering.text import fold, key

# Words that never name an item ("enlève LE coca", "make IT 3").
_FILLER = frozenset(
    "le la les l un une des du de d a an the it that this one ones them it s make plutot finalement en fait "
    "instead actually rather change mets put only seulement juste remove enleve enlever retire retirer "
    "supprime supprimer ote drop delete take off out away annule annuler cancel please merci thanks et and "
    "no more pas without plus".split()
)


def _item_words(turn: Turn, sku: str) -> set[str]:
    item = turn.catalog.item(sku)
    words: set[str] = set()
    for name in (item.name, *item.aliases):
        words.update(key(w) for w in intents.tokens(name) if not w.isdigit())
    return words


def _lines_named(turn: Turn, text: str) -> list[int]:
    """Indexes of draft lines whose item is named by a word of `text` ("pizzas" -> every pizza)."""
    words = {key(w) for w in intents.tokens(text) if not w.isdigit() and w not in _FILLER and len(w) > 2}
    if not words:
        return []
    return [n for n, ln in enumerate(turn.draft.lines) if words & _item_words(turn, ln.sku)]


def _parsed_skus(parsed: Draft) -> list[tuple[str, int | None]]:
    """(sku, qty if said) for each parsed line naming an item."""
    out = []
    for dl in parsed.lines:
        qty = None if "qty_assumed" in dl.doubts else dl.qty
        if dl.sku:
            out.append((dl.sku, qty))
        else:
            out.extend((s, qty) for s in dl.candidates)
    return out


def remove(turn: Turn, text: str, parsed: Draft) -> bool:
    """"enlève le coca", "remove one coke": drop (or decrease) the lines named."""
    draft = turn.draft
    targets = [(n, q) for sku, q in _parsed_skus(parsed) for n, ln in enumerate(draft.lines) if ln.sku == sku]
    if not targets:
        targets = [(n, None) for n in _lines_named(turn, text)]
    if not targets and _ALL.search(intents.flat(text)):
        targets = [(n, None) for n in range(len(draft.lines))]
    if not targets:
        shown = " ".join(w for w in intents.tokens(text) if w not in _FILLER) or text.strip()
        turn.say("not_in_order", text=shown)
        return True
    gone: set[int] = set()
    for n, qty in targets:
        line = draft.lines[n]
        if qty is not None and qty < line.qty:
            line.qty -= qty
            draft.last_index = n
        else:
            gone.add(n)
    draft.lines = [ln for n, ln in enumerate(draft.lines) if n not in gone]
    if draft.last_index is not None and draft.last_index >= len(draft.lines):
        draft.last_index = len(draft.lines) - 1 if draft.lines else None
    turn.state.questions = [q for q in turn.state.questions if q.kind != "pick_option"]
    return True


def _similar(turn: Turn, a: str, b: str) -> bool:
    """Two items of a kind: the same option groups, or a shared word in their names ("Pizza ...")."""
    ia, ib = turn.catalog.item(a), turn.catalog.item(b)
    groups_a = {g.group for g in ia.options}
    if groups_a and groups_a == {g.group for g in ib.options}:
        return True
    wa = {key(w) for w in intents.tokens(ia.name) if len(w) > 2}
    wb = {key(w) for w in intents.tokens(ib.name) if len(w) > 2}
    return bool(wa & wb)


def _set_qty(turn: Turn, index: int, qty: int) -> None:
    if qty <= 0:  # "make it 0": the line goes
        del turn.draft.lines[index]
        turn.state.questions = [q for q in turn.state.questions if q.kind != "pick_option"]
        turn.draft.last_index = len(turn.draft.lines) - 1 if turn.draft.lines else None
        return
    if qty > MAX_QTY:
        turn.say("qty_too_large", qty=qty, max=MAX_QTY)
        qty = MAX_QTY
    turn.draft.lines[index].qty = max(1, qty)
    turn.draft.last_index = index


def change(turn: Turn, text: str, parsed: Draft) -> bool:
    """"plutôt 3", "make it 3", "finalement 2 pizzas", "plutôt une reine": change, not add."""
    draft = turn.draft
    done = False
    for dl in parsed.lines:
        if not dl.sku or not dl.confident:
            continue
        qty = None if "qty_assumed" in dl.doubts else dl.qty
        same = [n for n, ln in enumerate(draft.lines) if ln.sku == dl.sku]
        if same:
            n = same[-1]
            if qty is not None:
                _set_qty(turn, n, qty)
            for group, choices in dl.options.items():
                draft.lines[n].options[group] = list(choices)
            for w in dl.without:
                if w not in draft.lines[n].without:
                    draft.lines[n].without.append(w)
            draft.last_index = n
            done = True
            continue
        like = [n for n, ln in enumerate(draft.lines) if _similar(turn, ln.sku, dl.sku)]
        if like:
            n = draft.last_index if draft.last_index in like else like[-1]
            old = draft.lines[n]
            groups = {g.group for g in turn.catalog.item(dl.sku).options}
            options = {g: c for g, c in old.options.items() if g in groups}
            options.update({g: list(c) for g, c in dl.options.items()})
            draft.lines[n] = LineState(sku=dl.sku, qty=qty or old.qty, options=options, without=list(dl.without))
            draft.last_index = n
        else:
            add_line(turn, LineState(sku=dl.sku, qty=dl.qty, options=dict(dl.options), without=list(dl.without)))
        done = True
    if done:
        absorb(turn, parsed, lines=False)
        return True
    if parsed.address.text or parsed.address.door_code or parsed.address.floor or parsed.requested_time:
        return absorb(turn, parsed, lines=False)  # "plutôt au 5 rue Grimaldi", "plutôt pour 21h"
    qty = intents.number_in(text)
    if qty is None or not draft.lines:
        return False
    named = _lines_named(turn, text)
    if named:
        index = draft.last_index if draft.last_index in named else named[-1]
    elif draft.last_index is not None and draft.last_index < len(draft.lines):
        index = draft.last_index
    else:
        index = len(draft.lines) - 1
    _set_qty(turn, index, qty)
    absorb(turn, parsed, lines=False)
    return True


_ALL = re.compile(r"\b(?:tout|tous|toutes|everything|all|it all)\b")
_NEGATION = re.compile(r"\b(?:sans|pas de|pas d|no|without|hold the|hold|remove|enleve|retire|minus)\s+$")


def _choice_mentions(turn: Turn, sku: str, folded: str) -> list[tuple[str, str, int]]:
    """(group, choice name, position) for each option choice of `sku` named in the folded message."""
    found: list[tuple[str, str, int]] = []
    taken: list[tuple[int, int]] = []
    names = []
    for group in turn.catalog.item(sku).options:
        for choice in group.choices:
            for alias in {choice.name, *choice.aliases}:
                names.append((len(alias), group.group, choice.name, fold(alias)))
    for _, group_name, choice_name, alias in sorted(names, reverse=True):
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(alias)}[sx]?(?![a-z0-9])", folded):  # "grandes"
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((group_name, choice_name, m.start()))
    return sorted(found, key=lambda f: f[2])


_LEAVE_OUT = re.compile(r"(?:sans|without|no|pas de|pas d|hold the)\s+(?P<what>[a-z][a-z ]{1,40}?)"
                        r"(?:\s+(?:svp|stp|please|merci|thanks|thx))*")


def _leave_out(turn: Turn, index: int, folded: str) -> bool:
    """"Sans oignons", "without basil", no option of that name: a removal written down for the kitchen
    on a dish (an item taking toppings, the line last touched first), as when said with the item ("une
    margherita sans oignons"). Not when the words name an item ("pas de coca" removes the coca)."""
    m = _LEAVE_OUT.fullmatch(folded)
    if m is None or any(dl.sku or dl.candidates for dl in turn.parser.parse(m.group("what")).lines):
        return False
    lines = turn.draft.lines
    dishes = [n for n, ln in enumerate(lines)  # a dish takes toppings (several choices), a drink a size
              if any(g.max > 1 for g in turn.catalog.item(ln.sku).options)]
    if not dishes:
        return False
    index = index if index in dishes else dishes[-1]
    if m.group("what") not in lines[index].without:
        lines[index].without.append(m.group("what"))
    turn.draft.last_index = index
    return True


def modify_options(turn: Turn, text: str, parsed: Draft) -> bool:
    """"sans olives", "plutôt en grande", "avec supplément fromage": change options of a line."""
    draft = turn.draft
    if any(dl.sku and "inferred_item" not in dl.doubts for dl in parsed.lines) or not draft.lines:
        return False
    # an option only one item offers ("sèche": the cough syrup) names no new item but that one's line
    cands = {s for dl in parsed.lines for s in (dl.candidates or [dl.sku or ""])}
    lines = [n for n, ln in enumerate(draft.lines) if not cands or ln.sku in cands]
    if not lines:
        return False
    index = draft.last_index if draft.last_index in lines else lines[-1]
    line = draft.lines[index]
    folded = " ".join(intents.tokens(text))
    mentions = _choice_mentions(turn, line.sku, folded)
    if not mentions:
        return _leave_out(turn, index, folded)
    some = intents.leading_quantity(text)
    if some is not None and some < line.qty:  # "une sans champignons" of two: that one only
        line.qty -= some
        line = line.copy(qty=some)
        index += 1
        draft.lines.insert(index, line)
    item = turn.catalog.item(line.sku)
    negate_all = intents.edit_mode(text) == "remove"
    for group_name, choice, pos in mentions:
        chosen = line.options.setdefault(group_name, [])
        if negate_all or _NEGATION.search(folded[:pos]):
            if choice in chosen:
                chosen.remove(choice)
            elif choice not in line.without:
                line.without.append(choice)
        else:
            if choice in line.without:
                line.without.remove(choice)
            if item.group(group_name).max == 1:
                chosen[:] = [choice]
            elif choice not in chosen:
                chosen.append(choice)
    line.options = {g: c for g, c in line.options.items() if c}
    draft.last_index = index
    absorb(turn, parsed, lines=False)
    return True
