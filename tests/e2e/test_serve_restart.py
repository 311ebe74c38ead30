"""An order created through the API survives `allo serve` being killed with SIGKILL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess, admin_api, allo_env, create_shop, free_port, run_allo

pytestmark = pytest.mark.slow
PASSWORD = "a long enough password"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return allo_env(tmp_path / "data", ALLO_SECRET_KEY="e2e test key, not for production")


@pytest.fixture
def server(env: dict[str, str]) -> Iterator[ServerProcess]:
    s = ServerProcess(["serve"], env, free_port())
    yield s
    s.stop()


def test_order_survives_sigkill(env: dict[str, str], server: ServerProcess) -> None:
    created = run_allo("user", "create", "boss", "--role", "admin", "--password", PASSWORD, env=env)
    assert created.returncode == 0, created.stderr
    server.start()
    api, auth = admin_api(server, "boss", PASSWORD)
    m = create_shop(api, auth, name="Fleurs", items=[{"sku": "rose", "name": "Rose rouge", "price_cents": 450}])
    order = api.post("/api/orders", headers=auth, json={
        "merchant_id": m["id"], "lines": [{"sku": "rose", "qty": 12}], "confirm": True,
        "dropoff": {"address": "7 avenue Princesse Grace", "location": {"lat": 43.745, "lon": 7.435}}}).json()
    assert order["status"] == "confirmed"

    server.kill()
    server.start()
    api = httpx.Client(base_url=server.base_url, timeout=10)
    again = api.get(f"/api/orders/{order['id']}", headers=auth)
    assert again.status_code == 200, again.text
    body = again.json()
    assert body["status"] == "confirmed" and body["total"]["cents"] == 12 * 450
    assert body["history"] == order["history"] and body["version"] == order["version"]
    out = " ".join(server.stop().split())  # started again: its map is drawn around the shop now
    assert ("dispatcher: rolling, every 5 s; rides by the straight line × 1.3; 4 min at the shop, 4 at the door; "
            "map centred on 43.7340,7.4220") in out


def test_cli_help_lists_the_commands(env: dict[str, str]) -> None:
    r = run_allo("--help", env=env)
    assert r.returncode == 0
    for command in ("serve", "demo", "db", "user", "parse", "mdrp"):
        assert command in r.stdout
    assert run_allo("--version", env=env).stdout.startswith("allo ")


def test_db_upgrade_then_readyz(env: dict[str, str], server: ServerProcess) -> None:
    r = run_allo("db", "upgrade", env=env)
    assert r.returncode == 0 and "revision" in r.stderr
    server.start()
    assert httpx.get(server.base_url + "/readyz").json() == {"status": "ready"}
    spec = httpx.get(server.base_url + "/openapi.json").json()
    assert "/api/orders" in spec["paths"] and "/api/couriers/{courier_id}/shift/start" in spec["paths"]


def test_user_create_rejects_a_weak_password(env: dict[str, str]) -> None:
    r = run_allo("user", "create", "shorty", "--role", "dispatcher", "--password", "123", env=env)
    assert r.returncode == 1 and "weak_password" in r.stderr
