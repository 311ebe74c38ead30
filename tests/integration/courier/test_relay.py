"""The masked relay: customer and courier write to each other through Allo; numbers never pass;
the relay closes ALLO_RELAY_CLOSE_MINUTES after the delivery; everything is kept for the audit."""

from __future__ import annotations

from sqlalchemy import select

from allo.adapters.storage.tables import relay_messages
from allo.domain.clock import FixedClock
from allo.services import relay
from allo.services.principal import SYSTEM
from tests.support.api import World
from tests.support.chat import CustomerChat
from tests.support.jobs import accepted_job, deliver_url, offer_job

CUSTOMER_PHONE = ("+33612345642", "06 12 34 56 42", "612345642")


def messages_url(job) -> str:  # type: ignore[no-untyped-def]
    return f"/api/assignments/{job.assignment_id}/orders/{job.order_id}/messages"


def test_courier_and_customer_write_to_each_other_without_numbers(world: World) -> None:
    job = offer_job(world)
    chat = CustomerChat(world)
    chat.attach(job.order_id)
    r = world.call("courier", "POST", messages_url(job), json={"text": "hello"})
    assert r.status_code == 409 and r.json()["code"] == "relay_closed"  # not accepted yet
    assert world.call("courier", "POST", f"/api/assignments/{job.assignment_id}/accept").status_code == 200
    told = chat.replies()
    assert any("écrire au livreur" in t for t in told)  # the customer learns they may write
    r = world.call("courier", "POST", messages_url(job), json={"text": "Je suis en bas, appelez le 06 98 76 54 32"})
    assert r.status_code == 201, r.text
    got = chat.replies()
    assert any(t.startswith("Livreur : Je suis en bas") for t in got), got
    assert not any("98 76" in t for t in got)
    assert chat.say("J'arrive ! sinon mon numéro est le 06 12 34 56 42") == []  # relayed, no bot reply
    thread = world.call("courier", "GET", messages_url(job)).json()
    assert thread["state"] == "open" and thread["reachable"] is True
    assert [m["sender"] for m in thread["messages"]] == ["courier", "customer"]
    assert thread["messages"][1]["text"].startswith("J'arrive !")
    body = str(thread)
    assert not any(p in body for p in CUSTOMER_PHONE) and "Moulins" not in body and chat.address not in body
    assert world.call("other_courier", "GET", messages_url(job)).status_code == 403
    assert world.call("other_courier", "POST", messages_url(job), json={"text": "hi"}).status_code == 403


def test_ordering_commands_stay_with_the_dialogue(world: World) -> None:
    job = accepted_job(world)
    chat = CustomerChat(world)
    chat.attach(job.order_id)
    replies = chat.say("où en est ma commande ?")
    assert replies, "the dialogue answers status questions itself"
    thread = world.call("courier", "GET", messages_url(job)).json()
    assert thread["messages"] == []


def test_pin_is_sent_to_the_customer_when_the_courier_picks_up(world: World) -> None:
    job = accepted_job(world)
    chat = CustomerChat(world)
    chat.attach(job.order_id)
    chat.replies()
    assert not any(job.pin in t for t in chat.replies())
    assert world.call("courier", "POST", f"/api/assignments/{job.assignment_id}/picked-up").status_code == 200
    told = chat.replies()
    assert any(job.pin in t and "livreur" in t for t in told), told
    courier_side = world.call("courier", "GET", messages_url(job)).json()
    assert job.pin not in str(courier_side)


def test_relay_closes_after_delivery_with_a_polite_answer(world: World, clock: FixedClock) -> None:
    job = accepted_job(world, picked_up=True)
    chat = CustomerChat(world)
    chat.attach(job.order_id)
    assert world.call("courier", "POST", deliver_url(job), json={"pin": job.pin}).status_code == 200
    chat.replies()  # picked up, delivered, a rating request
    clock.advance(minutes=9)
    assert world.call("courier", "POST", messages_url(job), json={"text": "Bon appétit !"}).status_code == 201
    assert chat.replies() == ["Livreur : Bon appétit !"]
    assert chat.say("Merci beaucoup") == []  # still open: relayed
    clock.advance(minutes=2)
    r = world.call("courier", "POST", messages_url(job), json={"text": "encore moi"})
    assert r.status_code == 409 and r.json()["code"] == "relay_closed"
    answer = chat.say("vous avez oublié la sauce")
    assert len(answer) == 1 and "close" in answer[0], answer
    thread = world.call("courier", "GET", messages_url(job)).json()
    assert thread["state"] == "closed"
    assert [m["text"] for m in thread["messages"]] == ["Bon appétit !", "Merci beaucoup"]
    audit = relay.messages_for_order(world.app.ctx, principal=SYSTEM, order_id=job.order_id)
    assert [(m.sender, m.status) for m in audit] == [("courier", "relayed"), ("customer", "relayed"),
                                                    ("customer", "refused")]
    r = world.call("dispatcher", "GET", f"/api/orders/{job.order_id}/relay")
    assert r.status_code == 200 and len(r.json()) == 3
    for who in ("courier", "merchant"):
        assert world.call(who, "GET", f"/api/orders/{job.order_id}/relay").status_code == 403
    with world.app.ctx.uow() as uow:
        assert "read_relay" in [e.action for e in uow.journal.audit_entries(subject_id=job.order_id)]


def test_relayed_messages_are_encrypted_at_rest(world: World) -> None:
    job = accepted_job(world)
    CustomerChat(world).attach(job.order_id)
    world.call("courier", "POST", messages_url(job), json={"text": "sonnette cassée ?"})
    with world.app.engine.connect() as conn:
        blobs = [bytes(r.text_enc) for r in conn.execute(select(relay_messages.c.text_enc))]
    assert blobs and all(b"sonnette" not in b for b in blobs)


def test_an_order_taken_by_phone_has_no_relay(world: World) -> None:
    job = accepted_job(world)
    r = world.call("courier", "POST", messages_url(job), json={"text": "hello"})
    assert r.status_code == 422 and r.json()["code"] == "relay_unavailable"
    assert world.call("courier", "GET", messages_url(job)).json()["reachable"] is False


def test_a_word_for_the_courier_before_one_takes_the_job_waits_for_them(world: World) -> None:
    order = world.new_order()
    chat = CustomerChat(world)
    chat.attach(order["id"])
    told = chat.say("Bonjour, pouvez-vous sonner chez Dupont, interphone en panne")
    assert len(told) == 1 and "le livreur lira votre message dès qu'il prendra la course" in told[0], told
    assert "Que souhaitez-vous commander" not in told[0]
    for text in ("merci", "je voudrais commander"):  # the dialogue answers those, nothing is kept
        answer = chat.say(text)
        assert answer and not any("livreur lira" in t for t in answer), (text, answer)
    job = offer_job(world, order)
    assert chat.say("le code est 4521B, 3e étage")[0].startswith("C'est noté pour la commande")  # offered only
    assert world.call("courier", "POST", f"/api/assignments/{job.assignment_id}/accept").status_code == 200
    assert any("écrire au livreur" in t for t in chat.replies())
    thread = world.call("courier", "GET", messages_url(job)).json()
    assert [(m["sender"], m["text"]) for m in thread["messages"]] == [
        ("customer", "Bonjour, pouvez-vous sonner chez Dupont, interphone en panne"),
        ("customer", "le code est 4521B, 3e étage")]
    assert chat.say("j'arrive dans 2 minutes, attendez-moi") == []  # now relayed at once, no bot reply

