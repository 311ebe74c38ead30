"""Console: a shop's page, where the shop (or staff) marks items sold out and back in stock, and
pauses new orders by message for a while (a kitchen overwhelmed)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from allo.domain.errors import NotFound, ValidationFailed
from allo.domain.merchant import WEEKDAYS
from allo.entrypoints.http.pages.console import SHOP_PAGE, ctx_of, page, redirect_with
from allo.entrypoints.http.pages.web import clock_time, current_page_principal
from allo.services import merchants

router = APIRouter(prefix="/console/catalog", tags=["console"])
#: The pauses offered, in minutes.
PAUSE_CHOICES = (15, 30, 45, 60, 90, 120)


def _url(merchant_id: str, sku: str | None = None) -> str:
    """The shop's page; after an item changed, scrolled to that item, which says it changed."""
    if sku is None:
        return f"/console/catalog?shop={quote(merchant_id)}"
    return f"/console/catalog?shop={quote(merchant_id)}&changed={quote(sku)}#item-{quote(sku)}"


@router.get("", response_class=HTMLResponse, summary="Console: a shop's catalog (in stock, sold out)",
            **SHOP_PAGE)
def catalog_page(request: Request, shop: str | None = Query(default=None, max_length=100),
                 changed: str | None = Query(default=None, max_length=100)) -> Response:
    """`shop`: which shop's catalog (staff); a merchant sees its own. The first shop when absent.
    `changed`: the item just marked, which says so on its row (the page scrolls to it)."""
    ctx, principal = ctx_of(request), current_page_principal(request)
    shops = merchants.list_merchants(ctx, principal=principal)
    chosen = next((m for m in shops if m.id == shop), None) if shop else (shops[0] if shops else None)
    if shop and chosen is None:
        raise NotFound(f"no shop {shop}", code="merchant_not_found")
    items = merchants.get_catalog(ctx, merchant_id=chosen.id).items if chosen else ()
    paused = chosen is not None and chosen.paused_at(ctx.clock.now())
    return page(request, "console/catalog.html", shops=shops, shop=chosen, items=items,
                sold_out=sum(not i.available for i in items), paused=paused, pause_choices=PAUSE_CHOICES,
                changed=changed, hours=hours_text(chosen.opening_hours.to_dict()) if chosen else "")


@router.post("/{merchant_id}/availability", summary="Console form: mark an item sold out or back in stock",
             **SHOP_PAGE)
def set_availability(request: Request, merchant_id: str, sku: str = Form(..., max_length=100),
                     available: bool = Form(...)) -> Response:
    try:
        item = merchants.set_item_available(ctx_of(request), principal=current_page_principal(request),
                                            merchant_id=merchant_id, sku=sku, available=available)
    except NotFound as exc:
        return redirect_with(_url(merchant_id), exc.message, error=True)
    if item.available:
        return redirect_with(_url(merchant_id, sku), f"{item.name} : de nouveau en vente.")
    return redirect_with(_url(merchant_id, sku), f"{item.name} : épuisé. Le chat le dit aux clients qui le "
                         "demandent et leur propose un article du même genre.")


@router.post("/{merchant_id}/pause", summary="Console form: pause new orders by message, or take them again",
             **SHOP_PAGE)
def pause(request: Request, merchant_id: str, minutes: str = Form(default="", max_length=4)) -> Response:
    """`minutes`: how long the pause lasts; empty to take orders again now."""
    try:
        shop = merchants.pause_orders(ctx_of(request), principal=current_page_principal(request),
                                      merchant_id=merchant_id, minutes=int(minutes) if minutes else None)
    except (ValidationFailed, ValueError):
        return redirect_with(_url(merchant_id), "Choisissez la durée de la pause.", error=True)
    except NotFound as exc:
        return redirect_with(_url(merchant_id), exc.message, error=True)
    if shop.paused_until is None:
        return redirect_with(_url(merchant_id), f"{shop.name} prend de nouveau les commandes.")
    until = clock_time(shop.paused_until, ctx_of(request).city_zone)
    return redirect_with(_url(merchant_id), f"Commandes par message en pause jusqu'à {until} : le chat le dit aux "
                         "clients et prend les commandes pour plus tard.")


_DAYS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")


def hours_text(week: dict[str, list[list[str]]]) -> str:
    """A shop's week as the console says it: "lun–ven 08:30–12:30, 14:00–19:30 · sam 09:00–12:30";
    days left out are closed."""
    spans = [", ".join(f"{a}–{b}" for a, b in week.get(day, [])) for day in WEEKDAYS]
    if all(s == "00:00–23:59" for s in spans):
        return "tous les jours, jour et nuit"
    groups: list[tuple[int, int, str]] = []
    for n, text in enumerate(spans):
        if groups and groups[-1][2] == text and groups[-1][1] == n - 1:
            groups[-1] = (groups[-1][0], n, text)
        else:
            groups.append((n, n, text))
    named = [f"{_DAYS[a]}–{_DAYS[b]} {text}" if b > a else f"{_DAYS[a]} {text}" for a, b, text in groups if text]
    return " · ".join(named) or "fermée"
