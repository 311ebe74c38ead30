"""The built-in web chat: a "phone" page talking to a shop, for the demo and shops without a provider.

The browser's chat session is an unguessable id in an HttpOnly cookie; messages go through the same
inbox and outbox as SMS, so the web chat is processed exactly like any other channel.
"""

from __future__ import annotations

import secrets
from importlib import resources

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from allo.domain.errors import ValidationFailed
from allo.entrypoints.http.security import PUBLIC
from allo.services import inbox, webchat

router = APIRouter(prefix="/chat", tags=["web chat"])
COOKIE = "allo_chat"


class ChatPost(BaseModel):
    message_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                            description="a client-made id; a resend with the same id is ignored")
    text: str = Field(min_length=1, max_length=1000)


class ChatMessage(BaseModel):
    id: int
    text: str
    at: str


def _session(request: Request, response: Response) -> str:
    sid = request.cookies.get(COOKIE)
    if not sid or len(sid) < 20:
        sid = secrets.token_urlsafe(24)
        response.set_cookie(COOKIE, sid, httponly=True, samesite="lax", max_age=30 * 24 * 3600)
    return sid


@router.get("", response_class=HTMLResponse, summary="The chat page (pick a shop)", **PUBLIC)
def page() -> HTMLResponse:
    html = resources.files("allo.entrypoints.http").joinpath("templates", "chat.html").read_text("utf-8")
    return HTMLResponse(html)


@router.get("/api/shops", summary="Shops one can write to", **PUBLIC)
def shops(request: Request) -> list[dict[str, str]]:
    return webchat.shops(request.app.state.application.ctx)


@router.post("/api/{merchant_id}/messages", status_code=202, summary="Send a message to a shop", **PUBLIC)
def post_message(merchant_id: str, body: ChatPost, request: Request, response: Response) -> dict[str, bool]:
    application = request.app.state.application
    sid = _session(request, response)
    channel = application.channels.get("webchat")
    if channel is None:
        raise ValidationFailed("the web chat is switched off", code="channel_not_configured")
    webchat.check_shop(application.ctx, merchant_id)
    msg = channel.message_from(webchat.address(merchant_id, sid), body.message_id, body.text)
    new = inbox.store_inbound(application.ctx, [msg], merchant_id)
    if new:
        application.wake_worker()
    return {"accepted": True, "duplicate": not new}


@router.get("/api/{merchant_id}/messages", response_model=list[ChatMessage],
            summary="Replies for this browser's session, after a given id", **PUBLIC)
def get_messages(merchant_id: str, request: Request, response: Response,
                 after: int = Query(default=0, ge=0)) -> list[ChatMessage]:
    sid = _session(request, response)
    rows = webchat.replies(request.app.state.application.ctx, webchat.address(merchant_id, sid), after)
    return [ChatMessage(id=r.id, text=r.text, at=(r.sent_at or r.created_at).isoformat()) for r in rows]
