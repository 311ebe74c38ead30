"""Reading the customer's intent from a short message: yes/no, cancel, STOP, status, rating, edits.

Everything works on folded tokens (lower case, no accents, SMS spellings expanded by the parser's
tokenizer), so "Oui !", "OUI" and "ouii" read alike. Word lists here are vocabulary, not replies.
"""

from __future__ import annotations

import re
from functools import lru_cache

from allo.ordering.address import EN_TYPES, FR_TYPES, extract_address
from allo.ordering.language import EN_MARKERS, FR_MARKERS
from allo.ordering.numbers import SINGLE
from allo.ordering.text import fold, pre_rewrite, tokenize

_RAW_WORD = re.compile(r"[a-z]+")
_PUNCT = frozenset("+&,;.!?:\n")
# Words that only add politeness: ignored when reading a short answer.
_POLITE = frozenset(
    "merci thanks thank you please beaucoup svp stp great a lot "
    "alors donc eh ah oh euh hmm ben bah".split()
)
_CONFIRM = frozenset(
    {
        "oui", "ouii", "ouiii", "ouais", "ok", "okay", "okey", "oki", "yes", "yess", "yep", "yeah", "yup", "ya",
        "go", "d accord", "dacc", "dac", "daccord", "c est bon", "c bon", "cest bon", "valide", "valider",
        "je valide", "je confirme", "confirme", "confirmer", "confirm", "confirmed", "sure", "vas y",
        "allez y", "allez", "exact", "exactement", "correct", "c est ca", "that s right", "right",
        "sounds good", "si", "absolutely", "of course", "bien sur", "go ahead", "ok go", "oui go",
        "let s go", "c est parfait", "parfait", "perfect", "yes go", "oui c est ca", "all good",
        "ca marche", "ca me va", "top", "nickel", "y", "o", "super", "cool", "bien", "tres bien", "oui oui",
        "ok ok", "ok c est bon", "oui c est bon", "bon", "c est ok", "that s fine", "fine", "ok cool",
    }
)
_DENY = frozenset(
    {
        "non", "nan", "no", "nope", "nah", "n", "pas ca", "not that", "aucun", "aucune", "none",
        "neither", "ni l un ni l autre", "rien", "non merci", "no thanks", "wrong", "faux", "pas du tout",
    }
)
_THUMBS = frozenset("👍👌✅🆗🏻🏼🏽🏾🏿\ufe0f")
_STOP = frozenset(
    {"stop", "stop all", "stop sms", "stop messages", "stopall", "unsubscribe", "desabonner", "desabonnement",
     "arret", "end", "quit"}
)
_START = frozenset({"start", "unstop", "reprendre", "subscribe"})
_ERASE = re.compile(
    r"\b(?:supprime[rz]?|efface[rz]?|effacement|suppression|delete|erase|remove|wipe)\s+(?:de\s+)?"
    r"(?:toutes\s+)?(?:mes|my|all\s+my|les)\s+(?:donnees|data|infos|informations|personal\s+data)\b"
    r"|\b(?:oubliez moi|oublie moi|forget me|rgpd|gdpr)\b"
    r"|\b(?:supprime[rz]?|efface[rz]?|delete|erase|close)\s+(?:mon|my)\s+(?:compte|account|profil|profile)\b"
)
_CANCEL = re.compile(
    r"\b(?:annule[rz]?|annulation|cancel|cancelling|canceling|laisse[rz]? tomber|forget it|never ?mind|"
    r"oublie[rz]? (?:ca|la commande)|je ne veux plus|i don t want it anymore)\b"
)
_STATUS = re.compile(
    r"\b(?:ou en est|ou est (?:ma|la) commande|where s my|where is my|where is the|status|statut|suivi|"
    r"track\w*|quand (?:est ce que )?(?:\w+ )?(?:arrive|arrivera|livre)|when will|when does|eta|"
    r"combien de temps|how long|c est long|toujours rien|still waiting|toujours pas|ma commande arrive|"
    r"elle arrive|is it coming|on its way|en route|(?:arrive|arrivera|livre|livree|livrez) quand|c est pour quand)\b"
)
_GREETING = frozenset("bonjour bonsoir salut coucou hello hi hey hiya yo allo re".split())
_HELP = frozenset(
    "menu aide help carte info infos catalogue catalog produits products prix prices tarifs liste list "
    "options choix".split()
)
_HELP_PHRASES = re.compile(
    r"\b(?:comment ca marche|how does (?:it|this) work|what do you (?:have|sell)|qu est ce que vous (?:avez|vendez)|"
    r"vous avez quoi|what s on the menu|la carte)\b"
    r"|^(?:\w+ )?(?:je voudrais|je veux|j aimerais|je souhaite|i d like|i want|i would like|can i|puis je|je peux) "
    r"(?:to )?(?:faire |passer |place )?(?:une |a |an )?(?:commande|commander|order)(?: svp| stp| please| pls)?$"
)
_REMOVE = re.compile(
    r"\b(?:enleve[rz]?|enlevez|retire[rz]?|supprime[rz]?|ote[rz]?|remove|take (?:off|out|away)|drop|delete|"
    r"pas de \w+(?: \w+)? finalement|no more|without the)\b"
)
_CHANGE = re.compile(
    r"\b(?:plutot|finalement|en fait|make it|make that|instead|actually|change[rz]?|mets|mettez|mettre|put|"
    r"au lieu|rather|seulement|only|switch)\b"
)
_NONE_OF = re.compile(r"(?:no|pas de|plus de|finalement pas de)\s+[a-z][a-z ]*$")  # "no butter", without a number
_CLAUSE_CUT = re.compile(r"\s*(?:[,;]|\bet\b|\band\b|\bpuis\b|\bthen\b)\s*")
_EDIT_VERB = re.compile(
    r"(?:ajoute|rajoute|add|enleve|retire|supprime|ote|remove|take off|mets|mettez|met|put|change|remplace|"
    r"replace)\w*\b"
)
_PRICE = re.compile(r"\b(?:combien|prix|tarifs?|how much|price|prices|cost|costs|coute|coutent)\b")
_HOURS = re.compile(
    r"\b(?:(?:vous )?etes (?:vous )?ouverts?|c est ouvert|(?:vous )?fermez (?:a )?quelle heure|"
    r"jusqu a quelle heure|a quelle heure (?:vous )?(?:fermez|ouvrez|livrez)|horaires?|heures d ouverture|"
    r"(?:are|r) (?:you|u) open|open (?:now|today|tonight)|opening (?:hours|times)|until what time|till when|"
    r"what time do you (?:close|open|deliver)|when do you (?:close|open))\b"
)
_SAME_AGAIN = re.compile(
    r"\b(?:(?:la |les )?memes? choses?|(?:la )?meme commande|comme (?:la derniere fois|d habitude|d hab)|"
    r"pareil que (?:la derniere fois|d habitude)|same (?:as (?:last time|before)|again|order|thing)|"
    r"(?:my|the) usual|as usual|repeat (?:my )?(?:last )?order)\b"
)
_DELIVERY_FEE = re.compile(
    r"\b(?:frais de (?:port|livraison)|(?:combien|prix|tarif|cout|coute)\b.{0,20}\blivraison|"
    r"livraison (?:est |c est )?(?:gratuite|payante|offerte|comprise|incluse)|delivery (?:fee|charge|cost)s?|"
    r"(?:how much|cost|price)\b.{0,20}\bdelivery|(?:is )?delivery (?:is )?(?:free|included|extra)|free delivery)\b"
)
_AVAILABLE = re.compile(
    r"\b(?:vous avez|avez vous|tu as|as tu|vous auriez|auriez vous|y a t il|vous vendez|vendez vous|"
    r"do you have|have you got|do you sell|do you do|is there any|are there any|got any)\b"
)
_WANT = re.compile(
    r"\b(?:je voudrais|je veux|j aimerais|je prends|je prendrai|mettez|mets|i d like|i want|i ll take|"
    r"can i get|can i have|i ll have)\b"
)
_RATING_DIGIT = re.compile(  # a lone digit, not part of "4,50" or "2.5" ("4, un peu en retard" is a 4)
    r"(?<!\d)(?<!\d[.,])([1-5])(?:\s*(?:/|sur|out of)\s*5)?(?!\d|[.,]\d)\s*(?:etoiles?|stars?|\*+)?")
