"""Liveness, readiness, metrics and version."""

from __future__ import annotations

import asyncio

import anyio
from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse, PlainTextResponse

from faith_motivator.api.deps import ResourcesDep, SettingsDep
from faith_motivator.models.ops import HealthOut, ReadyOut, VersionOut

router = APIRouter(tags=["operations"])

# Well under the load balancer's health-check timeout (5 s by default on the ALB).
READY_TIMEOUT_SECONDS = 2.0


@router.get("/health", response_model=HealthOut, summary="Liveness: no dependency is checked")
async def health():
    return HealthOut(status="ok")


async def _check(probe) -> str:
    try:
        await asyncio.wait_for(probe(), READY_TIMEOUT_SECONDS)
    # Any failure means "not ready"; the exception type tells the operator why.
    except Exception as error:
        return f"error: {type(error).__name__}"
    return "ok"


@router.get(
    "/ready",
    response_model=ReadyOut,
    responses={503: {"model": ReadyOut, "description": "A dependency failed"}},
    summary="Readiness: DynamoDB tables and Redis answer",
)
async def ready(resources: ResourcesDep):
    settings = resources.settings

    async def redis_probe() -> None:
        await resources.redis.ping()

    async def dynamodb_probe() -> None:
        def describe_all() -> None:
            for table in settings.table_names.values():
                resources.dynamodb.describe_table(TableName=table)

        await anyio.to_thread.run_sync(describe_all, abandon_on_cancel=True)

    redis_result, dynamodb_result = await asyncio.gather(
        _check(redis_probe), _check(dynamodb_probe)
    )
    checks = {"dynamodb": dynamodb_result, "redis": redis_result}
    healthy = all(result == "ok" for result in checks.values())
    body = ReadyOut(status="ready" if healthy else "unavailable", checks=checks)
    if healthy:
        return body
    return JSONResponse(status_code=status.HTTP_503_SERVICE_UNAVAILABLE, content=body.model_dump())


@router.get("/metrics", response_class=PlainTextResponse, include_in_schema=False)
async def metrics(request: Request, resources: ResourcesDep):
    """Prometheus metrics, for the internal scrape only.

    Whatever passed a proxy (the ALB, the local HAProxy) carries X-Forwarded-For, which the
    client cannot remove; the scraper reaches the task directly and sends none. So a request
    through the public edge gets a 404 even if the edge forgot to refuse it.
    """
    if "x-forwarded-for" in request.headers:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Not Found")
    body, content_type = resources.metrics.render()
    return Response(content=body, media_type=content_type)


@router.get("/version", response_model=VersionOut, summary="Build version and colour")
async def version(settings: SettingsDep):
    return VersionOut(
        version=settings.app_version,
        colour=settings.colour,
        environment=settings.environment,
        responder=settings.responder,
        region=settings.aws_region,
    )
