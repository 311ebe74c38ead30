"""The customer's tracking page behind the unguessable link sent by message: public, no login,
no personal data. HTML that refreshes itself without JavaScript, a JSON variant, and live events."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from allo.adapters.geo.loaders import monaco_file
from allo.domain.errors import NotFound
from allo.domain.events import Event
from allo.entrypoints.http.pages.web import render, sse_response
from allo.entrypoints.http.security import PUBLIC
from allo.services.tracking import Tracking, track

router = APIRouter(prefix="/track", tags=["tracking"])
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}

TEXTS: dict[str, dict[str, str]] = {
    "fr": {"title": "Suivi de commande", "order": "Commande", "from": "de", "eta": "Arrivée prévue vers",
           "minutes": "dans environ {n} min", "courier": "Position approximative du livreur",
           "updated": "mise à jour à", "confirmed": "Commande confirmée",
           "assigned": "Livreur en route vers le magasin",
           "picked_up": "En route vers vous", "delivered": "Livrée", "cancelled": "Annulée",
           "failed": "Livraison impossible", "ready": "Prête au magasin", "draft": "En préparation",
           "unknown": "Ce lien de suivi n'existe pas ou n'est plus valable.",
           "map": "Carte : position approximative du livreur",
           "no_position": "La position du livreur s'affichera quand la commande sera en route.",
           "steps": "Étapes", "refresh": "Cette page se met à jour toute seule.",
           "late": "Votre commande a pris du retard, nous en sommes désolés.",
           "opens": "La boutique ouvre à {time} : votre commande sera préparée dès l'ouverture."},
    "en": {"title": "Order tracking", "order": "Order", "from": "from", "eta": "Expected around",
           "minutes": "in about {n} min", "courier": "Courier's approximate position",
           "updated": "updated at", "confirmed": "Order confirmed", "assigned": "Courier on the way to the shop",
           "picked_up": "On its way to you", "delivered": "Delivered", "cancelled": "Cancelled",
           "failed": "Could not be delivered", "ready": "Ready at the shop", "draft": "Being prepared",
           "unknown": "This tracking link does not exist or is no longer valid.",
           "map": "Map: courier's approximate position",
           "no_position": "The courier's position will show once the order is on its way.",
           "steps": "Steps", "refresh": "This page updates itself.",
           "late": "Your order is running late, sorry.",
           "opens": "The shop opens at {time}: your order will be prepared as soon as it opens."},
}


def language(request: Request, lang: str | None) -> str:
    if lang in TEXTS:
        return lang  # type: ignore[return-value]
    accept = request.headers.get("accept-language", "").lower()
    return "en" if accept.startswith("en") else "fr"


def as_json(t: Tracking) -> dict[str, Any]:
    p = t.courier_position
    return {
        "number": t.number, "status": t.status.value, "shop": t.shop_name,
        "eta": t.eta.isoformat() if t.eta and not t.finished else None, "eta_minutes": t.eta_minutes,
        "courier_position": {"lat": p.lat, "lon": p.lon} if p else None,
        "position_at": t.position_at.isoformat() if t.position_at else None,
        "steps": [{"status": s.status.value, "done": s.done, "at": s.at.isoformat() if s.at else None}
                  for s in t.steps],
        "finished": t.finished, "running_late": t.running_late,
        "shop_opens_at": t.shop_opens_at.isoformat() if t.shop_opens_at else None,
    }


@router.get("/streets.geojson", summary="Tracking map: the demo city's streets (© OpenStreetMap contributors, ODbL)",
            **PUBLIC)
def streets() -> Response:
    return FileResponse(monaco_file("streets.geojson"), media_type="application/geo+json",
                        headers={"Cache-Control": "public, max-age=86400"})


@router.get("/{token}.json", summary="Tracking: the order's status, ETA and courier position (JSON)", **PUBLIC)
def tracking_json(token: str, request: Request) -> Response:
    return JSONResponse(as_json(track(request.app.state.application.ctx, token=token)), headers=PRIVATE)


@router.get("/{token}/events", summary="Tracking: server-sent events when the order changes", **PUBLIC)
def events(token: str, request: Request, max_seconds: float | None = Query(default=None, ge=0, le=3600)) -> Response:
    order_id = track(request.app.state.application.ctx, token=token).order_id

    def select(event: Event) -> dict[str, Any] | None:
        if event.aggregate_id == order_id or order_id in (event.data.get("order_ids") or ()):
            if event.name.startswith(("order.", "assignment.")):
                return {"_event": "changed"}
        return None

    return sse_response(request, select, max_seconds=max_seconds)


@router.get("/{token}", response_class=HTMLResponse, summary="Tracking page (public, behind the link)", **PUBLIC)
def page(token: str, request: Request, lang: str | None = Query(default=None, max_length=2)) -> Response:
    lg = language(request, lang)
    try:
        t = track(request.app.state.application.ctx, token=token)
    except NotFound:
        return render(request, "track/page.html", status_code=404, t=None, tx=TEXTS[lg], lang=lg, principal=None)
    settings = request.app.state.application.settings
    response = render(request, "track/page.html", t=t, tx=TEXTS[lg], lang=lg, token=token, principal=None,
                      tile_url=getattr(settings, "map_tile_url", ""))
    response.headers.update(PRIVATE)
    return response
