"""Scripture by theme, cached in process memory and Redis."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Query, Response
from starlette.types import ASGIApp, Receive, Scope, Send

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
        headers={"X-Cache": "HIT" if hit else "MISS", "Cache-Control": CACHE_CONTROL},
    )


CACHE_CONTROL = "public, max-age=300"
_THEMES = {theme.value: theme for theme in Theme}


class ScriptureHitMiddleware:
    """Answers ``GET /v1/scripture?theme=<theme>`` from this process's cache before routing.

    The busiest read of the service returns bytes fixed for the release; resolving the route
    and its dependencies cost more than the rest of the request. Only a plain, valid request
    whose body this process already holds is answered here, with exactly the route's status,
    body and headers (the outer middleware adds the rest, as for every response); anything
    else (a miss, another parameter, an invalid theme) goes through the route, which
    validates it and fills the cache.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.route = next(r for r in router.routes if getattr(r, "path", None) == router.prefix)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == router.prefix and scope["method"] == "GET":
            query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            theme = _THEMES.get(query[0][1]) if len(query) == 1 and query[0][0] == "theme" else None
            resources = getattr(scope["app"].state, "resources", None)
            body = resources.scripture.local_hit(theme) if theme and resources else None
            if body is not None:
                # The route's template labels the metrics, as if the router had matched it.
                scope["route"] = self.route
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": [
                            (b"content-length", str(len(body)).encode()),
                            (b"content-type", b"application/json"),
                            (b"x-cache", b"HIT"),
                            (b"cache-control", CACHE_CONTROL.encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
