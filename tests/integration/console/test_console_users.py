"""Console: an admin locks a login out, lets it in again, resets a password."""

from __future__ import annotations

from urllib.parse import unquote

from tests.support.api import World
from tests.support.pages import Pages


def _id(world: World, username: str) -> str:
    return next(u["id"] for u in world.call("admin", "GET", "/api/users").json() if u["username"] == username)


def test_an_admin_locks_a_login_out_and_lets_it_in_again(world: World, pages: Pages) -> None:
    html = pages.as_("admin").get("/console/users").text
    assert 'aria-label="Bloquer merchant"' in html and 'aria-label="Bloquer admin"' not in html  # not oneself
    merchant = _id(world, "merchant")
    r = pages.post(f"/console/users/{merchant}", {"active": "false"})
    assert r.status_code == 303 and "merchant ne peut plus se connecter" in unquote(r.cookies.get("allo_flash", ""))
    assert 'aria-label="Débloquer merchant"' in pages.get("/console/users").text
    assert pages.as_("merchant").get("/console").status_code == 303  # the shop's session is over: to the login
    r = pages.as_("admin").post(f"/console/users/{merchant}", {"active": "true"})
    assert "merchant peut de nouveau se connecter" in unquote(r.cookies.get("allo_flash", ""))
    r = pages.post(f"/console/users/{merchant}", {"password": "short"})
    assert "at least 8 characters" in unquote(r.cookies.get("allo_flash", ""))
    r = pages.post(f"/console/users/{merchant}", {"password": "a good new one"})
    assert "Nouveau mot de passe pour merchant" in unquote(r.cookies.get("allo_flash", ""))
    assert world.client.post("/api/auth/token", json={"username": "merchant", "password": "a good new one"}
                             ).status_code == 200


def test_only_admins_open_the_logins_page(world: World, pages: Pages) -> None:
    assert pages.as_("dispatcher").get("/console/users").status_code == 403
    assert pages.as_("merchant").get("/console/users").status_code == 403
    assert "Comptes" not in pages.as_("dispatcher").get("/console").text
    assert '<a href="/console/users"' in pages.as_("admin").get("/console").text


def test_a_dispatcher_adds_a_courier_and_an_admin_gives_them_a_login(world: World, pages: Pages) -> None:
    r = pages.as_("dispatcher").post("/console/couriers", {"name": "Zoé Martin", "vehicle": "scooter"})
    assert r.status_code == 303
    assert "Zoé Martin ajouté (scooter), hors service." in unquote(r.cookies.get("allo_flash", ""))
    zoe = next(c for c in world.call("admin", "GET", "/api/couriers").json() if c["name"] == "Zoé Martin")
    assert zoe["vehicle"] == "scooter" and zoe["status"] == "off_shift"
    assert "Donnez le nom" in unquote(pages.post("/console/couriers", {"name": " "}).cookies.get("allo_flash", ""))
    assert pages.as_("merchant").post("/console/couriers", {"name": "X"}).status_code == 403

    form = {"username": "zoe", "password": "a good password", "role": "courier", "of": zoe["id"]}
    r = pages.as_("admin").post("/console/users", form)
    assert "Compte zoe créé (coursier)." in unquote(r.cookies.get("allo_flash", ""))
    token = world.client.post("/api/auth/token", json={"username": "zoe", "password": "a good password"}).json()
    assert token["user"]["courier_id"] == zoe["id"]
    again = unquote(pages.post("/console/users", form).cookies.get("allo_flash", ""))
    assert "username 'zoe' is taken" in again
    no_shop = {"username": "shopkeeper", "password": "a good password", "role": "merchant", "of": ""}
    assert "must belong to a merchant" in unquote(pages.post("/console/users", no_shop).cookies.get("allo_flash", ""))
