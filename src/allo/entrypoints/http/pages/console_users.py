"""Console: the logins (admins only): lock one out when its owner leaves, let it in again, reset a
password. Sessions end with a lock-out or a reset (`accounts.update_user`)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from allo.domain.errors import Conflict, NotFound, ValidationFailed
from allo.domain.user import Role
from allo.entrypoints.http.pages.console import ctx_of, page, redirect_with
from allo.entrypoints.http.pages.web import current_page_principal, page_roles
from allo.services import accounts

router = APIRouter(prefix="/console/users", tags=["console"])
ADMIN_PAGE = page_roles(Role.ADMIN)
ROLE_LABELS = {"admin": "admin", "dispatcher": "dispatcheur", "merchant": "boutique", "courier": "coursier"}


@router.get("", response_class=HTMLResponse, summary="Console: the logins (lock out, let in, reset a password)",
            **ADMIN_PAGE)
def users_page(request: Request) -> Response:
    ctx = ctx_of(request)
    with ctx.uow() as uow:
        shops = {m.id: m.name for m in uow.merchants.list()}
        couriers = {c.id: c.name for c in uow.couriers.list()}
    rows = [(u, shops.get(u.merchant_id or "") or couriers.get(u.courier_id or "") or "")
            for u in accounts.list_users(ctx)]
    return page(request, "console/users.html", rows=rows, role_labels=ROLE_LABELS,
                me=current_page_principal(request).user_id, shops=shops, couriers=couriers)


@router.post("", summary="Console form: create a login (a shop's, a courier's, a dispatcher's)", **ADMIN_PAGE)
def create(request: Request, username: str = Form(default="", max_length=63),
           password: str = Form(default="", max_length=200), role: str = Form(default="", max_length=16),
           of: str = Form(default="", max_length=100)) -> Response:
    """`of`: the shop of a shop's login, the courier of a courier's."""
    if role not in ROLE_LABELS:
        return redirect_with("/console/users", "Choisissez le rôle du compte.", error=True)
    try:
        user = accounts.create_user(ctx_of(request), username=username, password=password, role=Role(role),
                                    merchant_id=(of or None) if role == "merchant" else None,
                                    courier_id=(of or None) if role == "courier" else None)
    except (ValidationFailed, Conflict, NotFound) as exc:
        return redirect_with("/console/users", exc.message, error=True)
    return redirect_with("/console/users", f"Compte {user.username} créé ({ROLE_LABELS[user.role.value]}).")


@router.post("/{user_id}", summary="Console form: lock a login out, let it in again, or reset its password",
             **ADMIN_PAGE)
def update(request: Request, user_id: str, active: str = Form(default="", max_length=5),
           password: str = Form(default="", max_length=200)) -> Response:
    """`active`: "true" / "false" (or empty to leave it); `password`: a new one (or empty)."""
    try:
        user = accounts.update_user(ctx_of(request), principal=current_page_principal(request), user_id=user_id,
                                    active={"true": True, "false": False}.get(active), password=password or None)
    except (ValidationFailed, Conflict, NotFound) as exc:
        return redirect_with("/console/users", exc.message, error=True)
    if password:
        done = f"Nouveau mot de passe pour {user.username} : ses sessions sont fermées."
    elif user.active:
        done = f"{user.username} peut de nouveau se connecter."
    else:
        done = f"{user.username} ne peut plus se connecter : ses sessions sont fermées."
    return redirect_with("/console/users", done)