_RATING_WORD = re.compile(r"\b(une|un|one|deux|two|trois|three|quatre|four|cinq|five)\s+(?:etoiles?|stars?)\b")
_COUNTED = re.compile(r"\s*(?:fois|times?|min\w*|mn|h|heures?|hours?|euros?|eur|€|etages?|floors?|"
                      r"personnes?|people|jours?|days?|semaines?|weeks?)(?!\w)")
_WORD_STARS = {"un": 1, "une": 1, "one": 1, "deux": 2, "two": 2, "trois": 3, "three": 3, "quatre": 4,
               "four": 4, "cinq": 5, "five": 5}
_EXTRA_FR = frozenset("oui ouais non annule annuler ou commande ajoute enleve retire plutot finalement etoiles".split())
# Words of addresses and catalog items: they say nothing about the customer's language.
_NEUTRAL = frozenset(
    "rue bd boulevard avenue av ave etage code digicode porte street st road rd floor apt door "
    "sirop toux oignons fromage fromages jambon champignons boisson boissons taille grand grande petit "
    "petite moyen moyenne normale normal boite boites bouteille paquet pizza pizzas".split()
)
_EXTRA_EN = frozenset(
    "yes yeah yep nope cancel where order add remove instead stars please thanks hi hello what how".split()
)


