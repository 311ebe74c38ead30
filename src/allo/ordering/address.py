"""Find the delivery address, door code, floor and instructions in a message.

Works on the folded text (lower case, no accents, same length as the original), so every span found
points into the original message and the parts are returned as the customer wrote them.
Geocoding is not done here: this only splits what was written.
"""

from __future__ import annotations

import re

from allo.ordering.draft import AddressParts
from allo.ordering.text import fold

Span = tuple[int, int]

FR_TYPES = (
    r"rue|r|bd|bld|blvd|boul|boulevard|av|ave|avenue|all|allee|ch|chem|chemin|imp|impasse|pl|place|"
    r"quai|rte|route|crs|cours|sq|square|passage|esplanade|promenade|prom|montee|escaliers?|traverse|"
    r"descente|galerie|residence|res|villa|rampe|sentier|voie|rond[ -]point|parvis"
)
EN_TYPES = (
    r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|court|ct|place|pl|boulevard|blvd|terrace|"
    r"close|square|sq|crescent|parkway|pkwy|highway|hwy|circle|cir"
)
_WORD = re.compile(r"[a-z0-9'\-]+|[^\sa-z0-9'\-]")
# Words that end a street name.
NAME_STOP = frozenset(
    """
    code digicode codeporte etage etg floor apt appt appart appartement apartment app bat batiment
    building bldg esc escalier porte door interphone sonner sonnez ring buzz buzzer intercom knock call appeler
    appelez pour svp stp merci please pls thanks et and avec with sans without no pas asap vers avant
    apres at for by before around tel ce cet cette tonight demain today aujourd x chez rdc
    un une deux trois quatre cinq six sept huit neuf dix some two three four five i je
    """.split()
)
_ARTICLES = frozenset("de la le les du des d l".split())
CITIES = ("monaco", "monte carlo", "monte-carlo", "beausoleil", "cap d'ail", "cap-d'ail", "la condamine",
          "fontvieille", "roquebrune-cap-martin", "roquebrune cap martin", "roquebrune", "la turbie", "eze")
_CITY_RE = re.compile(r"\b(?:(\d{5})\s+)?(" + "|".join(re.escape(c) for c in CITIES) + r")\b")
_POSTCODE_RE = re.compile(r"\b(\d{5})\s+([a-z][a-z'\-]+(?:\s+[a-z][a-z'\-]+)?)\b")

_FR_ADDR = re.compile(
    r"\b(?P<num>\d{1,4})(?:\s*(?:bis|ter)\b)?\s*,?\s*(?P<type>" + FR_TYPES + r")\b\.?\s+(?=[a-z0-9])"
    r"|\b(?P<type2>boulevard|avenue|rue|bd|av|place|quai|chemin|allee|impasse)\b\.?\s+(?=[a-z])"
)
_EN_ADDR = re.compile(
    r"\b(?P<num>\d{1,5})\s+(?P<name>(?:(?!and\b|with\b|no\b|or\b|to\b)[a-z]+\s+){1,3}?)(?P<type>"
    + EN_TYPES
    + r")\b\.?"
)
_DOOR = re.compile(
    r"\b(?:digicode|digi|code porte|code de la porte|code d'entree|code entree|code immeuble|"
    r"code portail|door code|gate code|entry code|building code|access code|buzzer code|buzzer|intercom|code)"
    r"\s*(?:[:=#]|est|is|n°)?\s*"
    r"(?P<code>[0-9a-z]{2,8})\b"
)
_FLOOR = re.compile(
    r"\b(?P<n>\d{1,2})\s*(?:e|eme|ieme|er|ere|°|st|nd|rd|th)?\s*(?:etage|etg|floor)\b"
    r"|\b(?:etage|floor)\s*(?:n°|no|#)?\s*(?P<n2>\d{1,2})\b"
    r"|\b(?P<w>premier|1er|deuxieme|second|troisieme|quatrieme|cinquieme|sixieme|first|third|fourth|fifth|sixth)"
    r"\s+(?:etage|floor)\b"
    r"|\b(?P<ground>rdc|rez[ -]de[ -]chaussee|ground floor)\b"
)
_FLOOR_SIDE = re.compile(r"\s*,?\s*(?:porte\s+)?(?:a\s+)?(?:gauche|droite|left|right|au fond|en face)\b")
_ORDINAL_WORDS = {
    "premier": 1, "1er": 1, "first": 1, "deuxieme": 2, "second": 2, "troisieme": 3, "third": 3,
    "quatrieme": 4, "fourth": 4, "cinquieme": 5, "fifth": 5, "sixieme": 6, "sixth": 6,
}
_INSTR = re.compile(
    r"\b(?:sonne[rz]?|sonnez|frapper|frappez|interphone|laisser|laissez|deposer|deposez|appeler|appelez|"
    r"appelle[rz]?|apt|appt|appartement|app|bat|batiment|bloc|escalier|esc|porte|gardien|concierge|"
    r"boite aux lettres|au fond|derriere|residence|ring|knock|buzz|buzzer|intercom|call me|text me|leave it|"
    r"leave at|leave by|leave with|drop it|apartment|suite|unit|flat|building|bldg|gate|entrance|back door|front door|"
    r"reception|lobby|care of|c/o|chez)\b"
)
_INSTR_END = re.compile(r"[,;.!?\n]|\b(?:code|digicode|pour|svp|stp|merci|please|thanks|asap|et|and)\b")


