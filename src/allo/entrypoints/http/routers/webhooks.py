"""Provider webhooks: verify, store, answer. Processing happens in the worker."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from allo.domain.errors import DomainError, NotFound
from allo.entrypoints.http.errors import domain_error_response, unexpected_error_response
from allo.entrypoints.http.security import PUBLIC
from allo.services.ports.channel import Channel, WebhookRequest

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


def _channel(request: Request, name: str) -> Channel:
    channel = request.app.state.application.channels.get(name)
    if channel is None or name == "webchat":
        raise NotFound(f"channel {name!r} is not configured", code="channel_not_configured")
    return channel


async def _webhook_request(request: Request) -> WebhookRequest:
    """The request as the provider signed it: behind a proxy, the public URL replaces ours."""
    settings = request.app.state.application.settings
    url = str(request.url)
    if settings.public_url:
        query = f"?{request.url.query}" if request.url.query else ""
        url = settings.public_url.rstrip("/") + request.url.path + query
    return WebhookRequest(method=request.method, url=url, headers=list(request.headers.items()),
                          body=await request.body(), query=dict(request.query_params))


async def receive_webhook(request: Request, name: str, merchant_id: str | None) -> Response:
    """Verify, store (group commit), answer; the worker is woken by the writer once stored. A webhook
    that names no shop goes to the default shop (resolved by the writer)."""
    application = request.app.state.application
    channel = _channel(request, name)
    req = await _webhook_request(request)
    channel.verify(req)  # before anything is stored
    messages = channel.parse(req)
    await asyncio.wrap_future(application.inbox_writer.submit(messages, merchant_id))
    ack = channel.acknowledge()
    return Response(ack.body, status_code=ack.status, media_type=ack.content_type)


class WebhookFastPath:
    """Pure ASGI middleware: provider webhooks (POST /webhooks/{channel}[/{shop}]) go straight to
    `receive_webhook`, without the framework's routing and dependency machinery (the busiest
    endpoint under load). The routes below stay declared, for the OpenAPI document, and answer the
    same way when this middleware is not installed."""

    PREFIX = "/webhooks/"

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"].startswith(self.PREFIX):
            parts = scope["path"][len(self.PREFIX):].split("/")
            if 1 <= len(parts) <= 2 and all(parts):
                try:
                    response = await receive_webhook(Request(scope, receive), parts[0],
                                                     parts[1] if len(parts) == 2 else None)
                except DomainError as exc:
                    response = domain_error_response(exc)
                except Exception:  # noqa: BLE001 - answered 500 and logged, like any endpoint
                    response = unexpected_error_response()
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


@router.post("/{channel}", summary="Inbound messages from a provider (signature checked)", **PUBLIC)
async def receive(channel: str, request: Request) -> Response:
    return await receive_webhook(request, channel, None)


@router.post("/{channel}/{merchant_id}", summary="Inbound messages for one shop's number", **PUBLIC)
async def receive_for_shop(channel: str, merchant_id: str, request: Request) -> Response:
    return await receive_webhook(request, channel, merchant_id)


@router.get("/whatsapp", summary="WhatsApp Cloud API verification handshake", **PUBLIC)
async def whatsapp_handshake(request: Request) -> Response:
    channel = _channel(request, "whatsapp")
    ack = channel.handshake(await _webhook_request(request))  # type: ignore[attr-defined]
    return Response(ack.body, status_code=ack.status, media_type=ack.content_type)
