"""The Dialogue: one customer message (or order event) in, new state + replies + commands out.

Pure: no I/O, no clock. Geocoding, zone, ETA and order status come through DialoguePorts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from allo.domain.catalog import Catalog
from allo.ordering.dialogue import aftercare, edits, intents
from allo.ordering.dialogue.commands import EraseData, OptIn, OptOut
from allo.ordering.dialogue.drafting import absorb, answer, ask, in_stock_instead, reorder, suggest_items
from allo.ordering.dialogue.flow import advance, place
from allo.ordering.dialogue.ports import DialoguePorts, DialogueResult
from allo.ordering.dialogue.render import Renderer
from allo.ordering.dialogue.state import ConversationState, LineState, Stage
from allo.ordering.dialogue.turn import Turn
from allo.ordering.draft import Draft, DraftLine
from allo.ordering.parser import OrderParser

DRAFT_TTL = timedelta(hours=3)  # a draft left this long is forgotten on the next message
_DRAFT_STAGES = frozenset({Stage.ORDERING, Stage.CONFIRM})


class Dialogue:
    """The ordering conversation for one shop's catalog.

    >>> dialogue = Dialogue(catalog, shop_name="Pizzeria du Port")
    >>> result = dialogue.handle(ConversationState(), "bonjour", ports, now)
    """

    def __init__(self, catalog: Catalog, *, shop_name: str, currency: str = "EUR",
                 parser: OrderParser | None = None) -> None:
        self.catalog = catalog
        self.shop_name = shop_name
        self.currency = currency
        self.parser = parser or OrderParser(catalog)

    def _turn(self, state: ConversationState, ports: DialoguePorts | None) -> Turn:
        st = state.copy()
        r = Renderer(self.catalog, self.shop_name, self.currency, st.language or "fr")
        return Turn(state=st, catalog=self.catalog, parser=self.parser, r=r, ports=ports)

    def handle(self, state: ConversationState, text: str, ports: DialoguePorts, now: datetime) -> DialogueResult:
        """Answer one inbound message. Never raises on odd input; `state` is not modified."""
        st = state.copy()
        st.language = intents.detect_language(text, st.language)
        turn = self._turn(st, ports)
        self._expire(turn, now)
        turn.state.updated_at = now.isoformat()
        turn.shown_before, turn.state.shown_skus = turn.state.shown_skus, []  # "alors 2" right after only
        self._dispatch(turn, text)
        return DialogueResult(state=turn.state, replies=turn.replies, commands=turn.commands)

    def on_order_event(self, state: ConversationState, event: str, order_id: str,
                       data: dict[str, Any] | None = None) -> DialogueResult:
        """React to an order event: "placed", "place_failed", "shop_closed" (data: the `ShopOpening`'s
        fields and asked_for_a_time), "cancel_refused", "confirmed", "ready",
        "delayed" (in the kitchen), "running_late" (any other cause), "assigned", "courier_changed"
        (the courier who accepted had to give the job up: another is being found), "picked_up",
        "delivered", "cancelled", "failed". `data` may hold number,
        tracking_url, eta_minutes, clock (a delay's new arrival time), total_cents, reason."""
        turn = self._turn(state, None)
        aftercare.order_event(turn, event, order_id, data or {})
        if turn.state.stage == Stage.OPTED_OUT:
            turn.replies = []
        return DialogueResult(state=turn.state, replies=turn.replies, commands=turn.commands)

    @staticmethod
    def _expire(turn: Turn, now: datetime) -> None:
        st = turn.state
        if st.updated_at is None or st.stage not in _DRAFT_STAGES:
            return
        try:
            last = datetime.fromisoformat(st.updated_at)
            stale = now - last > DRAFT_TTL
        except (ValueError, TypeError):
            stale = False
        if stale:
            st.draft = None
            st.questions = []
            st.stage = Stage.ACTIVE if st.pending_order_id else Stage.IDLE

    def _dispatch(self, turn: Turn, text: str) -> None:
        st = turn.state
        if st.stage == Stage.OPTED_OUT:
            if intents.is_start(text):
                st.stage = Stage.ACTIVE if st.pending_order_id else Stage.IDLE
                turn.commands.append(OptIn())
                turn.say("opted_in")
            return
        if intents.is_stop(text):
            st.stage = Stage.OPTED_OUT
            st.draft = None
            st.questions = []
            turn.commands.append(OptOut())
            turn.say("opted_out", shop=self.shop_name)
            return
        if intents.is_erase(text):
            turn.commands.append(EraseData())
            turn.say("erased")
            turn.state = ConversationState(language=st.language)
            return
        if not intents.tokens(text) and not any(c in text for c in "★⭐") and not intents.is_thumbs(text):
            self._fallback(turn)
            return
        if st.stage == Stage.RATING and aftercare.rate(turn, text):
            return
        if intents.is_status(text):
            if st.pending_order_id is None and st.last_order_id is None and st.draft is not None and st.draft.lines:
                turn.say("draft_reminder")  # "how long will it take?" before confirming: the summary says
                self._nudge(turn)
            else:
                aftercare.status(turn)
            return
        if intents.is_help(text):
            self._help(turn, text)
            return
        if intents.is_hours_question(text) and not self.parser.parse(text).lines:
            self._hours(turn)
            return
        if intents.is_delivery_fee_question(text) and not self.parser.parse(text).lines:
            turn.say("delivery_free")  # orders by message carry no delivery fee
            self._back_to_draft(turn)
            return
        if st.stage == Stage.PLACING:
            if intents.has_cancel(text):
                aftercare.cancel(turn)
            else:
                turn.say("still_placing")
            return
        if intents.has_cancel(text):
            self._cancel(turn, text)
            return
        if st.questions and answer(turn, text):
            st.fallbacks = 0
            absorb(turn, self.parser.parse(text), lines=False)  # an address or time said with the answer
            advance(turn)
            return
        if st.stage == Stage.CONFIRM and not st.questions:
            if intents.is_confirm(text):
                place(turn)
                return
            if intents.is_deny(text):
                turn.say("confirm_no")
                return
        if intents.is_confirm(text) or intents.is_deny(text):
            self._nudge(turn, text)
            return
        if intents.is_thanks(text):
            if not self._back_to_draft(turn):
                turn.say("thanks_reply")
            return
        self._order_text(turn, text)

    def _order_text(self, turn: Turn, text: str) -> None:
        """A message with order content: new lines, an address, or a change to the draft."""
        st = turn.state
        parsed = self.parser.parse(intents.strip_greeting(text))
        if self._answer_about_items(turn, text, parsed):
            return
        _follow_up_quantity(turn, text, parsed)
        editing = st.draft is not None and bool(st.draft.lines)
        clauses = intents.edit_clauses(text) if editing else [text]
        if not parsed.lines and intents.is_same_again(text):
            if not _last_lines(st):
                turn.say("no_last_order", example=turn.r.example())
                return
            absorb(turn, parsed)  # the address or time said with it
            took = reorder(turn, _last_lines(st))
        elif len(clauses) > 1:  # "ajoute 2 cocas et enlève la reine, mets une diavola à la place"
            took, removed = False, False
            for clause in clauses:
                mode = intents.edit_mode(clause)
                mode = "add" if mode == "change" and removed else mode  # "à la place" of what was just removed
                took = self._edit(turn, clause, self.parser.parse(clause), mode) or took
                removed = removed or mode == "remove"
        else:
            took = self._edit(turn, text, parsed, intents.edit_mode(text) if editing else "add")
        if (not took and st.draft is not None and st.draft.lines and not st.draft.located
                and all(q.kind == "reuse_address" for q in st.questions) and intents.looks_like_address(text)):
            st.draft.address_text = text.strip()  # awaiting an address: read the whole message as one
            st.questions = []
            took = True
        if not took:
            took = suggest_items(turn, text)  # "une pizza": the parser names no item, the catalog has kinds
        if not took:
            self._fallback(turn)
            return
        st.fallbacks = 0
        if st.stage == Stage.RATING:
            st.rating_order_id = None
        advance(turn)

    def _answer_about_items(self, turn: Turn, text: str, parsed: Draft) -> bool:
        """"Combien coûte la reine ?", "vous avez du tiramisu ?": the items and their prices, nothing
        added (then where we were). True when the message was such a question."""
        asked = intents.is_availability_question(text)
        if not (asked or intents.is_price_question(text)) or not any(dl.sku for dl in parsed.lines):
            return False
        named = list(dict.fromkeys(dl.sku for dl in parsed.lines if dl.sku))
        skus: list[str] = []
        for sku in named:
            if turn.catalog.item(sku).available:
                skus.append(sku)
            else:  # sold out: said so, and the closest items in stock shown instead
                turn.say("sold_out", item=turn.catalog.item(sku).name)
                skus.extend(in_stock_instead(turn, sku))
        skus = list(dict.fromkeys(skus))
        turn.state.shown_skus = skus
        if skus:
            lines = turn.r.menu_lines(skus)
            turn.say_text(turn.r.t("we_have", items=lines) if asked else lines)
        if not self._back_to_draft(turn) and asked:
            turn.say("how_to_order")
        return True

    def _back_to_draft(self, turn: Turn) -> bool:
        """Repeat the draft's pending question or summary, if an order is being drafted."""
        st = turn.state
        if st.stage in _DRAFT_STAGES and st.draft is not None:
            self._nudge(turn)
            return True
        return False

    @staticmethod
    def _edit(turn: Turn, text: str, parsed: Draft, mode: str) -> bool:
        """Apply one change to the draft: options of a line, a removal, a replacement or new lines."""
        if turn.state.draft is not None and turn.state.draft.lines and edits.modify_options(turn, text, parsed):
            return True
        if mode == "remove":
            return edits.remove(turn, text, parsed)
        if mode == "change":
            return edits.change(turn, text, parsed) or absorb(turn, parsed)
        return absorb(turn, parsed)

    def _cancel(self, turn: Turn, text: str) -> None:
        """"annule le coca" removes a line; "annule" alone cancels the draft or the order."""
        st = turn.state
        if st.draft is not None and st.draft.lines and st.stage in _DRAFT_STAGES:
            parsed = self.parser.parse(text)
            named = [dl.sku for dl in parsed.lines if dl.sku]
            if any(ln.sku in named for ln in st.draft.lines):
                edits.remove(turn, text, parsed)
                advance(turn)
                return
        aftercare.cancel(turn)

    def _help(self, turn: Turn, text: str) -> None:
        st = turn.state
        if st.stage in _DRAFT_STAGES and st.draft is not None:
            if not intents.is_greeting(text):
                turn.say_text(turn.r.menu())
            self._nudge(turn)
        else:
            turn.say_text(turn.r.welcome())

    def _hours(self, turn: Turn) -> None:
        """Open now, and until when; or closed, and when it opens (then where we were)."""
        opening = turn.ports.closed_until(None) if turn.ports is not None else None
        if opening is not None:
            turn.say_text(turn.r.closed(opening, asked_for_a_time=False))
        else:
            closes = turn.ports.closes_at() if turn.ports is not None else None
            turn.say("shop_open", until=turn.r.t("open_until", clock=closes) if closes else "")
        self._back_to_draft(turn)

    def _nudge(self, turn: Turn, text: str = "") -> None:
        """Repeat where we are: the pending question, the summary, or what is still missing."""
        st = turn.state
        if st.stage in _DRAFT_STAGES and st.draft is not None:
            if st.questions:
                ask(turn, st.questions[0])
            else:
                advance(turn)
        elif st.stage == Stage.RATING:
            turn.say("rating_ask")
        elif intents.is_confirm(text):
            turn.say("thanks_reply")
        else:
            self._fallback(turn)

    def _fallback(self, turn: Turn) -> None:
        st = turn.state
        st.fallbacks += 1
        if st.stage == Stage.RATING:
            turn.say("rating_ask")
        elif st.stage in _DRAFT_STAGES and st.draft is not None:
            turn.say("not_understood")  # then the pending question or the summary, not "text your order"
            self._nudge(turn)
        else:
            turn.say_text(turn.r.fallback())


def _last_lines(st: ConversationState) -> list[LineState]:
    return list(st.last_drop.lines) if st.last_drop is not None else []


def _follow_up_quantity(turn: Turn, text: str, parsed: Draft) -> None:
    """"Alors 2 boîtes au 14 bd des Moulins" right after "vous avez du doliprane 500 ?" was answered
    with that one item: a line of it ("14 bd des Moulins" is an address, not 14 of it)."""
    starts_with_address = bool(parsed.address.text) and text.strip().startswith(parsed.address.text or "")
    if len(turn.shown_before) != 1 or parsed.lines or starts_with_address:
        return
    qty = intents.leading_quantity(text)
    if qty is not None:
        parsed.lines.append(DraftLine(sku=turn.shown_before[0], qty=qty, text=text))