def says_only_floor(text: str) -> bool:
    """"3e étage", "floor 3": an instruction that only gives the floor ("2e étage porte gauche" says more)."""
    return _FLOOR.fullmatch(fold(text).strip()) is not None


def _blank(spans: list[Span], a: int, b: int) -> None:
    spans.append((a, b))


def _overlaps(spans: list[Span], a: int, b: int) -> bool:
    return any(a < y and x < b for x, y in spans)


MONTHS = frozenset(
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre "
    "january february march april may june july august september october november december".split()
)


def _date_in_name(tokens: list[re.Match[str]], i: int) -> int:
    """How many tokens from `i` form a date inside a street name ("8 mai 1945", "11 novembre",
    "1er mars"): day, month and an optional year; 0 when they do not."""
    day = tokens[i].group()
    if not (day == "1er" or (day.isdigit() and 1 <= int(day) <= 31)):
        return 0
    if i + 1 >= len(tokens) or tokens[i + 1].group() not in MONTHS:
        return 0
    year = tokens[i + 2].group() if i + 2 < len(tokens) else ""
    return 3 if year.isdigit() and len(year) == 4 and 1700 <= int(year) <= 2100 else 2


def _street_name_end(folded: str, pos: int) -> int:
    """End offset of a street name starting at `pos` (stops at a stop word, number or punctuation;
    a date such as "du 8 mai 1945" belongs to the name)."""
    end = pos
    words = 0
    tokens = list(_WORD.finditer(folded, pos, min(len(folded), pos + 120)))
    i = 0
    while i < len(tokens):
        w = tokens[i].group()
        date = _date_in_name(tokens, i) if words > 0 else 0
        if date:
            end = tokens[i + date - 1].end()
            words += date
            i += date
            continue
        if not (w[0].isalpha() or w in ("1er", "ier", "ii", "iii") or w == "-" or w == "'"):
            break
        if w in NAME_STOP and words > 0 and tokens[i - 1].group() not in _ARTICLES:
            break  # after "de la", "des": part of the name ("Avenue de la Porte Neuve", "rue des Trois Frères")
        i += 1
        if w in ("-", "'"):
            continue
        words += 1
        end = tokens[i - 1].end()
        if words >= 6:
            break
    return end


