"""Provider webhooks: verify, store, answer. Processing happens in the worker."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from allo.domain.errors import NotFound
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


async def _receive(request: Request, name: str, merchant_id: str | None) -> Response:
    application = request.app.state.application
    channel = _channel(request, name)
    req = await _webhook_request(request)
    channel.verify(req)  # before anything is stored
    messages = channel.parse(req)
    shop = merchant_id or await run_in_threadpool(application.default_merchant_id)
    # stored by the group-commit writer; answered once durable (the worker is woken by the writer)
    await asyncio.wrap_future(application.inbox_writer.submit(messages, shop))
    ack = channel.acknowledge()
    return Response(ack.body, status_code=ack.status, media_type=ack.content_type)


@router.post("/{channel}", summary="Inbound messages from a provider (signature checked)", **PUBLIC)
async def receive(channel: str, request: Request) -> Response:
    return await _receive(request, channel, None)


@router.post("/{channel}/{merchant_id}", summary="Inbound messages for one shop's number", **PUBLIC)
async def receive_for_shop(channel: str, merchant_id: str, request: Request) -> Response:
    return await _receive(request, channel, merchant_id)


@router.get("/whatsapp", summary="WhatsApp Cloud API verification handshake", **PUBLIC)
async def whatsapp_handshake(request: Request) -> Response:
    channel = _channel(request, "whatsapp")
    ack = channel.handshake(await _webhook_request(request))  # type: ignore[attr-defined]
    return Response(ack.body, status_code=ack.status, media_type=ack.content_type)
