"""Two `allo serve` processes on one database: orders are dispatched once, and when the process
holding the dispatch lease dies, the other takes over."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.support.databases import PostgresSchema
from tests.support.server import ServerProcess, admin_api, allo_env, create_shop, free_port, run_allo

pytestmark = pytest.mark.slow
PASSWORD = "two dispatchers test"


def shared_database(tmp_path: Path, request: pytest.FixtureRequest) -> str:
    import os

    base = os.environ.get("ALLO_TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_path / 'shared.db'}"
    schema = PostgresSchema(base)
    request.addfinalizer(schema.drop)
    return schema.url


def wait_for(predicate, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_each_order_is_dispatched_once_and_the_lease_moves(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = shared_database(tmp_path, request)
    common = dict(ALLO_DATABASE_URL=url, ALLO_SECRET_KEY="two dispatchers key", ALLO_DISPATCH_POLICY="greedy",
                  ALLO_DISPATCH_INTERVAL_SECONDS="0.3", ALLO_WORKER_POLL_SECONDS="0.1")
    assert run_allo("user", "create", "boss", "--role", "admin", "--password", PASSWORD,
                    env=allo_env(tmp_path / "a", **common)).returncode == 0
    servers = [ServerProcess(["serve"], allo_env(tmp_path / name, **common), free_port()) for name in "ab"]
    try:
        for s in servers:
            s.start()
        api, auth = admin_api(servers[0], "boss", PASSWORD)
        m = create_shop(api, auth, items=[{"sku": "coke", "name": "Coke", "price_cents": 250}], prep_minutes=0)
        for i in range(10):
            c = api.post("/api/couriers", headers=auth, json={"name": f"Rider {i}", "vehicle": "bike"}).json()
            api.post(f"/api/couriers/{c['id']}/shift/start", headers=auth).raise_for_status()
            api.put(f"/api/couriers/{c['id']}/position", headers=auth,
                    json={"lat": 43.734 + i * 0.001, "lon": 7.421}).raise_for_status()

        def order(i: int) -> str:
            r = api.post("/api/orders", headers=auth, json={
                "merchant_id": m["id"], "lines": [{"sku": "coke"}], "confirm": True,
                "dropoff": {"address": f"{i} boulevard des Moulins",
                            "location": {"lat": 43.740 + i * 0.0005, "lon": 7.428}}})
            assert r.status_code == 201, r.text
            return r.json()["id"]

        first = [order(i) for i in range(5)]
        wait_for(lambda: all(api.get(f"/api/orders/{o}", headers=auth).json()["status"] == "assigned"
                             for o in first))

        # the lease holder dies: the other process must take over
        holders = [s for s in servers if _holds_lease(s, auth)]
        assert len(holders) == 1
        holders[0].kill()
        survivor = next(s for s in servers if s is not holders[0])
        api = httpx.Client(base_url=survivor.base_url, timeout=10)
        second = [order(i) for i in range(5, 10)]
        wait_for(lambda: all(api.get(f"/api/orders/{o}", headers=auth).json()["status"] == "assigned"
                             for o in second))

        offers = api.get("/api/assignments", headers=auth).json()
        seen = [oid for a in offers for oid in a["order_ids"]]
        assert sorted(seen) == sorted(first + second), "an order was offered twice or not at all"
        assert len({a["courier_id"] for a in offers}) == len(offers)
    finally:
        for s in servers:
            s.stop()


def _holds_lease(server: ServerProcess, auth: dict[str, str]) -> bool:
    return httpx.get(server.base_url + "/api/dispatch/status", headers=auth, timeout=5).json()["leader"]
