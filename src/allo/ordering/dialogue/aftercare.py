"""After the summary: cancelling, order status questions, order events and ratings."""

from __future__ import annotations

from typing import Any

from allo.domain.money import Money
from allo.ordering.dialogue import intents
from allo.ordering.dialogue.commands import CancelOrder, RateOrder
from allo.ordering.dialogue.ports import ShopOpening
from allo.ordering.dialogue.render import CLOCK_AFTER_MINUTES
from allo.ordering.dialogue.state import DraftState, Stage
from allo.ordering.dialogue.turn import Turn

_NOT_CANCELLABLE = frozenset({"picked_up"})
_FINISHED = frozenset({"delivered", "cancelled", "failed"})
_STATUSES = frozenset({"confirmed", "ready", "assigned", "picked_up", "delivered", "cancelled", "failed"})


def _number(turn: Turn, order_id: str, data: dict[str, Any] | None = None) -> str:
    if data and data.get("number"):
        return str(data["number"])
    if order_id == turn.state.pending_order_id and turn.state.pending_order_number:
        return turn.state.pending_order_number
    return order_id


def _current_status(turn: Turn, order_id: str) -> str | None:
    if turn.ports is not None:
        view = turn.ports.order_status(order_id)
        if view is not None:
            return view.status
    return turn.state.order_status


def cancel(turn: Turn) -> None:
    """ANNULE / CANCEL: drop the draft, or cancel the order under way if it has not left the shop."""
    st = turn.state
    has_draft = st.draft is not None and (st.draft.lines or st.draft.address_text) or bool(st.questions)
    if st.stage == Stage.PLACING:
        st.cancel_requested = True
        turn.say("cancel_when_placed")
        return
    if has_draft:
        st.draft = None
        st.questions = []
        st.stage = Stage.ACTIVE if st.pending_order_id else Stage.IDLE
        turn.say("draft_cancelled")
        return
    oid = st.pending_order_id
    if oid is None:
        turn.say("nothing_to_cancel")
        return
    status = _current_status(turn, oid)
    if status in _NOT_CANCELLABLE:
        turn.say("cancel_too_late", number=_number(turn, oid))
    elif status in _FINISHED:
        st.pending_order_id = None
        st.stage = Stage.IDLE
        turn.say("nothing_to_cancel")
    else:
        turn.commands.append(CancelOrder(order_id=oid))
        turn.say("cancel_requested", number=_number(turn, oid))


def status(turn: Turn) -> None:
    """"Où en est ma commande ?": status, ETA and tracking link from the service."""
    st = turn.state
    oid = st.pending_order_id or st.last_order_id
    if oid is None:
        turn.say("no_order")
        return
    view = turn.ports.order_status(oid) if turn.ports is not None else None
    if view is None:
        turn.say("status_unknown")
        return
    eta = ""
    if view.eta_minutes is not None and view.status not in _FINISHED:
        if view.eta_minutes > CLOCK_AFTER_MINUTES and view.eta_clock:  # "vers 20:00", not "dans 420 min"
            eta = turn.r.t("status_eta_at", clock=view.eta_clock)
        else:
            eta = turn.r.t("status_eta", minutes=view.eta_minutes)
    url = turn.r.t("status_url", url=view.tracking_url) if view.tracking_url and view.status not in _FINISHED else ""
    turn.say("status", number=_number(turn, oid), status=turn.r.status_words(view.status), eta=eta, url=url)
    if oid == st.pending_order_id:
        st.order_status = view.status


def rate(turn: Turn, text: str) -> bool:
    """A rating reply after delivery ("5", "4 étoiles", "5 stars super"); True when it was one."""
    st = turn.state
    got = intents.rating(text)
    if got is None or st.rating_order_id is None:
        return False
    stars, comment = got
    if not intents.says_stars(text) and ("?" in text or turn.parser.parse(text).lines):
        return False  # "2 margherita" after a delivery is a new order, "2 fois ?" a question: not two stars
    turn.commands.append(RateOrder(order_id=st.rating_order_id, stars=stars, comment=comment))
    turn.say("rating_thanks", stars=stars)
    st.rating_order_id = None
    st.stage = Stage.ACTIVE if st.pending_order_id else Stage.IDLE
    return True


def _eta_url(turn: Turn, data: dict[str, Any]) -> tuple[str, str]:
    eta = data.get("eta_minutes")
    url = data.get("tracking_url")
    eta_text = turn.r.t("status_eta", minutes=int(eta)) if eta is not None else ""
    url_text = turn.r.t("status_url", url=url) if url else ""
    return eta_text, url_text


def _clock(turn: Turn, data: dict[str, Any]) -> str:
    """" Arrivée prévue vers 20:45." when the event gives an arrival time (`clock`), else nothing."""
    return turn.r.t("status_eta_at", clock=data["clock"]) if data.get("clock") else ""


