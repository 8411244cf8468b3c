"""Prayer requests."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Depends, status

from faith_motivator.api.deps import OptionalUserId, PrayerServiceDep, rate_limited
from faith_motivator.models.prayer import PrayerRequestIn, PrayerRequestOut

router = APIRouter(prefix="/v1/prayer-requests", tags=["prayer"])


@router.post(
    "",
    response_model=PrayerRequestOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(rate_limited("prayer"))],
    summary="Ask the prayer team to pray",
)
async def post_prayer_request(
    payload: PrayerRequestIn, prayer: PrayerServiceDep, user_id: OptionalUserId = None
):
    return await anyio.to_thread.run_sync(prayer.submit, payload, user_id)
