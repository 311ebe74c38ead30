"""Every reply text in French. Placeholders are filled by render.py; keys match texts_en.py.

Texts keep to the GSM-7 SMS alphabet (plus €): straight quotes, "..." and no ê/ô/ç, so one SMS
segment holds 160 characters instead of 70.
"""

from __future__ import annotations

DECIMAL = ","
MONEY = "{amount} {symbol}"  # 12,50 €

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
HOUR = "{hour}h"  # an hour as a customer would ask for it: "pour 12h"

TEXTS: dict[str, str] = {
    "welcome": 'Bonjour ! Ici {shop}. Écrivez votre commande et votre adresse, par ex. "{example}".\n'
    "{items}\nRépondez MENU pour la carte, STOP pour ne plus recevoir de messages.",
    "menu": "{shop} :\n{items}\nÉcrivez votre commande et votre adresse.",
    "menu_item": "- {name} : {price}",
    "menu_more": "... et {count} autres articles.",
    "ask_items": "Que souhaitez-vous commander ?",
    "ask_address": "Quelle est l'adresse de livraison ? Envoyez le numéro et la rue (et code, étage si besoin).",
    "address_not_found": 'Je ne trouve pas l\'adresse "{text}". Pouvez-vous la renvoyer avec le numéro, '
    "la rue et la ville ?",
    "address_out_of_zone": "Désolé, {label} est hors de notre zone de livraison. Envoyez une autre adresse "
    "ou ANNULE.",
    "confirm_address": "Je trouve {label}, sans le numéro exact. Est-ce la bonne adresse ? Répondez OUI ou "
    "envoyez l'adresse complète.",
    "confirm_place": "Je trouve {label}, dans notre zone de livraison. Est-ce la bonne adresse ? Répondez OUI "
    "ou envoyez l'adresse complète, avec la ville.",
    "pick_item": '"{text}" : vous voulez lequel de ces articles ?\n{choices}\nRépondez par le numéro, ou NON.',
    "sold_out": "Désolé, {item} : en rupture de stock pour le moment.",
    "sold_out_removed": "Désolé, {item} vient de s'épuiser : je l'ai retiré de votre commande.",
    "instead_of": "Désolé, {item} : en rupture de stock pour le moment. Voulez-vous l'un de ces articles à la "
    "place ?\n{choices}\nRépondez par le numéro, ou NON.",
    "choice": "{n}) {label}",
    "no_match": 'Nous n\'avons pas "{text}". Par exemple :\n{items}',
    "confirm_line": 'Pour "{text}", j\'ai compris : {line}. Est-ce correct ? OUI / NON',
    "pick_option": '{item} : quel choix pour "{group}" ?\n{choices}\nRépondez par le numéro.',
    "retype_line": 'D\'accord. Écrivez-moi à nouveau ce que vous voulez à la place de "{text}".',
    "not_in_order": '"{text}" n\'est pas dans votre commande.',
    "summary": "Votre commande :\n{lines}\nTotal : {total}\nLivraison : {address}\n{when}\n"
    "Répondez OUI pour confirmer, ou dites-moi quoi changer.",
    "summary_line": "{qty} x {name}{details} : {price}",
    "without": "sans {what}",
    "door_code": "code {code}",
    "floor": "étage {floor}",
    "reuse_address": "Livrer comme la dernière fois à {label} ? Répondez OUI ou envoyez une autre adresse.",
    "noted": "C'est noté : {items}.",
    "eta": "Arrivée estimée : environ {minutes} min.",
    "eta_at": "Arrivée estimée vers {clock}.",
    "eta_no_courier": "Aucun livreur n'est en service pour le moment : votre commande partira dès que l'un d'eux "
                      "sera disponible.",
    "requested": "Livraison demandée : {when}.",
    "requested_too_soon": "Nous ne pourrons pas livrer avant {clock} environ.",
    "shop_closed": "Désolé, {shop} ne prend pas de commandes pour le moment{opens}. Vous pouvez commander pour plus "
                   "tard en précisant l'heure, par exemple \"pour {example}\".",
    "shop_closed_then": "Désolé, {shop} ne livre pas à l'heure demandée{opens}. Précisez une autre heure, par "
                        "exemple \"pour {example}\".",
    "shop_not_taking": "Désolé, {shop} ne prend pas de commandes par message pour le moment.",
    "resumes_today": " (reprise des commandes à {clock})",
    "opens_today": " (ouverture à {clock})",
    "opens_tomorrow": " (ouverture demain à {clock})",
    "opens_on": " (ouverture {day} à {clock})",
    "confirm_no": 'Que voulez-vous changer ? Par ex. "ajoute un coca", "enlève le coca", "mets-en 3", ou ANNULE.',
    "placing": "Merci ! Votre commande est en cours d'enregistrement...",
    "still_placing": "Votre commande est en cours d'enregistrement, un instant.",
    "placed": "Commande {number} confirmée. Total {total}.{eta} Suivi : {url}",
    "placed_no_url": "Commande {number} confirmée. Total {total}.{eta}",
    "placed_eta": " Arrivée dans environ {minutes} min.",
    "placed_no_courier": " Aucun livreur n'est en service pour le moment : elle partira dès que l'un d'eux sera "
                         "disponible.",
    "place_failed": "Désolé, l'enregistrement de la commande a échoué{reason}. Répondez OUI pour réessayer "
    "ou ANNULE.",
    "reason_sold_out": " (un article vient de s'épuiser)",
    "reason": " ({reason})",
    "draft_cancelled": "C'est noté, commande annulée. Écrivez-nous quand vous voulez.",
    "nothing_to_cancel": "Vous n'avez pas de commande en cours.",
    "cancel_requested": "C'est noté, j'annule la commande {number}.",
    "cancel_when_placed": "C'est noté : la commande sera annulée dès son enregistrement.",
    "cancel_refused": "Désolé, impossible d'annuler la commande {number}{reason}.",
    "cancel_too_late": "Trop tard pour annuler : la commande {number} est déjà en route.",
    "status": "Commande {number} : {status}.{eta}{url}",
    "status_eta": " Arrivée dans environ {minutes} min.",
    "status_eta_at": " Arrivée prévue vers {clock}.",
    "status_url": " Suivi : {url}",
    "status_unknown": "Je ne retrouve pas votre commande pour l'instant. Réessayez dans un moment.",
    "no_order": "Vous n'avez pas de commande en cours.",
    "draft_reminder": "Votre commande n'est pas encore confirmée.",
    "ev_assigned": "Un livreur va chercher votre commande {number} à la boutique.{at}",
    "ev_picked_up": "Votre commande {number} est en route !{eta}{url}",
    "ev_courier_changed": "Changement de livreur pour votre commande {number} : le premier a eu un imprévu, un autre prend le relais.{url}",
    "ev_delayed": "Votre commande {number} prend du retard en cuisine.{at}{url}",
    "ev_running_late": "Votre commande {number} aura du retard, nous en sommes désolés.{at}{url}",
    "ev_delivered": 'Votre commande {number} est livrée. Bonne journée ! Notez-nous de 1 à 5 (ex. "5").',
    "ev_cancelled": "La commande {number} est annulée.{reason}",
    "ev_failed": "Nous n'avons pas pu livrer la commande {number}{reason}. La boutique va vous contacter.",
    "rating_thanks": "Merci pour votre note ({stars}/5) !",
    "rating_ask": 'Répondez par une note de 1 à 5 (ex. "4" ou "5 étoiles").',
    "opted_out": "Vous ne recevrez plus de messages de {shop}. Répondez START pour reprendre.",
    "opted_in": "Bon retour ! Écrivez votre commande et votre adresse.",
    "erased": "C'est noté : vos données personnelles seront supprimées. Merci et au revoir.",
    "thanks_reply": "Avec plaisir ! Écrivez-nous pour une nouvelle commande.",
    "fallback": 'Désolé, je n\'ai pas compris. Écrivez votre commande, par ex. "{example}", ou MENU.',
    "we_have": "Voici ce que nous avons :\n{items}",
    "how_to_order": "Pour commander, écrivez la quantité et votre adresse.",
    "delivery_free": "La livraison est offerte.",
    "no_longer_sold": "{item} n'est plus disponible : je ne l'ajoute pas.",
    "no_last_order": 'Je ne retrouve pas de commande précédente ici. Écrivez votre commande, par ex. "{example}".',
    "shop_open": "Nous sommes ouverts{until} : écrivez votre commande et votre adresse.",
    "open_until": " jusqu'à {clock}",
    "not_understood": "Désolé, je n'ai pas compris.",
    "qty_too_large": "{qty}, c'est beaucoup : pour plus de {max}, appelez la boutique.",
}

STATUS: dict[str, str] = {
    "draft": "en préparation",
    "confirmed": "acceptée, en préparation",
    "ready": "préparée, en attente d'un livreur",
    "assigned": "un livreur va la chercher",
    "picked_up": "en route vers vous",
    "delivered": "livrée",
    "cancelled": "annulée",
    "failed": "non livrée",
}
