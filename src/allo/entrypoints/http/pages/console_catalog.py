"""Console: a shop's catalog, where the shop (or staff) marks items sold out and back in stock."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from allo.domain.errors import NotFound
from allo.entrypoints.http.pages.console import SHOP_PAGE, ctx_of, page, redirect_with
from allo.entrypoints.http.pages.web import current_page_principal
from allo.services import merchants

router = APIRouter(prefix="/console/catalog", tags=["console"])


def _url(merchant_id: str, sku: str | None = None) -> str:
    return f"/console/catalog?shop={quote(merchant_id)}" + (f"#item-{quote(sku)}" if sku else "")


@router.get("", response_class=HTMLResponse, summary="Console: a shop's catalog (in stock, sold out)",
            **SHOP_PAGE)
def catalog_page(request: Request, shop: str | None = Query(default=None, max_length=100)) -> Response:
    """`shop`: which shop's catalog (staff); a merchant sees its own. The first shop when absent."""
    ctx, principal = ctx_of(request), current_page_principal(request)
    shops = merchants.list_merchants(ctx, principal=principal)
    chosen = next((m for m in shops if m.id == shop), None) if shop else (shops[0] if shops else None)
    if shop and chosen is None:
        raise NotFound(f"no shop {shop}", code="merchant_not_found")
    items = merchants.get_catalog(ctx, merchant_id=chosen.id).items if chosen else ()
    return page(request, "console/catalog.html", shops=shops, shop=chosen, items=items,
                sold_out=sum(not i.available for i in items))


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