def tokens(text: str) -> list[str]:
    """Folded word and number tokens, SMS spellings expanded, punctuation dropped."""
    return list(_tokens(text))


@lru_cache(maxsize=256)
def _tokens(text: str) -> tuple[str, ...]:
    # one message is asked about a dozen times (help? stop? status? …): read it once
    return tuple(t for t in tokenize(pre_rewrite(fold(text))) if t not in _PUNCT)


def flat(text: str) -> str:
    """The message as one folded line of tokens: "Où en est ma commande ?" -> "ou en est ma commande"."""
    return " ".join(tokens(text))


def _core(text: str) -> str:
    return " ".join(t for t in tokens(text) if t not in _POLITE)


def detect_language(text: str, current: str | None) -> str | None:
    """fr or en from marker words. Until a first message shows a lead, stays None (replies in French);
    after that, switching takes a lead of two marker words, so an address or a "yes" does not flip it."""
    fr = en = 0
    folded = fold(text)
    _, spans = extract_address(folded, text)
    for a, b in spans:  # "11 Impasse du Stade, Cap-d'Ail" says nothing of the customer's language
        folded = folded[:a] + " " * (b - a) + folded[b:]
    for t in _RAW_WORD.findall(folded.replace("'", " ")):  # before SMS spellings are expanded
        if t in _NEUTRAL:
            continue
        fr += t in FR_MARKERS or t in _EXTRA_FR
        en += t in EN_MARKERS or t in _EXTRA_EN
    need = 1 if current is None else 2
    if fr - en >= need:
        return "fr"
    if en - fr >= need:
        return "en"
    return current


def is_confirm(text: str) -> bool:
    """OUI / YES and friends, or a thumbs-up."""
    if text.strip() and all(c in _THUMBS or c.isspace() for c in text.strip()):
        return True
    return _spoken_in(_core(text), _CONFIRM)


def is_thumbs(text: str) -> bool:
    return bool(text.strip()) and all(c in _THUMBS or c.isspace() for c in text.strip())


def looks_like_address(text: str) -> bool:
    """Worth geocoding: at least two tokens, one of them a word of three letters or more."""
    toks = tokens(text)
    return len(toks) >= 2 and any(t.isalpha() and len(t) >= 3 for t in toks)


