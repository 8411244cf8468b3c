"""Consent and data rights. All endpoints need the X-User-Id header."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, status

from faith_motivator.api.deps import PrivacyServiceDep, UserIdDep
from faith_motivator.models.privacy import ConsentIn, ConsentOut, DataExportOut, ErasureOut

router = APIRouter(prefix="/v1", tags=["privacy"])


@router.post(
    "/consent",
    response_model=ConsentOut,
    status_code=status.HTTP_201_CREATED,
    summary="Grant or withdraw consent for one purpose",
)
async def post_consent(consent: ConsentIn, user_id: UserIdDep, privacy: PrivacyServiceDep):
    return await anyio.to_thread.run_sync(privacy.record_consent, user_id, consent)


@router.get("/me/data", response_model=DataExportOut, summary="Export everything stored about me")
async def export_my_data(user_id: UserIdDep, privacy: PrivacyServiceDep):
    return await anyio.to_thread.run_sync(privacy.export, user_id)


@router.delete("/me/data", response_model=ErasureOut, summary="Erase everything stored about me")
async def erase_my_data(user_id: UserIdDep, privacy: PrivacyServiceDep):
    return await anyio.to_thread.run_sync(privacy.erase, user_id)
