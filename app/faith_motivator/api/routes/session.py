"""Anonymous session credentials for API clients (the web page gets its cookie with a reply)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request, Response, status

from faith_motivator.api.deps import ResourcesDep, rate_limited, set_session_cookie
from faith_motivator.api.responses import OPTIONAL_CREDENTIAL, errors
from faith_motivator.api.routing import JSONBodyRoute
from faith_motivator.models.session import SessionOut

router = APIRouter(prefix="/v1/session", tags=["session"], route_class=JSONBodyRoute)


@router.post(
    "",
    response_model=SessionOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(rate_limited("session"))],
    responses=errors(401, 429, 503),
    openapi_extra=OPTIONAL_CREDENTIAL,
    summary="Get an anonymous session credential",
)
async def create_session(request: Request, response: Response, resources: ResourcesDep):
    """Everything stored with this credential is reachable with it alone, until it expires."""
    issued = resources.session_tokens.issue()
    set_session_cookie(request, response, issued)
    return SessionOut(
        token=issued.token,
        token_type="bearer",  # noqa: S106 - the RFC 6750 type name
        expires_at=datetime.fromtimestamp(issued.expires_at, UTC),
    )
