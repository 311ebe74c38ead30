"""`allo demo` starts on a fresh SQLite file with the demo city's shops, couriers and logins."""

from __future__ import annotations

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