def is_thanks(text: str) -> bool:
    """Only politeness: "merci !", "thanks a lot", "super merci"."""
    toks = tokens(text)
    return bool(toks) and all(t in _POLITE or t in ("super", "top", "cool", "parfait", "ok") for t in toks) and any(
        t in ("merci", "thanks", "thank") for t in toks)


def is_deny(text: str) -> bool:
    return _spoken_in(_core(text), _DENY)


def _spoken_in(core: str, phrases: frozenset[str]) -> bool:
    """The message is one of `phrases`, or several said together ("ok oui", "oui oui c est parfait",
    "no nope")."""
    if core in phrases:
        return True
    words = core.split()
    longest = _longest_phrase(phrases)
    ends = {0}  # word positions where a run of phrases can end
    for end in range(1, len(words) + 1):
        if any(start in ends and " ".join(words[start:end]) in phrases
               for start in range(max(0, end - longest), end)):
            ends.add(end)
    return len(words) > 0 and len(words) in ends


@lru_cache(maxsize=8)
def _longest_phrase(phrases: frozenset[str]) -> int:
    return max(len(p.split()) for p in phrases)


def is_stop(text: str) -> bool:
    return flat(text) in _STOP


def is_start(text: str) -> bool:
    return flat(text) in _START


def is_erase(text: str) -> bool:
    return bool(_ERASE.search(flat(text)))


def has_cancel(text: str) -> bool:
    return bool(_CANCEL.search(flat(text)))


def is_status(text: str) -> bool:
    return bool(_STATUS.search(flat(text)))


def is_help(text: str) -> bool:
    """True for a greeting or a request for help only ("bonjour", "menu", "aide ?")."""
    toks = [t for t in tokens(text) if t not in _POLITE]
    if _HELP_PHRASES.search(flat(text)):
        return True
    return bool(toks) and all(t in _GREETING or t in _HELP for t in toks)


def is_greeting(text: str) -> bool:
    """Only a greeting ("bonjour !", "hi there"), no request for the menu."""
    toks = [t for t in tokens(text) if t not in _POLITE and t != "there"]
    return bool(toks) and all(t in _GREETING for t in toks)


def strip_greeting(text: str) -> str:
    """The message without a leading greeting ("Bonjour, 2 margherita" -> "2 margherita")."""
    m = re.match(r"\s*(?:bonjour|bonsoir|salut|coucou|hello|hi|hey|yo)\b[\s,!.:-]*", text, re.I)
    return text[m.end():] if m else text


def edit_clauses(text: str) -> list[str]:
    """Several changes in one message, each opening with its verb ("ajoute 2 cocas et enlève la
    reine, mets une diavola à la place"): the clauses, in order; else the message as one."""
    folded = fold(text)
    cuts = [m for m in _CLAUSE_CUT.finditer(folded) if _EDIT_VERB.match(folded, m.end())]
    if not cuts:
        return [text]
    pieces, start = [], 0
    for m in cuts:
        pieces.append(text[start:m.start()])
        start = m.end()
    pieces.append(text[start:])
    clauses = [c.strip() for c in pieces if c.strip()]
    return clauses if len(clauses) > 1 and _EDIT_VERB.search(fold(clauses[0])) else [text]


def edit_mode(text: str) -> str:
    """"remove", "change" or "add" for a change to the draft."""
    f = flat(text)
    if _REMOVE.search(f) or _NONE_OF.match(f):
        return "remove"
    if _CHANGE.search(f):
        return "change"
    return "add"


_STREET_AFTER_NUMBER = re.compile(r"(?:bis|ter|" + FR_TYPES + "|" + EN_TYPES + r")")
_LEAD_IN = frozenset(
    "alors ok oui bon donc du coup then so yes well ben bah j en veux voudrais prends prendrai prendre vais "
    "mettez mets moi m i ll take want give me je il me faut faudrait".split()
)