def extract_address(folded: str, original: str) -> tuple[AddressParts, list[Span]]:
    """Split out address, door code, floor and instructions; return them and the spans used."""
    parts = AddressParts()
    spans: list[Span] = []

    for m in _DOOR.finditer(folded):
        code = m.group("code")
        if any(ch.isdigit() for ch in code):
            parts.door_code = original[m.start("code") : m.end("code")].upper()
            _blank(spans, m.start(), m.end())
            break

    floor_text: tuple[int, str] | None = None
    for m in _FLOOR.finditer(folded):
        if _overlaps(spans, m.start(), m.end()):
            continue
        if m.group("ground"):
            parts.floor = "0"
        else:
            n = m.group("n") or m.group("n2")
            parts.floor = n if n else str(_ORDINAL_WORDS[m.group("w")])
        end = m.end()
        side = _FLOOR_SIDE.match(folded, end)
        if side:
            end = side.end()
        floor_text = (m.start(), original[m.start() : end].strip())
        _blank(spans, m.start(), end)
        break

    m = _FR_ADDR.search(folded)
    en = _EN_ADDR.search(folded)
    if m and not _overlaps(spans, m.start(), m.end()):
        start = m.start("num") if m.group("num") else m.start("type2")
        if m.group("num"):
            parts.number = m.group("num")
        end = _street_name_end(folded, m.end())
        if end > m.end():
            parts.street = original[(m.start("type") if m.group("type") else m.start("type2")) : end]
            _finish_address(parts, folded, original, spans, start, end)
    elif en and not _overlaps(spans, en.start(), en.end()):
        parts.number = en.group("num")
        parts.street = original[en.start("name") : en.end("type")]
        _finish_address(parts, folded, original, spans, en.start(), en.end())
    else:
        city = _CITY_RE.search(folded)
        if city:
            parts.city = original[city.start(2) : city.end(2)]
            parts.postcode = city.group(1)
            before = folded.rfind(" ", 0, max(city.start() - 1, 0))
            lead = folded[before + 1 : city.start()].strip()
            _blank(spans, city.start() - (len(lead) + 1 if lead in ("a", "au", "sur", "to", "in") else 0), city.end())

    if parts.street and parts.city is None:
        _later_city(parts, folded, original, spans)
    for m in _INSTR.finditer(folded):
        if _overlaps(spans, m.start(), m.end()):
            continue
        stop = _INSTR_END.search(folded, m.end())
        end = stop.start() if stop else len(folded)
        end = min(end, m.end() + 40)
        text = original[m.start() : end].strip(" -")
        if text:
            parts.instructions.append(text)
            _blank(spans, m.start(), end)
    if floor_text:
        parts.instructions.insert(0, floor_text[1])
    return parts, spans


def _later_city(parts: AddressParts, folded: str, original: str, spans: list[Span]) -> None:
    """The town named after the door code or floor ("3 rue Grimaldi, code 1234, Monaco"): part of the
    address, not words to read as items."""
    end = max(y for _, y in spans)
    for city in _CITY_RE.finditer(folded, end):
        if not _overlaps(spans, city.start(), city.end()):
            parts.postcode = city.group(1)
            parts.city = original[city.start(2) : city.end(2)]
            _blank(spans, city.start(), city.end())
            return


def _finish_address(
    parts: AddressParts, folded: str, original: str, spans: list[Span], start: int, end: int
) -> None:
    """Extend the address over a following postcode and/or city, then record it."""
    rest = folded[end : end + 40]
    city = _CITY_RE.match(rest.lstrip(" ,"), 0)
    offset = end + (len(rest) - len(rest.lstrip(" ,")))
    if city:
        parts.postcode = city.group(1)
        parts.city = original[offset + city.start(2) : offset + city.end(2)]
        end = offset + city.end()
    else:
        pc = _POSTCODE_RE.match(rest.lstrip(" ,"))
        if pc:
            parts.postcode = pc.group(1)
            parts.city = original[offset + pc.start(2) : offset + pc.end(2)]
            end = offset + pc.end()
    parts.text = original[start:end].strip(" ,")
    _blank(spans, start, end)
