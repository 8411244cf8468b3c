"""FastAPI dependencies and their ``Annotated`` aliases.

Identity: the caller is identified by the ``X-User-Id`` header. The service does no
authentication of its own; on AWS the header must be set by the authenticating layer in
front of it (e.g. the ALB's OIDC/Cognito action or an API gateway) and stripped from
client input there. Without the header chat works anonymously; consent and data-rights
endpoints require it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status

from faith_motivator.core.config import Settings, get_settings
from faith_motivator.core.resources import Resources
from faith_motivator.services.chat import ChatService
from faith_motivator.services.prayer import PrayerService
from faith_motivator.services.privacy import PrivacyService
from faith_motivator.services.scripture import ScriptureService

USER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@:+-]{0,127}$"

SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_resources(request: Request) -> Resources:
    """The resources the app's lifespan opened."""
    return request.app.state.resources


ResourcesDep = Annotated[Resources, Depends(get_resources)]


# The services read the app state directly rather than depending on ResourcesDep: every
# level of dependency costs FastAPI tens of microseconds per request, on every request.
async def get_chat_service(request: Request) -> ChatService:
    """The chat service of this process."""
    return request.app.state.resources.chat


async def get_scripture_service(request: Request) -> ScriptureService:
    """The scripture service of this process."""
    return request.app.state.resources.scripture


async def get_prayer_service(request: Request) -> PrayerService:
    """The prayer-request service of this process."""
    return request.app.state.resources.prayer


async def get_privacy_service(request: Request) -> PrivacyService:
    """The consent and data-rights service of this process."""
    return request.app.state.resources.privacy


ChatServiceDep = Annotated[ChatService, Depends(get_chat_service)]
ScriptureServiceDep = Annotated[ScriptureService, Depends(get_scripture_service)]
PrayerServiceDep = Annotated[PrayerService, Depends(get_prayer_service)]
PrivacyServiceDep = Annotated[PrivacyService, Depends(get_privacy_service)]

OptionalUserId = Annotated[
    str | None,
    Header(
        alias="X-User-Id",
        pattern=USER_ID_PATTERN,
        description="Pseudonymous user id set by the authenticating layer in front of the app.",
    ),
]


async def require_user_id(user_id: OptionalUserId = None) -> str:
    """The caller's X-User-Id; 401 when it is missing."""
    if user_id is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="the X-User-Id header is required for this endpoint",
        )
    return user_id


UserIdDep = Annotated[str, Depends(require_user_id)]


def rate_limited(scope: str) -> Callable[..., Awaitable[None]]:
    """A dependency that counts the request against ``scope`` and refuses it with 429."""

    async def check(request: Request, resources: ResourcesDep, user_id: OptionalUserId = None):
        # Behind the load balancer request.client is the real client: gunicorn's
        # forwarded_allow_ips makes uvicorn take it from X-Forwarded-For.
        address = request.client.host if request.client else "-"
        client = f"user:{user_id}" if user_id else f"ip:{address}"
        decision = await resources.rate_limiter.hit(scope, client)
        if not decision.allowed:
            resources.metrics.rate_limited.labels(scope).inc()
            raise HTTPException(
                status_code=status.HTTP_429_TOO_MANY_REQUESTS,
                detail=f"too many requests; try again in {decision.retry_after} s",
                headers={"Retry-After": str(decision.retry_after)},
            )

    return check
