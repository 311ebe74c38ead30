"""Every reply text in French. Placeholders are filled by render.py; keys match texts_en.py."""

from __future__ import annotations

DECIMAL = ","
MONEY = "{amount} {symbol}"  # 12,50 €

TEXTS: dict[str, str] = {
    "welcome": "Bonjour ! Ici {shop}. Écrivez votre commande et votre adresse, par ex. « {example} ».\n"
    "{items}\nRépondez MENU pour la carte, STOP pour ne plus recevoir de messages.",
    "menu": "{shop} :\n{items}\nÉcrivez votre commande et votre adresse.",
    "menu_item": "- {name} : {price}",
    "menu_more": "… et {count} autres articles.",
    "ask_items": "Que souhaitez-vous commander ?",
    "ask_address": "À quelle adresse livrer ? Envoyez le numéro et la rue (et code, étage si besoin).",
    "address_not_found": "Je ne trouve pas l'adresse « {text} ». Pouvez-vous la renvoyer avec le numéro, "
    "la rue et la ville ?",
    "address_out_of_zone": "Désolé, {label} est hors de notre zone de livraison. Envoyez une autre adresse "
    "ou ANNULE.",
    "confirm_address": "Je trouve {label}, sans le numéro exact. Est-ce bien ça ? Répondez OUI ou envoyez "
    "l'adresse complète.",
    "pick_item": "« {text} » : vous voulez lequel de ces articles ?\n{choices}\nRépondez par le numéro, ou NON.",
    "choice": "{n}) {label}",
    "no_match": "Nous n'avons pas « {text} ». Par exemple :\n{items}",
    "confirm_line": "Pour « {text} », j'ai compris : {line}. C'est bien ça ? OUI / NON",
    "pick_option": "{item} : quel choix pour « {group} » ?\n{choices}\nRépondez par le numéro.",
    "retype_line": "D'accord. Écrivez-moi à nouveau ce que vous voulez à la place de « {text} ».",
    "not_in_order": "« {text} » n'est pas dans votre commande.",
    "which_line": "Quel article modifier ?\n{choices}",
    "summary": "Votre commande :\n{lines}\nTotal : {total}\nLivraison : {address}\n{when}\n"
    "Répondez OUI pour confirmer, ou dites-moi quoi changer.",
    "summary_line": "{qty} x {name}{details} : {price}",
    "without": "sans {what}",
    "door_code": "code {code}",
    "floor": "étage {floor}",
    "noted": "C'est noté : {items}.",
    "eta": "Arrivée estimée : environ {minutes} min.",
    "requested": "Livraison demandée : {when}.",
    "empty_order": "Votre commande est vide. Que souhaitez-vous commander ?",
    "confirm_no": "Que voulez-vous changer ? Par ex. « ajoute un coca », « enlève le coca », « plutôt 3 », "
    "ou ANNULE.",
    "placing": "Merci ! Votre commande est en cours d'enregistrement…",
    "still_placing": "Votre commande est en cours d'enregistrement, un instant.",
    "placed": "Commande {number} confirmée. Total {total}.{eta} Suivi : {url}",
    "placed_no_url": "Commande {number} confirmée. Total {total}.{eta}",
    "placed_eta": " Arrivée vers {minutes} min.",
    "place_failed": "Désolé, la commande n'a pas pu être enregistrée{reason}. Répondez OUI pour réessayer "
    "ou ANNULE.",
    "reason": " ({reason})",
    "draft_cancelled": "C'est noté, commande annulée. Écrivez-nous quand vous voulez.",
    "nothing_to_cancel": "Vous n'avez pas de commande en cours.",
    "cancel_requested": "C'est noté, j'annule la commande {number}.",
    "cancel_when_placed": "C'est noté : la commande sera annulée dès son enregistrement.",
    "cancel_too_late": "La commande {number} est déjà en route et ne peut plus être annulée.",
    "status": "Commande {number} : {status}.{eta}{url}",
    "status_eta": " Arrivée dans environ {minutes} min.",
    "status_url": " Suivi : {url}",
    "status_unknown": "Je ne retrouve pas votre commande pour l'instant. Réessayez dans un moment.",
    "no_order": "Vous n'avez pas de commande en cours.",
    "draft_reminder": "Votre commande n'est pas encore confirmée.",
    "ev_confirmed": "La commande {number} est acceptée par la boutique.",
    "ev_ready": "La commande {number} est prête, un livreur va la prendre.",
    "ev_assigned": "Un livreur est en route vers la boutique pour votre commande {number}.",
    "ev_picked_up": "Votre commande {number} est en route !{eta}{url}",
    "ev_delivered": "Votre commande {number} est livrée. Bonne journée ! Notez-nous de 1 à 5 (ex. « 5 »).",
    "ev_cancelled": "La commande {number} est annulée.{reason}",
    "ev_failed": "Nous n'avons pas pu livrer la commande {number}{reason}. La boutique va vous contacter.",
    "rating_thanks": "Merci pour votre note ({stars}/5) !",
    "rating_ask": "Répondez par une note de 1 à 5 (ex. « 4 » ou « 5 étoiles »).",
    "opted_out": "Vous ne recevrez plus de messages de {shop}. Répondez START pour reprendre.",
    "opted_in": "Bon retour ! Écrivez votre commande et votre adresse.",
    "erased": "C'est noté : vos données personnelles seront supprimées. Merci et à bientôt.",
    "thanks_reply": "Avec plaisir ! Écrivez-nous pour une nouvelle commande.",
    "fallback": "Désolé, je n'ai pas compris. Écrivez votre commande, par ex. « {example} », ou MENU.",
    "qty_too_large": "{qty}, c'est beaucoup : pour plus de {max}, appelez la boutique.",
}

STATUS: dict[str, str] = {
    "draft": "en préparation",
    "confirmed": "acceptée, en préparation",
    "ready": "prête, en attente d'un livreur",
    "assigned": "un livreur va la chercher",
    "picked_up": "en route vers vous",
    "delivered": "livrée",
    "cancelled": "annulée",
    "failed": "non livrée",
}
