"""Turn normalised tokens into tags: catalog phrases, numbers, function words, unknown words."""

from __future__ import annotations

from dataclasses import dataclass

from allo.ordering import cues
from allo.ordering.lexicon import ChoiceRef, Lexicon
from allo.ordering.text import key

ITEM = "item"  # a phrase naming an item (and maybe also an option choice)
OPT = "opt"  # a phrase naming option choices only
NUM = "num"
WORD = "word"  # a word neither the catalog nor the grammar knows
FILLER = "filler"


@dataclass(slots=True)
class Tag:
    kind: str
    start: int
    end: int
    text: str
    value: int | None = None
    items: tuple[str, ...] = ()
    choices: tuple[ChoiceRef, ...] = ()
    fuzzy: bool = False
    idx: int = 0  # position in the tag list


def _cue_at(tokens: list[str], i: int) -> tuple[int, str] | None:
    if tokens[i] not in cues.CUE_FIRST_WORDS:
        return None
    n = len(tokens)
    for m in range(min(cues.CUES_MAX_LEN, n - i), 0, -1):
        kind = cues.CUES.get(tuple(tokens[i : i + m]))
        if kind is not None:
            return m, kind
    return None


_PRONOUNS = frozenset({"i", "you", "we", "u", "je", "tu", "vous", "nous"})
_MODALS = frozenset("can will may must could would should shall might peux veux peut veut dois doit".split())
_CLAUSE_START = frozenset(
    "and so but or please then how what where hi hello hey yes ok okay well et mais alors bonjour salut oui".split()
)


def _is_verb_use(tokens: list[str], i: int) -> bool:
    """A one-word catalog phrase used as a verb: "can i", "i can", "tu peux"."""
    before = tokens[i - 1] if i > 0 else ""
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    if tokens[i] not in _MODALS:
        return False
    return before in _PRONOUNS or after in _PRONOUNS


def _extend_overlap(
    lexicon: Lexicon, keys: list[str], i: int, m: int, items: tuple[str, ...]
) -> tuple[int, tuple[str, ...]]:
    """Join overlapping names of the same item: "tablettes de [chocolat] noir" -> one phrase."""
    if not items:
        return m, items
    j = i + 1
    while j < i + m:
        nxt = lexicon.match_at(keys, j)
        if nxt is not None and j + nxt[0] > i + m:
            common = tuple(s for s in items if s in nxt[1])
            if common:
                m, items = j + nxt[0] - i, common
        j += 1
    return m, items


def tag_tokens(tokens: list[str], lexicon: Lexicon) -> list[Tag]:
    """Tag every token: the longest catalog phrase or cue phrase wins, the catalog on a tie."""
    keys = [key(t) for t in tokens]
    fixed: set[int] = set()
    for i, (tok, k) in enumerate(zip(tokens, keys)):
        if k in lexicon.vocab or tok in cues.FILLERS or (tok,) in cues.CUES or not tok.isalpha():
            continue
        fix = lexicon.correct(k)
        if fix is not None:
            keys[i] = fix
            fixed.add(i)
    tags: list[Tag] = []
    i, n = 0, len(tokens)
    while i < n:
        lex = lexicon.match_at(keys, i)
        cue = _cue_at(tokens, i)
        if lex is not None and (cue is None or lex[0] >= cue[0]):
            m, items, choices = lex
            m, items = _extend_overlap(lexicon, keys, i, m, items)
            text = " ".join(tokens[i : i + m])
            if m == 1 and _is_verb_use(tokens, i):
                tags.append(Tag(FILLER, i, i + 1, text))
                i += 1
                continue
            fuzzy = any(j in fixed for j in range(i, i + m)) or tuple(keys[i : i + m]) in lexicon.weak
            tags.append(Tag(ITEM if items else OPT, i, i + m, text, items=items, choices=choices, fuzzy=fuzzy))
            i += m
            continue
        if cue is not None:
            m, kind = cue
            tags.append(Tag(kind, i, i + m, " ".join(tokens[i : i + m])))
            i += m
            continue
        tok = tokens[i]
        if tok.isdigit():
            tags.append(Tag(NUM, i, i + 1, tok, value=int(tok)))
        elif tok in cues.FILLERS or not tok[0].isalnum() or (len(tok) > 6 and tok.endswith("ment")):
            tags.append(Tag(FILLER, i, i + 1, tok))
        else:
            tags.append(Tag(WORD, i, i + 1, tok))
        i += 1
    for n_, tg in enumerate(tags):
        tg.idx = n_
    return tags
