"""Consent and data rights: all of them need the caller's credential."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, status

from faith_motivator.api.deps import PrincipalDep, PrivacyServiceDep, ResourcesDep
from faith_motivator.api.responses import BODY_ERRORS, errors
from faith_motivator.api.routing import JSONBodyRoute
from faith_motivator.models.privacy import ConsentIn, ConsentOut, DataExportOut, ErasureOut

router = APIRouter(prefix="/v1", tags=["privacy"], route_class=JSONBodyRoute)


@router.post(
    "/consent",
    response_model=ConsentOut,
    status_code=status.HTTP_201_CREATED,
    responses=errors(*BODY_ERRORS, 401, 503),
    summary="Grant or withdraw consent for one purpose",
)
async def post_consent(
    consent: ConsentIn, principal: PrincipalDep, privacy: PrivacyServiceDep, resources: ResourcesDep
):
    """Withdrawing ``store_conversations`` means no later message is stored."""
    recorded = await anyio.to_thread.run_sync(privacy.record_consent, principal.id, consent)
    await resources.consent.forget(principal.id)
    return recorded


@router.get(
    "/me/data",
    response_model=DataExportOut,
    responses=errors(401, 503),
    summary="Export everything stored about me",
)
async def export_my_data(principal: PrincipalDep, privacy: PrivacyServiceDep):
    return await anyio.to_thread.run_sync(privacy.export, principal.id)


@router.delete(
    "/me/data",
    response_model=ErasureOut,
    responses=errors(401, 503),
    summary="Erase everything stored about me",
)
async def erase_my_data(
    principal: PrincipalDep, privacy: PrivacyServiceDep, resources: ResourcesDep
):
    """Conversations, prayer requests, consent log and profile, from every table, and what
    the cache holds about them."""
    erased, sessions = await anyio.to_thread.run_sync(privacy.erase, principal.id)
    await resources.consent.forget(principal.id)
    await resources.owners.forget(sessions)
    return erased
