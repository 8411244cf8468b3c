"""The FastAPI application factory.

Run it with ``gunicorn -c gunicorn.conf.py`` (see app/README.md) or, for development,
``uvicorn --factory faith_motivator.main:create_app``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import cast

from botocore.exceptions import BotoCoreError, ClientError
from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from redis.exceptions import RedisError
from starlette.exceptions import HTTPException as StarletteHTTPException

from faith_motivator import __version__
from faith_motivator.api.responses import ERROR_CODES
from faith_motivator.api.routes import chat, ops, prayer, privacy, scripture, session, web
from faith_motivator.api.routes.scripture import ScriptureHitMiddleware
from faith_motivator.api.routes.web import STATIC_DIR
from faith_motivator.core.config import get_settings
from faith_motivator.core.logging import configure_logging
from faith_motivator.core.metrics import Metrics
from faith_motivator.core.middleware import RequestContextMiddleware
from faith_motivator.core.resources import open_resources
from faith_motivator.services.prayer import PrayerQueueUnavailable
from faith_motivator.services.scripture import ScriptureCatalogue
from faith_motivator.services.themes import ThemeDetector

logger = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the per-process resources on start-up and close them on shutdown."""
    # The same resolution FastAPI uses for Depends(get_settings), so a test's override of
    # get_settings also decides which Redis, tables and queue this process talks to.
    settings = app.dependency_overrides.get(get_settings, get_settings)()
    configure_logging(settings.log_level)
    async with open_resources(
        settings, app.state.metrics, app.state.catalogue, app.state.theme_detector
    ) as resources:
        app.state.resources = resources
        logger.info(
            "started",
            extra={
                "fields": {
                    "version": settings.app_version,
                    "colour": settings.colour,
                    "environment": settings.environment,
                    "responder": settings.responder,
                }
            },
        )
        yield
    logger.info("stopped")


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    # FastAPI's default body echoes the input back; an oversized message would come back
    # whole. Location and reason are enough to fix the request.
    errors = [
        {"field": ".".join(str(part) for part in error["loc"]), "message": error["msg"]}
        for error in cast(RequestValidationError, exc).errors()
    ]
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content={"error": "validation_error", "detail": errors},
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    # Starlette's own errors (404, 405) and the app's HTTPExceptions, in one format.
    error = cast(StarletteHTTPException, exc)
    return JSONResponse(
        status_code=error.status_code,
        content={"error": ERROR_CODES.get(error.status_code, "error"), "detail": str(error.detail)},
        headers=error.headers,
    )


async def _storage_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("dependency call failed", exc_info=exc, extra={"fields": {"dependency": "aws"}})
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"error": "dependency_unavailable", "detail": "storage is unavailable, try again"},
    )


async def _cache_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("dependency call failed", exc_info=exc, extra={"fields": {"dependency": "redis"}})
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"error": "dependency_unavailable", "detail": "the cache is unavailable"},
    )


async def _queue_error(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={
            "error": "dependency_unavailable",
            "detail": "the prayer request could not be queued and was not kept; try again",
        },
    )


def create_app() -> FastAPI:
    """A new application; resources open when its lifespan starts."""
    app = FastAPI(
        title="Faith Motivator",
        version=__version__,
        summary="Encouragement and public-domain scripture for whatever you are facing.",
        lifespan=lifespan,
        # The interactive pages load their script from a CDN, which the CSP (rightly)
        # refuses; the contract is /openapi.json.
        docs_url=None,
        redoc_url=None,
        # Metrics are Prometheus (below) and no OpenTelemetry SDK is configured, so the
        # built-in instrumentation would only add per-request work.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.metrics = Metrics()
    # Read-only data files, loaded once per app (before gunicorn forks, with preload_app).
    app.state.catalogue = ScriptureCatalogue.load()
    app.state.theme_detector = ThemeDetector.load()
    # Matched in this order, one route at a time: the busiest paths go first.
    for module in (scripture, chat, ops, session, prayer, privacy, web):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(BotoCoreError, _storage_error)
    app.add_exception_handler(ClientError, _storage_error)
    app.add_exception_handler(PrayerQueueUnavailable, _queue_error)
    app.add_exception_handler(RedisError, _cache_error)
    # Added first, so it runs inside the request middleware: ids, headers, metrics and the
    # access log cover its answers too.
    app.add_middleware(ScriptureHitMiddleware)
    app.add_middleware(
        RequestContextMiddleware,
        metrics=app.state.metrics,
        trusted_proxies=lambda: app.dependency_overrides.get(get_settings, get_settings)()
        .forwarded_allow_ips,
        routes=app.routes,
    )
    return app
