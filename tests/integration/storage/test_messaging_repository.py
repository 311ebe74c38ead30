"""The messaging repository's hot statements (run on the driver, see
allo.adapters.storage.statements) give back exactly what was stored, on SQLite and PostgreSQL; and
the SQLite log checkpointer moves committed writes into the database file."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from allo.adapters.storage.checkpoint import WalCheckpointer
from allo.bootstrap import Application, build
from allo.domain.clock import FixedClock
from allo.domain.errors import Conflict
from allo.settings import Settings
from tests.integration.conftest import TEST_KEY


def store(app: Application, clock: FixedClock, provider_id: str, text: str = "2 pizzas, 5 rue Grimaldi") -> bool:
    with app.ctx.uow() as uow:
        new = uow.messaging.store_inbound(channel="telegram", provider_message_id=provider_id, sender="+33612345678",
                                          text=text, received_at=clock.now(), merchant_id=None)
        uow.commit()
    return new


def test_inbound_claimed_oldest_first_with_its_text_and_time(application: Application, clock: FixedClock) -> None:
    assert store(application, clock, "a", "bonjour é ü")
    clock.advance(seconds=1)
    assert store(application, clock, "b")
    assert not store(application, clock, "a")  # a redelivery changes nothing
    with application.ctx.uow() as uow:
        first = uow.messaging.claim_pending_inbound(1, clock.now())
        rest = uow.messaging.claim_pending_inbound(5, clock.now())
        uow.commit()
    assert [(m.provider_message_id, m.text, m.sender, m.attempts) for m in first] == [
        ("a", "bonjour é ü", "+33612345678", 1)]
    assert first[0].received_at == clock.now() - timedelta(seconds=1)
    assert first[0].received_at.tzinfo is not None
    assert [m.provider_message_id for m in rest] == ["b"]
    with application.ctx.uow() as uow:
        assert uow.messaging.claim_pending_inbound(5, clock.now()) == []


def test_a_claim_rolled_back_leaves_the_message_pending(application: Application, clock: FixedClock) -> None:
    store(application, clock, "a")
    with application.ctx.uow() as uow:
        assert len(uow.messaging.claim_pending_inbound(5, clock.now())) == 1
    with application.ctx.uow() as uow:
        again = uow.messaging.claim_pending_inbound(5, clock.now())
    assert [m.attempts for m in again] == [1]


def test_outbox_round_trip_keeps_template_order_and_times(application: Application, clock: FixedClock) -> None:
    template = {"name": "order_update", "language": "fr", "params": ["12", "18:40"]}
    with application.ctx.uow() as uow:
        assert uow.messaging.enqueue(dedupe_key="k1", channel="whatsapp", recipient="+33611111111", text="Votre commande",
                                     now=clock.now(), template=template)
        assert not uow.messaging.enqueue(dedupe_key="k1", channel="whatsapp", recipient="+33611111111", text="again",
                                         now=clock.now())
        uow.commit()
    with application.ctx.uow() as uow:
        [claimed] = uow.messaging.claim_due_outbound(clock.now(), clock.now() + timedelta(seconds=30))
        uow.messaging.mark_sent(claimed.id, "wamid.1", clock.now())
        uow.commit()
    assert (claimed.text, claimed.recipient, claimed.template, claimed.status, claimed.attempts) == (
        "Votre commande", "+33611111111", template, "sending", 1)
    assert claimed.created_at == clock.now()
    with application.ctx.uow() as uow:
        [sent] = uow.messaging.outbound_for("whatsapp", "+33611111111")
    assert sent.sent_at == clock.now() and sent.status == "sent"


def test_conversation_created_once_and_saved_with_its_version(application: Application, clock: FixedClock) -> None:
    with application.ctx.uow() as uow:
        conv = uow.messaging.conversation(channel="telegram", address="42", merchant_id=None, new_id="c-1",
                                          now=clock.now())
        conv.state = {"step": "confirm", "lines": [["margherita", 2]]}
        conv.opted_out = True
        conv.last_inbound_at = clock.now()
        uow.messaging.save_conversation(conv, clock.now())
        uow.commit()
    with application.ctx.uow() as uow:
        again = uow.messaging.conversation(channel="telegram", address="42", merchant_id=None, new_id="c-2",
                                           now=clock.now())
        stale = uow.messaging.conversation(channel="telegram", address="42", merchant_id=None, new_id="c-3",
                                           now=clock.now())
        uow.messaging.save_conversation(again, clock.now())
        with pytest.raises(Conflict):
            uow.messaging.save_conversation(stale, clock.now())
    assert (again.id, again.state, again.opted_out, again.last_inbound_at, again.version) == (
        "c-1", {"step": "confirm", "lines": [["margherita", 2]]}, True, clock.now(), 3)


def test_checkpointer_moves_committed_messages_into_the_database_file(tmp_path: Path) -> None:
    clock = FixedClock()
    application = build(Settings(data_dir=tmp_path, secret_key=TEST_KEY), clock=clock, migrate_now=True)
    checkpointer = WalCheckpointer(application.engine, interval=0.05)
    checkpointer.start()
    for i in range(20):
        store(application, clock, f"m{i}")
    checkpointer.stop()  # stops after a last checkpoint
    assert checkpointer.runs >= 1 and checkpointer.pages > 0
    # the database file alone (its log ignored) holds every message
    path = Path(application.engine.url.database or "")
    plain = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        assert plain.execute("select count(*) from inbox_messages").fetchone()[0] == 20
    finally:
        plain.close()
        application.close()