def leading_quantity(text: str) -> int | None:
    """A quantity opening the message ("alors 2 boîtes svp", "ok 3 please"), after a few lead-in
    words; None when the message starts otherwise ("14 bd des Moulins" is an address, not 14)."""
    toks = tokens(text)
    for k, t in enumerate(toks):
        if t in _LEAD_IN or t in _POLITE:
            continue
        n = int(t) if t.isdigit() else SINGLE.get(t, 1 if t in ("un", "une", "a", "an") else None)
        if k + 1 < len(toks) and _STREET_AFTER_NUMBER.fullmatch(toks[k + 1]):
            return None  # a house number
        return n if n is not None and 1 <= n <= 99 else None
    return None


def number_in(text: str) -> int | None:
    """The first quantity in the message, in digits or words ("plutôt trois" -> 3)."""
    for t in tokens(text):
        if t.isdigit():
            return int(t)
        if t in SINGLE:
            return SINGLE[t]
        if t in ("un", "une", "a", "an", "single"):
            return 1
    return None


def choice_index(text: str, count: int) -> int | None:
    """A 0-based index when the message is just a number 1..count ("2", "le 2", "number 2")."""
    toks = [t for t in tokens(text) if t not in _POLITE and t not in ("le", "la", "l", "number", "numero", "no")]
    if len(toks) == 1:
        t = toks[0].rstrip("erstnhd") if toks[0][:1].isdigit() else toks[0]
        n = int(t) if t.isdigit() else SINGLE.get(t, {"un": 1, "une": 1, "premier": 1, "first": 1,
                                                       "second": 2, "deuxieme": 2, "troisieme": 3,
                                                       "third": 3}.get(t))
        if n is not None and 1 <= n <= count:
            return n - 1
    return None


def is_price_question(text: str) -> bool:
    """"Combien coûte la reine ?", "how much is a coke?"."""
    return bool(_PRICE.search(flat(text)))


def is_hours_question(text: str) -> bool:
    """"Vous êtes ouverts ?", "jusqu'à quelle heure vous livrez ?", "are you open?", "opening hours"."""
    return bool(_HOURS.search(flat(text)))


def is_same_again(text: str) -> bool:
    """"La même chose que la dernière fois", "comme d'habitude", "same as last time", "my usual"."""
    return bool(_SAME_AGAIN.search(flat(text)))


def is_delivery_fee_question(text: str) -> bool:
    """"C'est combien la livraison ?", "is delivery free?", "frais de port ?"."""
    return bool(_DELIVERY_FEE.search(flat(text)))


def is_availability_question(text: str) -> bool:
    """"Vous avez du pain sans gluten ?", "do you have oat milk?": asked, not ordered ("vous avez du
    pain ? j'en voudrais 2" orders)."""
    line = flat(text)
    return bool(_AVAILABLE.search(line)) and not _WANT.search(line)


def says_stars(text: str) -> bool:
    """The message speaks of stars or marks ("4 étoiles", "5/5", "★★★")."""
    return bool(re.search(r"etoile|star|/\s*5|sur\s*5|[★⭐]", fold(text)))


def rating(text: str) -> tuple[int, str | None] | None:
    """(stars, comment) from "5", "4 étoiles", "5 stars super", "★★★★"; None when no rating is given."""
    folded = fold(text)
    stars_chars = sum(text.count(c) for c in "★⭐")
    span: tuple[int, int] | None = None
    stars: int | None = None
    if 1 <= stars_chars <= 5:
        stars = stars_chars
        comment = re.sub(r"[★⭐]+", " ", text)
    else:
        m = _RATING_DIGIT.search(folded)
        if m and _COUNTED.match(folded, m.end()):
            return None  # "sonnez 2 fois", "dans 5 min": a number of something, not stars
        if m:
            stars, span = int(m.group(1)), (m.start(), m.end())
        else:
            w = _RATING_WORD.search(folded)
            if w is None:
                single = _core(text)
                if single in _WORD_STARS:
                    return _WORD_STARS[single], None
                return None
            stars, span = _WORD_STARS[w.group(1)], (w.start(), w.end())
        comment = text[: span[0]] + " " + text[span[1]:]
    comment = re.sub(r"\s+", " ", comment).strip(" ,.;:-!/")
    return stars, (comment or None)