def _reason(turn: Turn, data: dict[str, Any]) -> str:
    """A reason written for people ("boutique fermée") is shown; an error code ("invalid_options") is not."""
    reason = str(data.get("reason") or "").strip()
    if reason == "item_unavailable":
        return turn.r.t("reason_sold_out")
    return turn.r.t("reason", reason=reason) if " " in reason else ""


def _finish(turn: Turn, order_id: str) -> None:
    st = turn.state
    if st.pending_order_id == order_id:
        st.pending_order_id = None
        st.pending_order_number = None
        st.order_status = None
        if st.stage == Stage.ACTIVE:
            st.stage = Stage.IDLE


def order_event(turn: Turn, event: str, order_id: str, data: dict[str, Any]) -> None:
    """Update the state for an order event and tell the customer what they need to know."""
    st = turn.state
    if event == "placed":
        draft = st.draft
        total = turn.r.money(turn.r.total(draft)) if draft is not None and draft.lines else ""
        if data.get("total_cents") is not None:
            total = turn.r.money(Money(int(data["total_cents"]), turn.r.currency))
        if draft is not None and draft.located:
            st.last_drop = DraftState(address_text=draft.address_text, address_label=draft.address_label,
                                      location=draft.location, door_code=draft.door_code, floor=draft.floor,
                                      instructions=list(draft.instructions),
                                      lines=[ln.copy() for ln in draft.lines])  # "la même chose"
        st.pending_order_id = order_id
        st.last_order_id = order_id
        st.pending_order_number = str(data.get("number") or order_id)
        st.order_status = "confirmed"
        st.draft = None
        st.questions = []
        st.stage = Stage.ACTIVE
        eta = data.get("eta_minutes")
        eta_text = turn.r.t("placed_eta", minutes=int(eta)) if eta is not None else ""
        if eta is not None and int(eta) > CLOCK_AFTER_MINUTES and data.get("clock"):  # "vers 11:25", not "205 min"
            eta_text = turn.r.t("status_eta_at", clock=data["clock"])
        if data.get("no_courier"):
            eta_text = turn.r.t("placed_no_courier")
        url = data.get("tracking_url")
        key = "placed" if url else "placed_no_url"
        turn.say(key, number=st.pending_order_number, total=total, eta=eta_text, url=url or "")
        if st.cancel_requested:
            st.cancel_requested = False
            turn.commands.append(CancelOrder(order_id=order_id))
            turn.say("cancel_requested", number=st.pending_order_number)
        return
    if event == "shop_closed":  # closed since the summary: the draft waits for a time the shop is open
        st.cancel_requested = False
        if st.draft is not None:
            st.stage = Stage.ORDERING
        opening = ShopOpening(data.get("clock"), int(data.get("days_ahead") or 0), int(data.get("weekday") or 0),
                              bool(data.get("resumes")))
        turn.say_text(turn.r.closed(opening, asked_for_a_time=bool(data.get("asked_for_a_time"))))
        return
    if event in ("place_failed", "rejected"):
        st.cancel_requested = False
        if st.draft is not None and st.draft.lines:
            st.stage = Stage.CONFIRM
            turn.say("place_failed", reason=_reason(turn, data))
        else:
            st.stage = Stage.IDLE
        return
    if order_id == st.pending_order_id:
        st.order_status = event if event in _STATUSES else st.order_status
    number = _number(turn, order_id, data)
    if event == "assigned":
        turn.say("ev_assigned", number=number, at=_clock(turn, data))
    elif event == "picked_up":
        eta, url = _eta_url(turn, data)
        turn.say("ev_picked_up", number=number, eta=eta, url=url)
    elif event in ("delayed", "running_late"):  # in the kitchen, or anywhere (no courier yet, the ride)
        _, url = _eta_url(turn, data)
        turn.say("ev_delayed" if event == "delayed" else "ev_running_late", number=number, at=_clock(turn, data),
                 url=url)
    elif event == "courier_changed":
        _, url = _eta_url(turn, data)
        turn.say("ev_courier_changed", number=number, url=url)
        if order_id == st.pending_order_id:
            st.order_status = "confirmed"  # waiting for a courier again
    elif event == "delivered":
        turn.say("ev_delivered", number=number)
        _finish(turn, order_id)
        st.rating_order_id = order_id
        if st.stage in (Stage.IDLE, Stage.ACTIVE):
            st.stage = Stage.RATING
    elif event == "cancel_refused":
        turn.say("cancel_refused", number=number, reason=_reason(turn, data))
    elif event == "cancelled":
        turn.say("ev_cancelled", number=number, reason=_reason(turn, data))
        _finish(turn, order_id)
    elif event == "failed":
        turn.say("ev_failed", number=number, reason=_reason(turn, data))
        _finish(turn, order_id)

