"""An order created through the API survives `allo serve` being killed with SIGKILL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess, allo_env, free_port, run_allo

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
    api = httpx.Client(base_url=server.base_url, timeout=10)
    token = api.post("/api/auth/token", json={"username": "boss", "password": PASSWORD}).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    zone = [{"lat": 43.72, "lon": 7.40}, {"lat": 43.76, "lon": 7.40}, {"lat": 43.76, "lon": 7.45},
            {"lat": 43.72, "lon": 7.45}]
    m = api.post("/api/merchants", headers=auth, json={"name": "Fleurs", "address": "1 rue Grimaldi",
                                                        "pickup": {"lat": 43.734, "lon": 7.42},
                                                        "delivery_zone": zone}).json()
    api.put(f"/api/merchants/{m['id']}/catalog", headers=auth,
            json={"items": [{"sku": "rose", "name": "Rose rouge", "price_cents": 450}]}).raise_for_status()
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
