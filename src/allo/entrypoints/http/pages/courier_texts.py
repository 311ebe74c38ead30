"""Words of the courier app: confirmations, errors by stable code, problem reasons."""

from __future__ import annotations

DONE = {
    "shift_started": "Service commencé. Bonne route !",
    "shift_ended": "Service terminé. À bientôt !",
    "shift_planned": "Heure de fin enregistrée.",
    "shift_booked": "Service réservé : le dispatch compte sur vous à cette heure-là.",
    "booking_cancelled": "Réservation annulée.",
    "accepted": "Course acceptée.",
    "declined": "Course refusée.",
    "given_back": "Course rendue : le dispatch la confie à un autre coursier.",
    "at_shop": "Le magasin sait que vous êtes là.",
    "picked_up": "Commandes récupérées : le client a reçu son code de remise.",
    "delivered": "Livraison confirmée. Merci !",
    "failed": "Problème enregistré ; le dispatch est prévenu.",
    "sent": "Message envoyé au client.",
}

ERRORS = {
    "wrong_pin": "Code de remise incorrect. Demandez au client le code reçu par message.",
    "pin_locked": "Trop de codes incorrects : appelez le dispatch pour débloquer la livraison.",
    "relay_closed": "La conversation avec ce client est close.",
    "relay_unavailable": "Ce client a commandé par téléphone : demandez au dispatch de l'appeler.",
    "customer_opted_out": "Ce client ne reçoit plus de messages : demandez au dispatch de l'appeler.",
    "offer_expired": "L'offre a expiré.",
    "courier_busy": "Terminez la course en cours avant de finir votre service.",
    "already_on_shift": "Votre service a déjà commencé.",
    "not_on_shift": "Votre service n'a pas commencé.",
    "shift_end_past": "L'heure de fin doit être plus tard que maintenant.",
    "shift_too_long": "Un service dure au plus 16 heures.",
    "shift_length": "Choisissez la durée du service.",
    "booking_form": "Choisissez un jour et une heure de début (hh:mm).",
    "booking_past": "Cette heure est déjà passée : choisissez plus tard.",
    "booking_too_far": "On réserve au plus 14 jours à l'avance.",
    "booking_overlaps": "Le service réservé doit commencer après la fin prévue du service en cours.",
    "no_booking": "Aucun service n'est réservé.",
    "not_accepted": "Acceptez d'abord la course.",
    "job_taken_back": "Cette course vous a été retirée : le dispatch l'a confiée à un autre coursier.",
    "already_picked_up": "Les commandes sont récupérées : livrez-les, ou signalez un problème à la porte.",
    "invalid_transition": "Cette action n'est plus possible : la page est à jour.",
    "empty_message": "Écrivez un message d'abord.",
    "reason_required": "Dites ce qui s'est passé.",
    "forbidden": "Cette course n'est pas la vôtre.",
}

#: Problems a courier can report at the door (value → the reason recorded on the order).
FAIL_REASONS = {
    "customer_absent": "Client absent",
    "address_not_found": "Adresse introuvable",
    "refused": "Commande refusée par le client",
    "damaged": "Commande abîmée",
    "other": "Autre problème",
}

#: Why a courier gives back a job accepted but not picked up (value → the reason recorded on the job).
GIVE_BACK_REASONS = {
    "vehicle": "Panne ou crevaison",
    "accident": "Accident ou imprévu",
    "too_far": "Trop loin finalement",
    "other": "Autre raison",
}


def error_text(code: str, message: str | None = None) -> str:
    text = ERRORS.get(code, "Action impossible.")
    if code == "wrong_pin" and message and "left" in message:
        left = "".join(ch for ch in message if ch.isdigit())
        if left:
            text += f" ({left} essai{'s' if left != '1' else ''} restant{'s' if left != '1' else ''})"
    return text
