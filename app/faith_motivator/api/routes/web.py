"""The web chat page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static"

router = APIRouter(tags=["web"])


@router.get("/", response_class=FileResponse, include_in_schema=False)
async def index():
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")


@router.get("/favicon.ico", response_class=FileResponse, include_in_schema=False)
async def favicon():
    # Browsers ask for it on every first visit; a 404 there is noise in every log.
    return FileResponse(
        STATIC_DIR / "favicon.ico",
        media_type="image/x-icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )
