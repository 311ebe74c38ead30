"""Locking a login out, letting it in again, resetting or changing a password: sessions end with it."""

from __future__ import annotations

from tests.support.api import PASSWORD, World


def _users(world: World) -> dict[str, dict]:
    return {u["username"]: u for u in world.call("admin", "GET", "/api/users").json()}


def _login(world: World, username: str, password: str = PASSWORD) -> int:
    return world.client.post("/api/auth/token", json={"username": username, "password": password}).status_code


def test_a_login_locked_out_loses_its_sessions_at_once_and_can_be_let_in_again(world: World) -> None:
    merchant = _users(world)["merchant"]
    assert world.call("merchant", "GET", "/api/auth/me").status_code == 200
    r = world.call("admin", "PATCH", f"/api/users/{merchant['id']}", json={"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    assert world.call("merchant", "GET", "/api/auth/me").status_code == 401  # someone who left: out now
    assert _login(world, "merchant") == 401
    assert world.call("admin", "PATCH", f"/api/users/{merchant['id']}", json={"active": True}).status_code == 200
    assert _login(world, "merchant") == 200
    assert world.call("dispatcher", "PATCH", f"/api/users/{merchant['id']}", json={"active": False}).status_code == 403


def test_a_password_reset_ends_the_sessions_and_the_old_password(world: World) -> None:
    courier = _users(world)["courier"]
    r = world.call("admin", "PATCH", f"/api/users/{courier['id']}", json={"password": "a brand new one"})
    assert r.status_code == 200
    assert world.call("courier", "GET", "/api/auth/me").status_code == 401
    assert _login(world, "courier") == 401 and _login(world, "courier", "a brand new one") == 200
    short = world.call("admin", "PATCH", f"/api/users/{courier['id']}", json={"password": "short"})
    assert short.status_code == 422


def test_the_last_admin_cannot_be_locked_out(world: World) -> None:
    admin = _users(world)["admin"]
    r = world.call("admin", "PATCH", f"/api/users/{admin['id']}", json={"active": False})
    assert r.status_code == 409 and r.json()["code"] == "last_admin"
    assert world.call("admin", "GET", "/api/auth/me").status_code == 200


def test_a_user_changes_their_own_password_and_keeps_this_session_only(world: World) -> None:
    other = world.client.post("/api/auth/token", json={"username": "dispatcher", "password": PASSWORD}).json()
    body = {"current_password": "not it", "new_password": "another good one"}
    wrong = world.call("dispatcher", "POST", "/api/auth/password", json=body)
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_credentials"
    body["current_password"] = PASSWORD
    assert world.call("dispatcher", "POST", "/api/auth/password", json=body).status_code == 204
    assert world.call("dispatcher", "GET", "/api/auth/me").status_code == 200  # this session stays
    phone = {"Authorization": f"Bearer {other['access_token']}"}
    assert world.client.get("/api/auth/me", headers=phone).status_code == 401  # the other one ends
    assert _login(world, "dispatcher") == 401 and _login(world, "dispatcher", "another good one") == 200
