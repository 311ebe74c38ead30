"""Console: the live map (Leaflet). Streets come from the shipped GeoJSON of the demo city (no tile
server); with ALLO_MAP_TILE_URL set, tiles are drawn under them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from allo.adapters.geo.loaders import monaco_file
from allo.entrypoints.http.pages.console import SHOP_PAGE, ctx_of, page
from allo.entrypoints.http.pages.web import current_page_principal
from allo.services.console_map import live_layers

router = APIRouter(prefix="/console/map", tags=["console"])
#: Street data changes only with a new release: let browsers keep it for a day.
STATIC_CACHE = {"Cache-Control": "private, max-age=86400"}


@router.get("", response_class=HTMLResponse, summary="Console: live map of shops, couriers and drop-offs",
            **SHOP_PAGE)
def map_page(request: Request) -> Response:
    ctx, principal = ctx_of(request), current_page_principal(request)
    settings = request.app.state.application.settings
    return page(request, "console/map.html", layers=live_layers(ctx, principal=principal),
                tile_url=settings.map_tile_url)


@router.get("/live.json", summary="Console map: shops, couriers and (staff) rounded drop-offs", **SHOP_PAGE)
def live(request: Request) -> Response:
    layers = live_layers(ctx_of(request), principal=current_page_principal(request))
    return JSONResponse(layers, headers={"Cache-Control": "no-store"})


@router.get("/streets.geojson", summary="Console map: the demo city's streets (© OpenStreetMap contributors, ODbL)",
            **SHOP_PAGE)
def streets(request: Request) -> Response:
    return FileResponse(monaco_file("streets.geojson"), media_type="application/geo+json", headers=STATIC_CACHE)


@router.get("/boundary.geojson", summary="Console map: the demo city's boundary (© OpenStreetMap contributors)",
            **SHOP_PAGE)
def boundary(request: Request) -> Response:
    return FileResponse(monaco_file("boundary.geojson"), media_type="application/geo+json", headers=STATIC_CACHE)
