"""Street-name normalisation for French and English addresses.

"14 Bd des Moulins" and "boulevard des moulin" must meet: fold case and accents, expand
abbreviations (bd, av, pl, st…), split the street type from the distinctive core, and make the core
tolerant of plurals and of "1er" versus "premier".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass

from rapidfuzz import fuzz

STREET_TYPES = frozenset(
    "rue avenue boulevard place quai chemin impasse allee route square promenade cours passage "
    "esplanade escalier montee rond-point tunnel pont sentier voie lacets virage traverse faubourg "
    "corniche carrefour parvis rampe galerie jardin port plage residence lotissement hameau "
    "street road lane drive court way terrace crescent close gardens grove row walk".split()
)
ENGLISH_TYPES = frozenset("street road lane drive court way terrace crescent close gardens grove row walk".split())

ABBREVIATIONS = {
    "bd": "boulevard", "bld": "boulevard", "blvd": "boulevard", "boul": "boulevard", "bvd": "boulevard",
    "av": "avenue", "ave": "avenue", "aven": "avenue", "avn": "avenue",
    "pl": "place", "sq": "square", "ch": "chemin", "chem": "chemin", "imp": "impasse",
    "all": "allee", "rte": "route", "prom": "promenade", "esp": "esplanade", "crs": "cours",
    "fbg": "faubourg", "pass": "passage", "qu": "quai", "mte": "montee", "rpt": "rond-point",
    "rd": "road", "ln": "lane", "ct": "court", "terr": "terrace", "cres": "crescent",
    "ste": "sainte", "gal": "general", "gen": "general", "mal": "marechal", "pdt": "president",
    "pr": "professeur", "prof": "professeur", "cdt": "commandant", "mgr": "monseigneur",
}
ORDINALS = {"1er": "1", "ier": "1", "premier": "1", "ii": "2", "iii": "3", "iv": "4", "vi": "6",
            "vii": "7", "viii": "8", "ix": "9"}
STOPWORDS = frozenset("de du des la le les l d the of et".split())

_PUNCT = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, no accents, punctuation (apostrophes, hyphens, dots) turned into spaces."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _PUNCT.sub(" ", text).strip()


def tokens(name: str) -> list[str]:
    """Folded tokens with abbreviations expanded ("st" is "street" at the end, "saint" elsewhere)."""
    raw = fold(name).split()
    out: list[str] = []
    for i, tok in enumerate(raw):
        last = i == len(raw) - 1 and i > 0
        if tok == "st":
            tok = "street" if last else "saint"
        elif tok == "dr":
            tok = "drive" if last else "docteur"
        elif tok == "r" and i == 0 and len(raw) > 1:
            tok = "rue"
        elif tok == "rond" and i + 1 < len(raw) and raw[i + 1] == "point":
            tok = "rond-point"
        elif tok == "point" and out and out[-1] == "rond-point":
            continue
        else:
            tok = ABBREVIATIONS.get(tok, tok)
        out.append(tok)
    return out


def _singular(tok: str) -> str:
    if len(tok) > 3 and tok[-1] == "s" and not tok.endswith("ss"):
        return tok[:-1]
    return tok


@dataclass(frozen=True, slots=True)
class StreetName:
    """A street name split into its type ("boulevard", "" when absent) and its distinctive core."""

    kind: str
    core: str

    @property
    def key(self) -> str:
        return f"{self.kind} {self.core}".strip()


@lru_cache(maxsize=65536)
def parse_street(name: str) -> StreetName:
    """Split and canonicalise a street name; the core drops stop words, plurals and ordinals."""
    toks = tokens(name)
    kind = ""
    if toks and _singular(toks[0]) in STREET_TYPES:
        kind = _singular(toks.pop(0))
    elif len(toks) > 1 and toks[-1] in ENGLISH_TYPES:
        kind = toks.pop()
    core = [ORDINALS.get(t, _singular(t)) for t in toks if t not in STOPWORDS]
    return StreetName(kind, " ".join(core))


def street_readings(name: str) -> list[StreetName]:
    """The plain reading, plus one where a misspelt first word is taken as an unknown street type.

    "Avnue Pasteur" or "Rup Basse": the first word looks like a type word but is not one; the
    second reading compares "pasteur" and "basse" alone, at a discount (kind "?avnue", "?rup").
    """
    plain = parse_street(name)
    toks = tokens(name)
    if plain.kind or len(toks) < 2 or toks[0] in STOPWORDS or toks[0].isdigit():
        return [plain]
    nearest = max(fuzz.ratio(toks[0], t) for t in STREET_TYPES)
    if nearest < 60:
        return [plain]
    rest = toks[1:]
    if rest and rest[0] == "point" and len(rest) > 1:  # "Rod-Point Papalins"
        rest = rest[1:]
    core = [ORDINALS.get(t, _singular(t)) for t in rest if t not in STOPWORDS]
    return [plain, StreetName("?" + toks[0], " ".join(core))] if core else [plain]


def street_key(name: str) -> str:
    """One canonical string per street name, for grouping and exact look-ups."""
    return parse_street(name).key


def city_key(name: str) -> str:
    """Canonical city name: folded, "saint"/"sainte" expanded, hyphens as spaces."""
    return " ".join(tokens(name))


def street_similarity(q: StreetName, n: StreetName) -> float:
    """0..1: fuzzy agreement of the cores, lowered when both types are known and differ."""
    if not q.core or not n.core:
        return 0.0
    core = max(fuzz.ratio(q.core, n.core), fuzz.token_sort_ratio(q.core, n.core)) / 100.0
    if q.kind.startswith("?"):  # a misspelt type word: judged by its likeness, never a full match
        likeness = fuzz.ratio(q.kind[1:], n.kind) / 100.0 if n.kind else 0.0
        return core * (0.7 + 0.2 * likeness)
    if not q.kind or not n.kind:
        return core * 0.95
    return core * (1.0 if q.kind == n.kind else 0.78)
