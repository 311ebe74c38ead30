"""Provider webhooks through the HTTP app: verified before anything is stored, each provider
message handled once, replies sent back through the provider (a fake one on 127.0.0.1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from allo.adapters.channels.signatures import hub_signature_256, twilio_signature
from allo.bootstrap import Application, build
from allo.demo.seed import seed_demo
from allo.domain.clock import FixedClock
from allo.settings import Settings
from tests.integration.conftest import FAST_HASHER, TEST_KEY
from tests.support.databases import database_url
from tests.support.fake_provider import FakeProvider

PUBLIC_URL = "https://allo.example.org"
TG_SECRET = "tg-secret-token-123"
TWILIO_TOKEN = "twilio-auth-token"
WA_SECRET = "wa-app-secret"


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as f:
        yield f


@pytest.fixture
def wired(backend: str, tmp_path: Path, request: pytest.FixtureRequest, clock: FixedClock,
          fake: FakeProvider) -> Iterator[tuple[Application, TestClient]]:
    extra = {
        "ALLO_TELEGRAM_BOT_TOKEN": "123:abc", "ALLO_TELEGRAM_SECRET_TOKEN": TG_SECRET,
        "ALLO_TELEGRAM_BASE_URL": fake.base_url,
        "ALLO_TWILIO_ACCOUNT_SID": "AC123", "ALLO_TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "ALLO_TWILIO_FROM": "+33700000000", "ALLO_TWILIO_BASE_URL": fake.base_url,
        "ALLO_WHATSAPP_APP_SECRET": WA_SECRET, "ALLO_WHATSAPP_VERIFY_TOKEN": "verify-me",
        "ALLO_WHATSAPP_TOKEN": "wa-token", "ALLO_WHATSAPP_PHONE_NUMBER_ID": "1055",
        "ALLO_WHATSAPP_BASE_URL": fake.base_url,
    }
    settings = Settings(data_dir=tmp_path, database_url=database_url(backend, tmp_path, request),
                        secret_key=TEST_KEY, public_url=PUBLIC_URL, extra=extra)
    app = build(settings, clock=clock, migrate_now=True)
    app.ctx.password_hasher = FAST_HASHER
    seed_demo(app.ctx, password="demo password")
    app.settings.extra["ALLO_DEFAULT_MERCHANT_ID"] = next(
        m.id for m in _merchants(app) if m.name == "Pizzeria du Port")
    from allo.entrypoints.http.app import create_app

    with TestClient(create_app(app, run_worker=False)) as client:
        yield app, client
    app.close()


def _merchants(app: Application):  # type: ignore[no-untyped-def]
    with app.ctx.uow() as uow:
        return uow.merchants.list()


def telegram_update(update_id: int, text: str, chat_id: int = 4242) -> bytes:
    return json.dumps({"update_id": update_id, "message": {
        "message_id": update_id, "date": 1767268800, "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Ana"}, "text": text}}).encode()


def test_telegram_message_is_answered_once(wired: tuple[Application, TestClient], fake: FakeProvider) -> None:
    app, client = wired
    body = telegram_update(1001, "bonjour")
    headers = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET, "Content-Type": "application/json"}
    assert client.post("/webhooks/telegram", content=body, headers=headers).status_code == 200
    assert client.post("/webhooks/telegram", content=body, headers=headers).status_code == 200  # redelivery
    app.worker.run_once()
    app.worker.run_once()
    sent = [r for r in fake.requests if r.path.endswith("/sendMessage")]
    assert len(sent) >= 1
    texts = [r.json()["text"] for r in sent]
    assert len(texts) == len(set(texts)), "a reply was sent twice"
    assert all(str(r.json()["chat_id"]) == "4242" for r in sent)


def test_a_forged_telegram_webhook_is_refused_and_not_stored(wired: tuple[Application, TestClient],
                                                            fake: FakeProvider) -> None:
    app, client = wired
    r = client.post("/webhooks/telegram", content=telegram_update(7, "bonjour"),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "guess", "Content-Type": "application/json"})
    assert r.status_code == 403 and r.json()["code"] == "invalid_secret_token"
    app.worker.run_once()
    assert fake.requests == []
    with app.ctx.uow() as uow:
        assert uow.messaging.inbound_status("telegram", "7") is None


def test_malformed_payload_is_a_clear_400(wired: tuple[Application, TestClient]) -> None:
    _, client = wired
    r = client.post("/webhooks/telegram", content=b"{not json",
                    headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET, "Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["code"] == "malformed_payload"


def test_twilio_signed_form_is_accepted_and_answered_by_sms(wired: tuple[Application, TestClient],
                                                            fake: FakeProvider) -> None:
    app, client = wired
    params = {"MessageSid": "SM0001", "AccountSid": "AC123", "From": "+33612345642", "To": "+33700000000",
              "Body": "hello"}
    signature = twilio_signature(TWILIO_TOKEN, f"{PUBLIC_URL}/webhooks/twilio", sorted(params.items()))
    r = client.post("/webhooks/twilio", content=urlencode(params),
                    headers={"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200, r.text
    bad = client.post("/webhooks/twilio", content=urlencode({**params, "Body": "tampered"}),
                      headers={"X-Twilio-Signature": signature,
                               "Content-Type": "application/x-www-form-urlencoded"})
    assert bad.status_code == 403
    app.worker.run_once()
    sms = [r.form() for r in fake.requests if r.path.endswith("/Messages.json")]
    assert sms and all(m["To"] == "+33612345642" for m in sms)
    with app.ctx.uow() as uow:  # an SMS sender becomes a customer, found by keyed hash
        assert uow.customers.find_by_phone("+33612345642") is not None


def test_whatsapp_handshake_and_signed_message(wired: tuple[Application, TestClient], fake: FakeProvider) -> None:
    app, client = wired
    r = client.get("/webhooks/whatsapp", params={"hub.mode": "subscribe", "hub.verify_token": "verify-me",
                                                 "hub.challenge": "1158201444"})
    assert r.status_code == 200 and r.text == "1158201444"
    assert client.get("/webhooks/whatsapp", params={"hub.mode": "subscribe", "hub.verify_token": "nope",
                                                    "hub.challenge": "x"}).status_code == 403
    payload = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp", "metadata": {"display_phone_number": "33700000000",
                                                          "phone_number_id": "1055"},
            "contacts": [{"wa_id": "33612345642", "profile": {"name": "Ana"}}],
            "messages": [{"from": "33612345642", "id": "wamid.1", "timestamp": "1767268800", "type": "text",
                          "text": {"body": "bonjour"}}]}}]}]}).encode()
    r = client.post("/webhooks/whatsapp", content=payload,
                    headers={"X-Hub-Signature-256": hub_signature_256(WA_SECRET, payload),
                             "Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    app.worker.run_once()
    sent = [r.json() for r in fake.requests if r.path.endswith("/messages")]
    assert sent and sent[0]["to"] == "33612345642"


def test_whatsapp_outside_24_hours_needs_a_template(wired: tuple[Application, TestClient], fake: FakeProvider,
                                                     clock: FixedClock) -> None:
    """A status message a day after the customer's last message cannot go as free text."""
    app, _ = wired
    with app.ctx.uow() as uow:
        conv = uow.messaging.conversation(channel="whatsapp", address="33612345642", merchant_id=None,
                                          new_id="conv-1", now=clock.now())
        conv.last_inbound_at = clock.now()
        uow.messaging.save_conversation(conv, clock.now())
        uow.messaging.enqueue(dedupe_key="late-1", channel="whatsapp", recipient="33612345642",
                              text="Votre commande est livrée", now=clock.now() + timedelta(hours=25))
        uow.commit()
    clock.advance(hours=25)
    app.worker.run_once()
    with app.ctx.uow() as uow:
        failed = uow.messaging.outbound_for("whatsapp", "33612345642", statuses=("failed",))
    assert [m.dedupe_key for m in failed] == ["late-1"]  # no template configured: refused, not sent
    assert not [r for r in fake.requests if r.path.endswith("/messages")]
