"""Console: the live map (Leaflet). Streets come from the shipped GeoJSON of the demo city (no tile
server); with ALLO_MAP_TILE_URL set, tiles are drawn under them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from allo.adapters.geo.loaders import monaco_file
from allo.entrypoints.http.pages.console import SHOP_PAGE, Fmt, ctx_of, page
from allo.entrypoints.http.pages.web import current_page_principal
from allo.services.console_map import live_layers
from allo.services.context import ServiceContext

router = APIRouter(prefix="/console/map", tags=["console"])
#: Street data changes only with a new release: let browsers keep it for a day.
STATIC_CACHE = {"Cache-Control": "private, max-age=86400"}


@router.get("", response_class=HTMLResponse, summary="Console: live map of shops, couriers and drop-offs",
            **SHOP_PAGE)
def map_page(request: Request) -> Response:
    ctx, principal = ctx_of(request), current_page_principal(request)
    settings = request.app.state.application.settings
    return page(request, "console/map.html", layers=_labelled(ctx, live_layers(ctx, principal=principal)),
                tile_url=settings.map_tile_url)


@router.get("/live.json", summary="Console map: shops, couriers and (staff) rounded drop-offs", **SHOP_PAGE)
def live(request: Request) -> Response:
    ctx = ctx_of(request)
    layers = _labelled(ctx, live_layers(ctx, principal=current_page_principal(request)))
    return JSONResponse(layers, headers={"Cache-Control": "no-store"})


def _labelled(ctx: ServiceContext, layers: dict[str, Any]) -> dict[str, Any]:
    """The layers with each closed shop's next opening as the console says it ("à 18:30", "le 05/01
    à 18:30"), under `opens`, and a paused shop's end of pause ("18:30"), under `paused`."""
    fmt = Fmt(ctx.clock.now(), ctx.city_zone)
    for shop in layers["shops"]:
        shop["opens"] = fmt.at_time(datetime.fromisoformat(shop["opens_at"])) if shop["opens_at"] else None
        shop["paused"] = fmt.time(datetime.fromisoformat(shop["paused_until"])) if shop["paused_until"] else None
    return layers


@router.get("/streets.geojson", summary="Console map: the demo city's streets (© OpenStreetMap contributors, ODbL)",
            **SHOP_PAGE)
def streets(request: Request) -> Response:
    return FileResponse(monaco_file("streets.geojson"), media_type="application/geo+json", headers=STATIC_CACHE)


@router.get("/boundary.geojson", summary="Console map: the demo city's boundary (© OpenStreetMap contributors)",
            **SHOP_PAGE)
def boundary(request: Request) -> Response:
    return FileResponse(monaco_file("boundary.geojson"), media_type="application/geo+json", headers=STATIC_CACHE)
