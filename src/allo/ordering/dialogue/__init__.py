"""The ordering conversation (pure): greeting, draft, questions, summary, confirmation, aftercare.

Public API:
    Dialogue(catalog, shop_name=..., currency="EUR").handle(state, text, ports, now) -> DialogueResult
    Dialogue.on_order_event(state, event, order_id, data) -> DialogueResult
    ConversationState (to_dict / from_dict), DialoguePorts, LocatedAddress, OrderStatusView, ShopOpening,
    SoonestArrival
    Commands: PlaceOrder, CancelOrder, OptOut, OptIn, EraseData, RateOrder
"""

from allo.ordering.dialogue.commands import (
    CancelOrder,
    Command,
    EraseData,
    LineSpec,
    OptIn,
    OptOut,
    PlaceOrder,
    RateOrder,
)
from allo.ordering.dialogue.engine import Dialogue
from allo.ordering.dialogue.ports import (
    DialoguePorts, DialogueResult, LocatedAddress, OrderStatusView, ShopOpening, SoonestArrival,
)
from allo.ordering.dialogue.state import ConversationState, DraftState, LineState, Question, Stage

__all__ = [
    "CancelOrder",
    "Command",
    "ConversationState",
    "Dialogue",
    "DialoguePorts",
    "DialogueResult",
    "DraftState",
    "EraseData",
    "LineSpec",
    "LineState",
    "LocatedAddress",
    "OptIn",
    "OptOut",
    "OrderStatusView",
    "PlaceOrder",
    "Question",
    "RateOrder",
    "ShopOpening",
    "SoonestArrival",
    "Stage",
]
