"""What Allo says on the relay, in the customer's language (French unless they wrote in English)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "pin": "Code de remise pour la commande {number} : {pin}. Donnez-le au livreur à la porte, "
               "à personne d'autre.",
        "from_courier": "Livreur : {text}",
        "closed": "La livraison de votre commande {number} est terminée et la conversation avec le livreur "
                  "est close. Pour une nouvelle commande, écrivez-la simplement ici.",
        "relay_open": "Vous pouvez répondre ici pour écrire au livreur ; il ne voit pas votre numéro.",
        "held": "C'est noté pour la commande {number} : le livreur lira votre message dès qu'il prendra la "
                "course.",
    },
    "en": {
        "pin": "Handover code for order {number}: {pin}. Give it to the courier at the door, and to no one else.",
        "from_courier": "Courier: {text}",
        "closed": "The delivery of your order {number} is over and the conversation with the courier is "
                  "closed. To order again, just write your order here.",
        "relay_open": "You can reply here to write to the courier; they do not see your number.",
        "held": "Noted for order {number}: the courier will read your message as soon as they take the job.",
    },
}


def say(language: str | None, key: str, **values: object) -> str:
    texts = TEXTS.get(language or "fr", TEXTS["fr"])
    return texts[key].format(**values)
