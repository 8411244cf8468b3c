"""FastAPI dependencies and their ``Annotated`` aliases.

Identity: the caller is whoever its credential proves it to be (services/identity.py): an
anonymous session credential the app issued (``faith_session`` cookie or bearer token) or a
Cognito ID/access token (bearer). Identity headers a client sends (``X-User-Id``,
``X-Forwarded-User``, ...) are never read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import anyio
from fastapi import Depends, HTTPException, Request, Response, Security, status
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from faith_motivator.core.config import Settings, get_settings
from faith_motivator.core.resources import Resources
from faith_motivator.services.chat import ChatService
from faith_motivator.services.identity import (
    MAX_TOKEN_LENGTH,
    SESSION_COOKIE,
    CognitoUnavailable,
    InvalidCredential,
    IssuedSession,
    Principal,
    looks_like_jwt,
)
from faith_motivator.services.prayer import PrayerService
from faith_motivator.services.privacy import PrivacyService
from faith_motivator.services.scripture import ScriptureService

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

# Declared for the OpenAPI document; the header and cookie are read and checked below.
bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An anonymous session credential from POST /v1/session, or a Cognito ID or "
    "access token of the configured user pool and app client.",
)
cookie_scheme = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    scheme_name="session_cookie",
    description="The HttpOnly session cookie the web page receives with its first reply.",
)


def unauthorized(detail: str) -> HTTPException:
    """401 with the challenge RFC 6750 asks for."""
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


async def get_principal(
    request: Request,
    resources: ResourcesDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
    cookie: Annotated[str | None, Security(cookie_scheme)],
) -> Principal | None:
    """The caller proved by its credential; None without one. A bad bearer token is a 401."""
    authorization = request.headers.get("authorization")
    if authorization is not None:
        if bearer is None or len(bearer.credentials) > MAX_TOKEN_LENGTH:
            raise unauthorized("the Authorization header must be 'Bearer <token>'")
        token = bearer.credentials
        try:
            if looks_like_jwt(token):
                if resources.cognito is None:
                    raise InvalidCredential("sign-in tokens are not accepted here")
                return await anyio.to_thread.run_sync(resources.cognito.verify, token)
            return resources.session_tokens.verify(token)
        except InvalidCredential as error:
            raise unauthorized(f"the credential was refused: {error}") from None
        except CognitoUnavailable:
            raise HTTPException(
                status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
                detail="sign-in cannot be checked right now, try again",
            ) from None
    if cookie is not None and len(cookie) <= MAX_TOKEN_LENGTH:
        try:
            return resources.session_tokens.verify(cookie)
        except InvalidCredential:
            # An expired or stale cookie is no credential: the page gets a new one.
            return None
    return None


OptionalPrincipal = Annotated[Principal | None, Depends(get_principal)]


async def require_principal(principal: OptionalPrincipal) -> Principal:
    """The caller; 401 when it presented no credential."""
    if principal is None:
        raise unauthorized(
            "a credential is required: the session cookie, or 'Authorization: Bearer <token>' "
            "with a token from POST /v1/session or a Cognito sign-in"
        )
    return principal


PrincipalDep = Annotated[Principal, Depends(require_principal)]


def set_session_cookie(request: Request, response: Response, issued: IssuedSession) -> None:
    """Hand the web page its credential: HttpOnly (no script reads it), same-site only."""
    settings = request.app.state.resources.settings
    secure = settings.session_cookie_secure
    if secure is None:
        secure = request.url.scheme == "https"
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=settings.session_ttl_seconds,
        path="/",
        secure=secure,
        httponly=True,
        samesite="strict",
    )


async def principal_or_new(
    request: Request, response: Response, principal: OptionalPrincipal
) -> Principal:
    """The caller, or a new anonymous principal whose credential the response carries."""
    if principal is not None:
        return principal
    issued = request.app.state.resources.session_tokens.issue()
    set_session_cookie(request, response, issued)
    return issued.principal


ChatPrincipalDep = Annotated[Principal, Depends(principal_or_new)]


def rate_limited(scope: str) -> Callable[..., Awaitable[None]]:
    """A dependency that counts the request against ``scope`` and refuses it with 429.

    Two counters: one per credential (or per address for a request without one), and one
    per client address whatever credentials it presents, so minting or rotating credentials
    does not reset the limit. The address is the one the trusted proxy saw (middleware).
    """

    async def check(request: Request, resources: ResourcesDep, principal: OptionalPrincipal):
        address = request.client.host if request.client else "-"
        settings = resources.settings
        counters = [
            (
                f"principal:{principal.id}" if principal else f"address:{address}",
                settings.rate_limit_requests,
            ),
            (f"any:{address}", settings.rate_limit_address_requests),
        ]
        decision = await resources.rate_limiter.hit(scope, counters)
        if not decision.allowed:
            resources.metrics.rate_limited.labels(scope).inc()
            raise HTTPException(
                status_code=status.HTTP_429_TOO_MANY_REQUESTS,
                detail=f"too many requests; try again in {decision.retry_after} s",
                headers={"Retry-After": str(decision.retry_after)},
            )

    return check
