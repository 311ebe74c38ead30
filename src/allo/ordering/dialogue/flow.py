"""What comes next once a message is absorbed: locate the address, ask, summarise or place."""

from __future__ import annotations

from allo.domain.geo import LatLon
from allo.ordering.address import says_only_floor
from allo.ordering.dialogue.commands import PlaceOrder
from allo.ordering.dialogue.drafting import ask, drop_sold_out
from allo.ordering.dialogue.render import CLOCK_AFTER_MINUTES
from allo.ordering.dialogue.state import ADDRESS_CHECKS, Question, Stage
from allo.ordering.dialogue.turn import Turn
from allo.ordering.draft import RequestedTime


def locate(turn: Turn) -> bool:
    """Geocode the address as written. Returns False (and says why) when it cannot be used."""
    draft = turn.draft
    text = draft.address_text or ""
    found = turn.ports.locate(text) if turn.ports is not None else None
    if found is None:
        turn.say("address_not_found", text=text)
        draft.address_text = None
        return False
    if not turn.ports.in_zone(found.location):  # type: ignore[union-attr]
        turn.say("address_out_of_zone", label=found.label)
        draft.address_text = None
        draft.location = None
        draft.address_label = None
        return False
    if found.one_of_several or not found.precise:
        turn.state.questions.append(
            Question(kind="confirm_place" if found.one_of_several else "confirm_address", text=found.label,
                     choices=[repr(found.location.lat), repr(found.location.lon)])
        )
        return True
    draft.address_label = found.label
    draft.location = [found.location.lat, found.location.lon]
    return True


def _location(turn: Turn) -> LatLon:
    loc = turn.draft.location
    assert loc is not None
    return LatLon(loc[0], loc[1])


def advance(turn: Turn) -> None:
    """Say the next thing: a pending question, a request for items or address, or the summary."""
    st = turn.state
    draft = st.draft
    if draft is None:
        return
    address_failed = False
    if draft.address_text and not draft.located and not any(q.kind in ADDRESS_CHECKS for q in st.questions):
        before = len(turn.replies)
        address_failed = not locate(turn)
        if address_failed and draft.lines and not st.questions:
            turn.replies.insert(before, turn.r.noted(draft))  # what was understood, then the address problem
    st.stage = Stage.ORDERING
    if st.questions:
        ask(turn, st.questions[0])
        return
    if not draft.lines:
        turn.say("ask_items")
        return
    if not draft.located:
        if not address_failed:
            turn.say_text(turn.r.noted(draft))
            last = st.last_drop
            if last is not None and last.located and not draft.reuse_declined and not draft.address_text:
                q = Question(kind="reuse_address", text=last.address_label or "")
                st.questions.append(q)
                ask(turn, q)
            else:
                turn.say("ask_address")
        return
    requested = RequestedTime(**draft.requested_time) if draft.requested_time else None
    closed = turn.ports.closed_until(requested) if turn.ports is not None else None
    if closed is not None:  # the draft is kept: a time the shop is open completes it
        turn.say_text(turn.r.noted(draft))
        at_a_time = requested is not None and (requested.hour is not None or requested.in_minutes is not None)
        turn.say_text(turn.r.closed(closed, asked_for_a_time=at_a_time))  # "ce soir" is no time: ask for one
        return
    eta, no_courier, earliest = None, False, None
    if not draft.requested_for_text and turn.ports is not None:
        eta = turn.ports.eta_minutes(_location(turn))
        no_courier = eta is None
    elif requested is not None and turn.ports is not None:  # asked for a time: say now if it cannot be kept
        earliest = turn.ports.earliest_arrival(requested, _location(turn))
    clock = turn.ports.clock_in(eta) if eta is not None and eta > CLOCK_AFTER_MINUTES and turn.ports else None
    turn.say_text(turn.r.summary(draft, eta, no_courier=no_courier, earliest=earliest, eta_clock=clock))
    st.stage = Stage.CONFIRM


def place(turn: Turn) -> None:
    """The customer said yes to the summary: ask the service to place the order."""
    st = turn.state
    draft = turn.draft
    if not draft.lines or not draft.located:
        advance(turn)
        return
    if drop_sold_out(turn):  # sold out since the summary: the customer sees the order again first
        st.stage = Stage.ORDERING
        advance(turn)
        return
    # the floor has its own field: an instruction that only repeats it would show twice to the courier
    instructions = ", ".join(i for i in draft.instructions if not (draft.floor and says_only_floor(i))) or None
    turn.commands.append(
        PlaceOrder(
            lines=[(ln.sku, ln.qty, {g: list(c) for g, c in ln.options.items()}, list(ln.without))
                   for ln in draft.lines],
            address=draft.address_label or draft.address_text or "",
            location=_location(turn),
            door_code=draft.door_code,
            floor=draft.floor,
            instructions=instructions,
            notes="; ".join(draft.notes) or None,
            requested_for_text=draft.requested_for_text,
            requested_time=RequestedTime(**draft.requested_time) if draft.requested_time else None,
            language=st.language or "fr",
        )
    )
    st.stage = Stage.PLACING
    turn.say("placing")
