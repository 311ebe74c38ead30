"""The fake provider itself: loopback only, records requests, scripted failures, stops cleanly."""

from __future__ import annotations

import socket

import httpx

try:
    from tests.support.fake_provider import FakeProvider
except ModuleNotFoundError:  # pragma: no cover
    from support.fake_provider import FakeProvider


def test_records_and_scripts(fake_provider) -> None:  # type: ignore[no-untyped-def]
    assert fake_provider.base_url.startswith("http://127.0.0.1:")
    fake_provider.fail_next(2, status=429, body={"e": 1}, headers={"Retry-After": "1"})
    with httpx.Client(base_url=fake_provider.base_url) as client:
        first = client.post("/bot1:a/sendMessage", json={"chat_id": 1, "text": "x"})
        second = client.post("/bot1:a/sendMessage", json={"chat_id": 1, "text": "y"})
        third = client.post("/bot1:a/sendMessage?q=1", json={"chat_id": 1, "text": "z"})
        unknown = client.get("/nothing")
    assert [first.status_code, second.status_code, third.status_code] == [429, 429, 200]
    assert first.headers["retry-after"] == "1"
    assert third.json()["ok"] is True
    assert unknown.status_code == 404
    assert [r.json()["text"] for r in fake_provider.requests[:3]] == ["x", "y", "z"]
    assert fake_provider.requests[2].query == {"q": "1"}
    fake_provider.reset()
    assert fake_provider.requests == []


def test_stop_releases_the_port_and_the_thread() -> None:
    fake = FakeProvider().start()
    serving = fake._thread
    host, port = fake.base_url.removeprefix("http://").split(":")
    with httpx.Client() as client:
        assert client.post(f"{fake.base_url}/v21.0/1/messages", json={"to": "1"}).status_code == 200
    fake.stop()
    with socket.socket() as probe:
        assert probe.connect_ex((host, int(port))) != 0
    assert serving is not None and not serving.is_alive()
