"""The dispatcher's state, for dispatchers and operators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from allo.entrypoints.http.schemas.common import ERRORS
from allo.entrypoints.http.security import STAFF_ROLES, roles
from allo.services.dispatching import lease_holder

router = APIRouter(prefix="/api/dispatch", tags=["dispatch"], responses=ERRORS)


class DispatchStatus(BaseModel):
    leader: bool
    holder: str | None
    this_process: str | None
    enabled: bool
    policy: str


@router.get("/status", response_model=DispatchStatus,
            summary="Which process dispatches (one per city holds the lease)", **roles(*STAFF_ROLES))
def status(request: Request) -> DispatchStatus:
    application = request.app.state.application
    me = getattr(application.dispatcher, "holder", None)
    holder = lease_holder(application.ctx)
    return DispatchStatus(leader=holder is not None and holder == me, holder=holder, this_process=me,
                          enabled=application.settings.dispatch, policy=application.settings.dispatch_policy)
