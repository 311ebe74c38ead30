"""Text normalisation: accent folding, SMS spellings, tokens and their matching keys."""

from __future__ import annotations

import re
import unicodedata

_FOLD_CACHE: dict[str, str] = {}


def fold_char(ch: str) -> str:
    """One character, lower-cased and without its accent (always one character long)."""
    out = _FOLD_CACHE.get(ch)
    if out is None:
        base = unicodedata.normalize("NFD", ch)[0].lower()
        out = base if len(base) == 1 else ch.lower()[:1] or ch
        _FOLD_CACHE[ch] = out
    return out


def fold(text: str) -> str:
    """Lower-case `text` and strip accents, keeping its length so offsets still point into it."""
    if text.isascii():
        return text.lower()
    return "".join(fold_char(c) for c in text)


# Rewrites applied to the folded text before tokenising (SMS shorthands that hold punctuation).
_PRE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bw/o\b"), " without "),
    (re.compile(r"\bw/"), " with "),
    (re.compile(r"[’`´]"), "'"),
    (re.compile(r"(\d)\s*x\b"), r"\1 x "),  # "2x" -> "2 x"
    (re.compile(r"\bx\s*(\d)"), r" x \1"),  # "x2" -> "x 2"
    (re.compile(r"(\d)(?!(?:e|eme|er|ere|nd|rd|th|st)\b)([a-z])"), r"\1 \2"),  # "1000mg" -> "1000 mg", not "2e"
    (re.compile(r"([a-z])(\d)"), r"\1 \2"),  # "doli1000" -> "doli 1000"
)

_ORDINAL = re.compile(r"^(\d+)[a-z]+$")
_TOKEN = re.compile(r"\d+(?:e|eme|er|ere|nd|rd|th|st)\b|\d+(?:[.,]\d+)?|[a-z]+|[+&,;.!?:\n]")

# SMS and chat spellings, mapped to one canonical word (or several).
SMS: dict[str, str] = {
    # French
    "svp": "please", "stp": "please", "stpl": "please", "svpl": "please",
    "pr": "pour", "pq": "pourquoi", "ac": "avec", "avc": "avec", "avek": "avec", "ss": "sans",
    "bcp": "beaucoup", "tt": "tout", "ds": "dans", "qd": "quand", "jv": "je veux", "jveux": "je veux",
    "chui": "je suis", "jsuis": "je suis", "ptit": "petit", "ptite": "petite", "pti": "petit",
    "gd": "grand", "grd": "grand", "gde": "grande", "moy": "moyen", "bjr": "bonjour", "bsr": "bonsoir",
    "slt": "salut", "cc": "salut", "mrc": "merci", "mci": "merci", "thx": "thanks", "ty": "thanks",
    "qq": "quelques", "qqs": "quelques", "dc": "donc", "ki": "qui", "koi": "quoi",
    "ke": "que", "kom": "comme", "oqp": "occupe", "rdv": "rendez vous", "asap": "asap",
    "etg": "etage", "num": "numero",
    # English
    "pls": "please", "plz": "please", "pleas": "please", "u": "you", "ur": "your", "r": "are",
    "gimme": "give me", "wanna": "want to", "gonna": "going to", "im": "i am", "id": "i would",
    "ill": "i will", "n": "and", "wit": "with", "wiht": "with", "widout": "without",
    "withought": "without", "2nite": "tonight", "tho": "though", "thnx": "thanks", "thanx": "thanks",
}


def pre_rewrite(folded: str) -> str:
    """Apply the punctuation-sensitive SMS rewrites to folded text."""
    for pattern, repl in _PRE_RULES:
        folded = pattern.sub(repl, folded)
    return folded


def tokenize(folded: str) -> list[str]:
    """Split folded text into words, numbers and punctuation; apostrophes split words."""
    out: list[str] = []
    for tok in _TOKEN.findall(folded.replace("'", " ")):
        if tok[-1].isalpha() and tok[0].isdigit():
            tok = _ORDINAL.sub(r"\1e", tok)  # "2eme", "2ème", "2nd" -> "2e"
        rep = SMS.get(tok)
        if rep is None or rep == tok:
            out.append(tok)
        elif rep:
            out.extend(rep.split())
    return out


def key(token: str) -> str:
    """Matching key of a token: a crude singular so "pizzas", "olives", "sirops" match their alias."""
    n = len(token)
    if n > 3 and token[-1] == "s" and token[-2] != "s" and not token[0].isdigit():
        if n > 4 and token.endswith("ies"):
            return token[:-3] + "y"
        return token[:-1]
    if n > 3 and token[-1] == "x" and token[-2] in "aeu":  # gateaux, choux
        return token[:-1]
    return token
