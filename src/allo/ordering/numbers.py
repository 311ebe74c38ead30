"""Numbers written in words (French and English) turned into digit tokens.

Single words come from a small table (fast path); runs of several number words ("vingt et un",
"twenty five") are read by text2num.
"""

from __future__ import annotations

from text_to_num import text2num

EN_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
FR_UNITS = (
    "zero un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"
).split()
FR_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}

# Words read as a number on their own. "un"/"une"/"a" stay words: they are articles first.
SINGLE: dict[str, int] = {w: i for i, w in enumerate(EN_UNITS)}
SINGLE.update(EN_TENS)
SINGLE.update({w: i for i, w in enumerate(FR_UNITS) if w != "un"})
SINGLE.update(FR_TENS)
SINGLE.update({"hundred": 100, "cent": 100, "dozen": 12, "douzaine": 12})

# Words that may continue a run of number words.
_JOINERS_EN = {"and", "hundred", "thousand"}
_JOINERS_FR = {"et", "cent", "cents", "mille", "un", "vingts"}
_FR_WORDS = set(FR_UNITS) | set(FR_TENS) | _JOINERS_FR | {"dix", "soixante"}
_EN_WORDS = set(EN_UNITS) | set(EN_TENS) | _JOINERS_EN


_CONTINUE = frozenset({"cent", "cents", "hundred", "vingts", "un"})


def _run_value(words: list[str]) -> int | None:
    text = " ".join(words)
    for lang in ("fr", "en"):
        try:
            return int(text2num(text, lang))
        except (ValueError, TypeError):
            continue
    return None


def convert_number_words(tokens: list[str]) -> list[str]:
    """Replace number words by digits: ["deux", "pizzas"] -> ["2", "pizzas"]."""
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if tok not in SINGLE:
            out.append(tok)
            i += 1
            continue
        # Gather a run such as "quatre vingt dix", "twenty one", "vingt et un".
        j = i + 1
        vocab = _FR_WORDS if tok in _FR_WORDS else _EN_WORDS
        while j < n and tokens[j] in vocab and (
            tokens[j] in SINGLE or tokens[j] in _CONTINUE or (j + 1 < n and (tokens[j + 1] in SINGLE or tokens[j + 1] == "un"))
        ):
            j += 1
        # never swallow a trailing joiner ("deux et" ... ) that text2num cannot read
        while j - i > 1 and tokens[j - 1] in ("et", "and"):
            j -= 1
        if j - i > 1:
            value = _run_value(tokens[i:j])
            if value is not None:
                out.append(str(value))
                i = j
                continue
        out.append(str(SINGLE[tok]))
        i += 1
    return out


def as_int(token: str) -> int | None:
    """The integer a digit token stands for, or None ("2" -> 2, "7.5" -> None)."""
    return int(token) if token.isdigit() else None
