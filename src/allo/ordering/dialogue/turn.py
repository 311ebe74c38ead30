"""One turn of the conversation: the state being changed, the replies and commands produced."""

from __future__ import annotations

from dataclasses import dataclass, field

from allo.domain.catalog import Catalog
from allo.ordering.dialogue.commands import Command
from allo.ordering.dialogue.ports import DialoguePorts
from allo.ordering.dialogue.render import Renderer
from allo.ordering.dialogue.state import ConversationState, DraftState
from allo.ordering.parser import OrderParser


@dataclass
class Turn:
    """Mutable scratchpad for one handled message or event."""

    state: ConversationState
    catalog: Catalog
    parser: OrderParser
    r: Renderer
    ports: DialoguePorts | None = None
    replies: list[str] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    shown_before: list[str] = field(default_factory=list)  # items the previous reply answered about

    def say(self, key: str, **values: object) -> None:
        """Queue the reply `key` in the customer's language."""
        self.replies.append(self.r.t(key, **values))

    def say_text(self, text: str) -> None:
        self.replies.append(text)

    @property
    def draft(self) -> DraftState:
        """The draft, created on first use."""
        if self.state.draft is None:
            self.state.draft = DraftState()
        return self.state.draft
