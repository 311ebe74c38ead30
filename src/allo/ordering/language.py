"""Guess whether a message is French or English from common words."""

from __future__ import annotations

from typing import Literal

Language = Literal["fr", "en"]

FR_MARKERS = frozenset(
    """
    je j tu il nous vous le la les un une des du de au aux et ou avec sans pour sur dans mon ma mes
    voudrais veux voulais aimerais prendre commander commande mettre merci bonjour bonsoir salut
    sil plait svp stp bcp est c pas ni aussi encore plutot rue boulevard bd avenue etage porte code
    digicode sonner svp stp quelques deux trois quatre cinq douze grand grande petit petite moyen
    moyenne boite boites bouteille paquet oignons fromage jambon sirop toux livrer livraison chez
    taille normale normal fromages jambon champignons oignons boisson boissons
    ici vite maintenant soir midi heure heures demain tout toute ce cette ces bien peu beaucoup
    """.split()
)
EN_MARKERS = frozenset(
    """
    i id me my you your the an and or with without for to at on of in is it its can could
    would like want wanna get give have need please thanks thank order some any no not but hold
    also too just only then two three four five large small medium big extra street st road rd
    avenue ave floor apt door ring call leave deliver delivery tonight today now asap hi hello hey
    pls plz thx don pie pies drink drinks make sure put take try go let
    """.split()
)


def detect_language(tokens: list[str], default: Language = "fr") -> Language:
    """"fr" or "en" by counting marker words; `default` breaks a tie."""
    fr = en = 0
    for tok in tokens:
        if tok in FR_MARKERS:
            fr += 1
        if tok in EN_MARKERS:
            en += 1
    if fr == en:
        return default
    return "fr" if fr > en else "en"
