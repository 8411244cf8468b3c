"""Prayer requests."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Depends, status

from faith_motivator.api.deps import ChatPrincipalDep, PrayerServiceDep, rate_limited
from faith_motivator.api.responses import BODY_ERRORS, OPTIONAL_CREDENTIAL, errors
from faith_motivator.api.routing import JSONBodyRoute
from faith_motivator.models.prayer import PrayerRequestIn, PrayerRequestOut

router = APIRouter(prefix="/v1/prayer-requests", tags=["prayer"], route_class=JSONBodyRoute)


@router.post(
    "",
    response_model=PrayerRequestOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(rate_limited("prayer"))],
    responses=errors(*BODY_ERRORS, 401, 429, 503),
    openapi_extra=OPTIONAL_CREDENTIAL,
    summary="Ask the prayer team to pray",
)
async def post_prayer_request(
    payload: PrayerRequestIn, prayer: PrayerServiceDep, principal: ChatPrincipalDep
):
    """The request belongs to the caller's credential (a new one is issued without one)."""
    return await anyio.to_thread.run_sync(prayer.submit, payload, principal.id)
