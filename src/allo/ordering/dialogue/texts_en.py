"""Every reply text in English. Placeholders are filled by render.py; keys match texts_fr.py.

Texts keep to the GSM-7 SMS alphabet (plus €), like the French ones.
"""

from __future__ import annotations

DECIMAL = "."
MONEY = "{symbol}{amount}"  # €12.50

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOUR = "{hour}:00"  # an hour as a customer would ask for it: "for 12:00"

TEXTS: dict[str, str] = {
    "welcome": 'Hello! This is {shop}. Text your order and your address, e.g. "{example}".\n'
    "{items}\nReply MENU for the menu, STOP to stop receiving messages.",
    "menu": "{shop}:\n{items}\nText your order and your address.",
    "menu_item": "- {name}: {price}",
    "menu_more": "... and {count} more items.",
    "ask_items": "What would you like to order?",
    "ask_address": "Where should we deliver? Send the number and street (and door code, floor if needed).",
    "address_not_found": 'I can\'t find the address "{text}". Could you send it again with the number, '
    "street and town?",
    "address_out_of_zone": "Sorry, {label} is outside our delivery area. Send another address or CANCEL.",
    "confirm_address": "I found {label}, but not the exact number. Is that the right address? Reply YES or "
    "send the full address.",
    "confirm_place": "I found {label}, in our delivery area. Is that the right address? Reply YES or send "
    "the full address, with the town.",
    "pick_item": '"{text}": which one would you like?\n{choices}\nReply with the number, or NO.',
    "sold_out": "Sorry, {item} is out of stock at the moment.",
    "sold_out_removed": "Sorry, {item} has just sold out: I took it out of your order.",
    "instead_of": "Sorry, {item} is out of stock at the moment. Would you like one of these instead?\n{choices}\n"
    "Reply with the number, or NO.",
    "choice": "{n}) {label}",
    "no_match": 'We don\'t have "{text}". For example:\n{items}',
    "confirm_line": 'For "{text}" I understood: {line}. Is that right? YES / NO',
    "pick_option": '{item}: which "{group}"?\n{choices}\nReply with the number.',
    "retype_line": 'OK. Please tell me again what you want instead of "{text}".',
    "not_in_order": '"{text}" is not in your order.',
    "summary": "Your order:\n{lines}\nTotal: {total}\nDelivery: {address}\n{when}\n"
    "Reply YES to confirm, or tell me what to change.",
    "summary_line": "{qty} x {name}{details}: {price}",
    "without": "no {what}",
    "door_code": "code {code}",
    "floor": "floor {floor}",
    "reuse_address": "Deliver to {label} like last time? Reply YES or send another address.",
    "noted": "Noted: {items}.",
    "eta": "Estimated arrival: about {minutes} min.",
    "eta_at": "Estimated arrival: around {clock}.",
    "eta_no_courier": "No courier is on duty right now: your order will leave as soon as one is available.",
    "requested": "Requested delivery: {when}.",
    "requested_too_soon": "We cannot deliver before about {clock}.",
    "shop_closed": "Sorry, {shop} is not taking orders right now{opens}. You can order for later by saying when, "
                   "for example \"for {example}\".",
    "shop_closed_then": "Sorry, {shop} does not deliver at the time asked{opens}. Please say another time, for "
                        "example \"for {example}\".",
    "shop_not_taking": "Sorry, {shop} is not taking orders by message at the moment.",
    "resumes_today": " (orders resume at {clock})",
    "opens_today": " (opens at {clock})",
    "opens_tomorrow": " (opens tomorrow at {clock})",
    "opens_on": " (opens on {day} at {clock})",
    "confirm_no": 'What would you like to change? E.g. "add a coke", "remove the coke", "make it 3", or CANCEL.',
    "placing": "Thank you! Your order is being placed...",
    "still_placing": "Your order is being placed, one moment.",
    "placed": "Order {number} confirmed. Total {total}.{eta} Track it: {url}",
    "placed_no_url": "Order {number} confirmed. Total {total}.{eta}",
    "placed_eta": " Arriving in about {minutes} min.",
    "placed_no_courier": " No courier is on duty right now: it will leave as soon as one is available.",
    "place_failed": "Sorry, the order could not be placed{reason}. Reply YES to try again or CANCEL.",
    "reason_sold_out": " (an item has just sold out)",
    "reason": " ({reason})",
    "draft_cancelled": "OK, order cancelled. Text us any time.",
    "nothing_to_cancel": "You have no order in progress.",
    "cancel_requested": "OK, cancelling order {number}.",
    "cancel_when_placed": "OK: the order will be cancelled as soon as it is registered.",
    "cancel_refused": "Sorry, order {number} can no longer be cancelled{reason}.",
    "cancel_too_late": "Too late to cancel: order {number} is already on its way.",
    "status": "Order {number}: {status}.{eta}{url}",
    "status_eta": " Arriving in about {minutes} min.",
    "status_eta_at": " Arriving around {clock}.",
    "status_url": " Track it: {url}",
    "status_unknown": "I can't find your order right now. Please try again in a moment.",
    "no_order": "You have no order in progress.",
    "draft_reminder": "Your order is not confirmed yet.",
    "ev_assigned": "A courier is picking up your order {number} at the shop.{at}",
    "ev_picked_up": "Your order {number} is on its way!{eta}{url}",
    "ev_courier_changed": "Change of courier for your order {number}: the first one could not make it, another is taking over.{url}",
    "ev_delayed": "Your order {number} is delayed in the kitchen.{at}{url}",
    "ev_running_late": "Sorry, your order {number} is running late.{at}{url}",
    "ev_delivered": 'Your order {number} has been delivered. Enjoy! Rate us from 1 to 5 (e.g. "5").',
    "ev_cancelled": "Order {number} is cancelled.{reason}",
    "ev_failed": "We could not deliver order {number}{reason}. The shop will contact you.",
    "rating_thanks": "Thanks for your rating ({stars}/5)!",
    "rating_ask": 'Please reply with a rating from 1 to 5 (e.g. "4" or "5 stars").',
    "opted_out": "You will receive no more messages from {shop}. Reply START to resume.",
    "opted_in": "Welcome back! Text your order and your address.",
    "erased": "Noted: your personal data will be erased. Thank you and goodbye.",
    "thanks_reply": "You're welcome! Text us any time for a new order.",
    "fallback": 'Sorry, I didn\'t understand. Text your order, e.g. "{example}", or MENU.',
    "we_have": "Here is what we have:\n{items}",
    "how_to_order": "To order, text the quantity and your address.",
    "delivery_free": "Delivery is free.",
    "no_longer_sold": "{item} is no longer available, so I left it out.",
    "no_last_order": 'I cannot find an earlier order here. Text your order, e.g. "{example}".',
    "shop_open": "We are open{until}: text your order and your address.",
    "open_until": " until {clock}",
    "not_understood": "Sorry, I didn't understand.",
    "qty_too_large": "{qty} is a lot: for more than {max}, please call the shop.",
}

STATUS: dict[str, str] = {
    "draft": "being prepared",
    "confirmed": "accepted, being prepared",
    "ready": "ready, waiting for a courier",
    "assigned": "a courier is picking it up",
    "picked_up": "on its way to you",
    "delivered": "delivered",
    "cancelled": "cancelled",
    "failed": "not delivered",
}
