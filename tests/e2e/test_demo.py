"""`allo demo` starts on a fresh SQLite file with the demo city's shops, couriers and logins."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess, allo_env, free_port

pytestmark = pytest.mark.slow


def test_demo_serves_shops_catalogs_and_logins(tmp_path: Path) -> None:
    env = allo_env(tmp_path, ALLO_SECRET_KEY="demo test key")
    server = ServerProcess(["demo", "--data-dir", str(tmp_path / "demo")], env, free_port())
    try:
        server.start()
        api = httpx.Client(base_url=server.base_url, timeout=10)
        token = api.post("/api/auth/token", json={"username": "dispatch", "password": "demo-allo"})
        assert token.status_code == 200
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        shops = api.get("/api/merchants", headers=auth).json()
        assert {s["name"] for s in shops} == {"Pharmacie des Moulins", "Pizzeria du Port",
                                               "Épicerie de la Condamine"}
        for shop in shops:
            catalog = api.get(f"/api/merchants/{shop['id']}/catalog", headers=auth).json()
            assert len(catalog["items"]) >= 5
        assert len(api.get("/api/couriers", headers=auth).json()) >= 3
    finally:
        out = server.stop()
    assert "login" in out and "demo-allo" in out and server.base_url in out


def test_the_demo_city_delivers_an_order_within_a_minute(tmp_path: Path) -> None:
    env = allo_env(tmp_path, ALLO_SECRET_KEY="demo test key")
    args = ["demo", "--data-dir", str(tmp_path / "demo"), "--rate", "20", "--speed", "30", "--seed", "1"]
    server = ServerProcess(args, env, free_port())
    started = time.monotonic()
    try:
        server.start()
        api = httpx.Client(base_url=server.base_url, timeout=10)
        token = api.post("/api/auth/token", json={"username": "dispatch", "password": "demo-allo"}).json()
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        delivered: list[dict] = []  # type: ignore[type-arg]
        while not delivered and time.monotonic() - started < 60:
            time.sleep(1)
            delivered = api.get("/api/orders", params={"status": "delivered"}, headers=auth).json()
        assert delivered, api.get("/api/orders", headers=auth).json()
        steps = [t["status"] for t in delivered[0]["history"]]
        assert steps[0] == "draft" and steps[-2:] == ["picked_up", "delivered"] and "assigned" in steps
        times = [t["at"] for t in delivered[0]["history"]]
        assert times == sorted(times)
        couriers = api.get("/api/couriers", headers=auth).json()
        assert all(c["status"] != "off_shift" for c in couriers)  # the simulated couriers are on shift
    finally:
        out = server.stop()
    for page in ("/console", "/courier", "/chat", "/docs"):
        assert server.base_url + page in out
    # what the dispatcher plans with, on one line (a log read by grep): the streets, the simulated couriers' stays
    assert ("dispatcher: rolling, every 5 s; rides by the streets (walkers on footways, riders on the drivable "
            "ones); 1.7 min at the shop, 0 at the door; map centred on 43.7384,7.4246\n") in out
