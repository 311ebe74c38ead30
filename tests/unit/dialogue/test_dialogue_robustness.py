"""Any sequence of messages and events: no exception, JSON-safe state, an answer unless opted out."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allo.ordering.dialogue import Stage

from .fakes import Chat

MESSAGES = [
    "bonjour", "hi", "menu", "2 margherita", "une reine et un coca", "oui", "non", "yes", "no", "1", "2", "0",
    "annule", "cancel", "laisse tomber", "14 bd des moulins", "10 promenade des anglais", "av princesse grace",
    "12 rue inconnue", "plutôt 3", "make it 0", "enlève le coca", "remove everything", "ajoute un tiramisu",
    "sans olives", "plutôt en grande", "une pizza", "où en est ma commande ?", "where is my order?", "5",
    "4 étoiles", "★★★", "merci", "STOP", "START", "delete my data", "code 1234", "pour 20h", "xqzw", "",
    "2 doliprane", "oat milk", "300 margherita", "une margherita ou une reine", "😀", "?" * 30,
]
EVENTS = ["placed", "place_failed", "assigned", "picked_up", "delivered", "cancelled", "failed", "unknown"]
STEP = st.one_of(
    st.sampled_from(MESSAGES).map(lambda m: ("say", m)),
    st.text(max_size=40).map(lambda m: ("say", m)),
    st.tuples(st.sampled_from(EVENTS), st.sampled_from(["o-1", "o-2"])).map(lambda e: ("event", e)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shop=st.sampled_from(["pizzeria", "pharmacie", "epicerie"]), steps=st.lists(STEP, max_size=14))
def test_any_conversation_is_handled(shop: str, steps: list[tuple[str, object]]) -> None:
    chat = Chat(shop)
    for kind, payload in steps:
        if kind == "say":
            assert isinstance(payload, str)
            before = chat.state.stage
            result = chat.say(payload)
            if before != Stage.OPTED_OUT:
                assert result.replies, (payload, chat.log[-3:])
        else:
            event, order_id = payload  # type: ignore[misc]
            result = chat.event(event, order_id, number="N-1")
        json.dumps(result.state.to_dict())
        assert all(isinstance(r, str) and r.strip() for r in result.replies)
