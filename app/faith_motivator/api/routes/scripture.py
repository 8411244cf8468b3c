"""Scripture by theme, cached in Redis."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from faith_motivator.api.deps import ScriptureServiceDep
from faith_motivator.api.responses import errors
from faith_motivator.models.common import Theme
from faith_motivator.models.scripture import ScriptureOut

router = APIRouter(prefix="/v1/scripture", tags=["scripture"])


@router.get(
    "",
    response_model=ScriptureOut,
    responses=errors(422),
    summary="Curated verses for a theme",
)
async def get_scripture(
    theme: Annotated[Theme, Query(description="One of the themes chat detects.")],
    scripture: ScriptureServiceDep,
):
    body, hit = await scripture.get(theme)
    # The body is already ScriptureOut JSON (rendered on a miss or read back from Redis);
    # returning it as a Response skips re-validating and re-serialising it on every hit.
    return Response(
        content=body,
        media_type="application/json",
        headers={"X-Cache": "HIT" if hit else "MISS", "Cache-Control": "public, max-age=300"},
    )
