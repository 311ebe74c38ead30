"""How a simulated customer answers the shop: recognise the reply, choose a sensible answer.

Replies are recognised against the dialogue's own templates (texts_fr / texts_en), so a reworded
template is still understood. Pure: text and a seeded `Random` in, text out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from random import Random

from allo.ordering.dialogue import texts_en, texts_fr
from allo.simulation.live import messages
from allo.simulation.live.messages import DropAddress, OrderPlan

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
#: Template keys a customer reacts to, most specific first.
KEYS = (
    "placed", "placed_no_url", "summary", "confirm_line", "confirm_address", "confirm_place", "instead_of", "pick_item",
    "pick_option", "which_line", "address_out_of_zone", "address_not_found", "ask_address", "no_match", "empty_order",
    "ask_items", "retype_line", "confirm_no", "place_failed", "ev_delivered", "ev_cancelled", "ev_failed",
    "draft_cancelled", "rating_ask", "status", "fallback",
)


def _pattern(template: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(template)
    return re.compile(".*?".join(re.escape(p) for p in parts), re.DOTALL)


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (key, _pattern(mod.TEXTS[key])) for key in KEYS for mod in (texts_fr, texts_en) if key in mod.TEXTS
]
_CHOICE = re.compile(r"^\s*1\)\s*(.+)$", re.MULTILINE)
_MENU_ITEM = re.compile(r"^\s*-\s*(.+?)\s*:\s*\S", re.MULTILINE)


def classify(reply: str) -> str | None:
    """The template key of a shop reply, or None for replies that need no answer."""
    for key, pattern in _PATTERNS:
        if pattern.fullmatch(reply.strip()):
            return key
    return None


def first_suggestion(reply: str) -> str | None:
    """The first item a "we don't have X, for example: ..." reply suggests."""
    m = _MENU_ITEM.search(reply)
    return m.group(1) if m else None


@dataclass
class CustomerMind:
    """One customer's side of the conversation: what to answer to each reply, and when to stop."""

    plan: OrderPlan
    address: DropAddress
    rng: Random
    spare_addresses: list[DropAddress] = field(default_factory=list)
    max_messages: int = 10
    sent: int = 0
    placed: bool = False
    done: bool = False
    delivered: bool = False
    _strikes: dict[str, int] = field(default_factory=dict)

    @property
    def language(self) -> str:
        return self.plan.language

    def opening(self) -> str:
        return self._say(self.plan.first_message) or self.plan.first_message

    def react(self, reply: str) -> str | None:
        """The answer to one shop reply (None: nothing to say)."""
        if self.done:
            return None
        kind = classify(reply)
        if kind is None:
            return None
        return self._say(self._answer(kind, reply))

    def _strike(self, kind: str, limit: int) -> bool:
        """Count one more time this happened; True when it happened too often (give up)."""
        self._strikes[kind] = self._strikes.get(kind, 0) + 1
        return self._strikes[kind] > limit

    def _say(self, text: str | None) -> str | None:
        if text is None:
            return None
        if self.sent >= self.max_messages:
            self.done = True
            return None
        self.sent += 1
        return text

    def _answer(self, kind: str, reply: str) -> str | None:  # noqa: C901 - one case per reply kind
        lang = self.language
        if kind in ("placed", "placed_no_url"):
            self.placed = True
            return None
        if kind in ("summary", "confirm_line", "confirm_address", "confirm_place", "confirm_no"):
            return None if self._strike(kind, 3) else messages.yes(self.rng, lang)
        if kind in ("pick_item", "instead_of", "pick_option", "which_line"):  # "instead_of": a sold-out item
            return None if self._strike(kind, 3) else "1"
        if kind in ("ask_address", "address_not_found"):
            if kind == "ask_address" and "address" not in self._strikes:
                self._strikes["address"] = 0
                return self.plan.address_text  # as first typed, for a customer who left it out
            if self._strike("address", 1) and self.spare_addresses:
                self.address = self.spare_addresses.pop(0)
            return None if self._strike(kind, 4) else self.address.full()
        if kind == "address_out_of_zone":
            if not self.spare_addresses or self._strike(kind, 2):
                return self._give_up(lang)
            self.address = self.spare_addresses.pop(0)
            return self.address.full()
        if kind == "no_match":
            suggestion = first_suggestion(reply)
            if suggestion is None or self._strike(kind, 2):
                return self._give_up(lang)
            return f"1 {suggestion}"
        if kind in ("ask_items", "empty_order", "retype_line"):
            return None if self._strike("items", 2) else self.plan.items_text
        if kind == "place_failed":
            return self._give_up(lang) if self._strike(kind, 1) else messages.yes(self.rng, lang)
        if kind == "fallback":
            return None if self._strike(kind, 1) else self.plan.items_text
        if kind == "ev_delivered":
            self.delivered = self.done = True
            return messages.rating(self.rng) if self.rng.random() < 0.5 else None
        if kind in ("ev_cancelled", "ev_failed", "draft_cancelled"):
            self.done = True
            return None
        if kind == "rating_ask":
            return messages.rating(self.rng)
        return None

    def _give_up(self, lang: str) -> str:
        self.done = True
        return "annule" if lang == "fr" else "cancel"
