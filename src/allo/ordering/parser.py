"""OrderParser: one message in, one Draft out. Built once per catalog; parsing is pure."""

from __future__ import annotations

import re
from typing import Literal

from rapidfuzz import fuzz, process

from allo.domain.catalog import Catalog
from allo.ordering import cues
from allo.ordering.address import extract_address
from allo.ordering.assemble import Assembler
from allo.ordering.draft import Draft
from allo.ordering.language import Language, detect_language
from allo.ordering.lexicon import Lexicon
from allo.ordering.numbers import convert_number_words
from allo.ordering.resolve import merge_orphans, resolve_line
from allo.ordering.tagger import tag_tokens
from allo.ordering.text import fold, pre_rewrite, tokenize
from allo.ordering.when import extract_time

LangOption = Literal["auto", "fr", "en"]

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
_RAW_WORD = re.compile(r"[a-z]+")
_PHONE = re.compile(r"(?:\+|\b0)\d(?:[ .-]?\d{2}){4}\b|\+\d{9,14}\b")
_NOTE = re.compile(r"\b(?:note|nb|ps|remarque|commentaire|comment)\s*[:\-]\s*(?P<text>[^\n]+)")
_NOTE_PHRASES = re.compile(
    r"\b(?:bien cuite?s?|pas trop cuite?s?|well done|sauce a part|sauce on the side|"
    r"(?:avec |with )?(?:des )?(?:couverts|serviettes|napkins|cutlery|utensils)|coupee? en \d+|cut in \d+|"
    r"(?:pour|for) \d+ (?:personnes?|people|persons|pers))\b"
)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace each span by a comma and spaces, keeping the length (offsets stay valid)."""
    chars = list(text)
    for a, b in spans:
        if b > a:
            chars[a] = ","
            for i in range(a + 1, b):
                chars[i] = " "
    return "".join(chars)


class OrderParser:
    """Understands order messages against one catalog.

    >>> parser = OrderParser(catalog)
    >>> draft = parser.parse("2 doliprane 1000 stp, 14 bd des moulins code 4521B")
    """

    def __init__(self, catalog: Catalog, *, default_language: Language = "fr") -> None:
        self.catalog = catalog
        self.default_language = default_language
        protected = frozenset(w for w in cues.FILLERS | cues.COMMON if len(w) >= 4)
        self.lexicon = Lexicon(catalog, protected=protected)
        self._names: list[str] = []
        self._name_sku: list[str] = []
        for item in catalog.items:
            if item.available:
                for name in {item.name, *item.aliases}:
                    self._names.append(fold(name))
                    self._name_sku.append(item.sku)

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Skus whose names look like `text` (for "did you mean …?"), best first, at most `limit`."""
        found = process.extract(fold(text), self._names, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=60)
        out: list[str] = []
        for _name, _score, idx in found:
            sku = self._name_sku[idx]
            if sku not in out:
                out.append(sku)
        return out[:limit]

    def parse(self, message: str, lang: LangOption = "auto") -> Draft:
        """Understand one message. Never raises on odd input: what is not understood is in `unknown`."""
        original = message.translate(_LIGATURES)
        folded = fold(original)
        language: Language
        if lang == "auto":
            language = detect_language(_RAW_WORD.findall(folded), self.default_language)
        else:
            language = lang

        requested, tspans = extract_time(folded, original)
        folded = _blank(folded, tspans)
        notes: list[str] = []
        nspans: list[tuple[int, int]] = []
        for m in _NOTE.finditer(folded):
            notes.append(original[m.start("text") : m.end("text")].strip())
            nspans.append((m.start(), m.end()))
        for m in _NOTE_PHRASES.finditer(folded):
            notes.append(original[m.start() : m.end()].strip())
            nspans.append((m.start(), m.end()))
        nspans.extend((m.start(), m.end()) for m in _PHONE.finditer(folded))
        folded = _blank(folded, nspans)
        address, aspans = extract_address(folded, original)
        folded = _blank(folded, aspans)

        tokens = convert_number_words(tokenize(pre_rewrite(folded)))
        tags = tag_tokens(tokens, self.lexicon)
        lines, unknown = Assembler(tags, tokens, self.lexicon).run()
        drafts = []
        for line in merge_orphans(lines):
            d = resolve_line(line, self.lexicon, tokens)
            if d is not None:
                drafts.append(d)
        return Draft(
            lines=drafts,
            address=address,
            language=language,
            requested_time=requested,
            notes=notes,
            unknown=unknown,
        )
