"""Per-process resources, opened in the app's lifespan and closed after it.

Nothing here runs at import time: under gunicorn each worker opens its own clients and
connection pools after the fork.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import boto3
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import RedisError

from faith_motivator.core.config import Settings
from faith_motivator.core.metrics import Metrics
from faith_motivator.services import aws
from faith_motivator.services.chat import ChatService
from faith_motivator.services.consent import SessionOwners, StorageConsent
from faith_motivator.services.identity import CognitoVerifier, SessionTokens
from faith_motivator.services.prayer import PrayerService
from faith_motivator.services.privacy import PrivacyService
from faith_motivator.services.queue import PrayerQueue
from faith_motivator.services.rate_limit import RateLimiter
from faith_motivator.services.responders.base import Responder
from faith_motivator.services.responders.bedrock import BedrockResponder
from faith_motivator.services.responders.local import LocalResponder
from faith_motivator.services.scripture import ScriptureCatalogue, ScriptureService
from faith_motivator.services.secrets import apply_secret
from faith_motivator.services.storage import (
    ConsentLogStore,
    ConversationStore,
    PrayerRequestStore,
    ProfileStore,
)
from faith_motivator.services.themes import ThemeDetector

logger = logging.getLogger(__name__)


@dataclass
class Resources:
    """Everything a request handler needs, opened once per process."""
    settings: Settings
    metrics: Metrics
    redis: Redis
    dynamodb: Any
    responder: Responder
    chat: ChatService
    scripture: ScriptureService
    prayer: PrayerService
    privacy: PrivacyService
    rate_limiter: RateLimiter
    session_tokens: SessionTokens
    cognito: CognitoVerifier | None
    consent: StorageConsent
    owners: SessionOwners


async def session_signing_key(settings: Settings, redis: Redis) -> bytes:
    """FAITH_SESSION_SECRET, or a generated key that every process on this Redis shares."""
    if settings.session_secret is not None:
        return settings.session_secret.get_secret_value().encode()
    name = f"{settings.redis_key_prefix}session-signing-key"
    candidate = secrets.token_urlsafe(48)
    try:
        # The first process to start writes it; the others (workers, the other colour) read
        # the same key, so a credential issued by one is accepted by all.
        await redis.set(name, candidate, nx=True)
        stored = await redis.get(name)
    except RedisError:
        stored = None
    if stored:
        logger.warning("session key generated and shared through redis; set FAITH_SESSION_SECRET")
        return bytes(stored)
    logger.warning("session key generated for this process only; set FAITH_SESSION_SECRET")
    return candidate.encode()


def build_responder(
    settings: Settings, catalogue: ScriptureCatalogue, session: boto3.session.Session
) -> Responder:
    """The responder named by ``settings.responder``."""
    local = LocalResponder(catalogue)
    if settings.responder == "local":
        return local
    bedrock = aws.client(
        settings,
        "bedrock-runtime",
        session=session,
        region=settings.bedrock_region,
        connect_timeout=settings.bedrock_connect_timeout,
        read_timeout=settings.bedrock_read_timeout,
        # One retry at most: a person is waiting, and the fallback answers anyway.
        max_attempts=2,
    )
    return BedrockResponder(
        bedrock,
        local,
        model_id=settings.bedrock_model_id,
        guardrail_id=settings.bedrock_guardrail_id,
        guardrail_version=settings.bedrock_guardrail_version,
        max_tokens=settings.bedrock_max_tokens,
    )


@asynccontextmanager
async def open_resources(
    settings: Settings, metrics: Metrics, catalogue: ScriptureCatalogue, detector: ThemeDetector
) -> AsyncIterator[Resources]:
    """Open clients for one process and close them on exit."""
    session = aws.new_session()
    if settings.secret_id:
        settings = apply_secret(settings, aws.client(settings, "secretsmanager", session=session))
    redis = Redis.from_url(
        settings.redis_url,
        socket_timeout=settings.redis_socket_timeout,
        socket_connect_timeout=settings.redis_socket_timeout,
        health_check_interval=30,
        retry=Retry(ExponentialBackoff(cap=0.05, base=0.01), settings.redis_retries),
    )
    dynamodb = aws.client(settings, "dynamodb", session=session)
    sqs = aws.client(settings, "sqs", session=session)
    conversations = ConversationStore(
        dynamodb,
        settings.conversation_sessions_table,
        timedelta(days=settings.history_retention_days),
    )
    profiles = ProfileStore(dynamodb, settings.user_profiles_table)
    prayer_requests = PrayerRequestStore(dynamodb, settings.prayer_requests_table)
    consent_log = ConsentLogStore(dynamodb, settings.consent_logs_table)
    responder = build_responder(settings, catalogue, session)
    prefix = settings.redis_key_prefix
    session_tokens = SessionTokens(
        await session_signing_key(settings, redis), settings.session_ttl_seconds
    )
    consent = StorageConsent(
        redis,
        key_prefix=f"{prefix}consent:",
        ttl_seconds=3600,
        # Storing is on until the person withdraws it.
        read=lambda user_id: profiles.consent(user_id, "store_conversations") is not False,
    )
    owners = SessionOwners(
        redis,
        key_prefix=f"{prefix}session-owner:",
        ttl_seconds=settings.history_retention_days * 24 * 3600,
    )
    cognito = (
        CognitoVerifier(
            issuer=settings.cognito_issuer or "",
            client_id=settings.cognito_client_id or "",
            jwks_url=settings.cognito_jwks_url or "",
            jwks_ttl_seconds=settings.cognito_jwks_ttl_seconds,
        )
        if settings.cognito_user_pool_id
        else None
    )
    try:
        yield Resources(
            settings=settings,
            metrics=metrics,
            redis=redis,
            dynamodb=dynamodb,
            responder=responder,
            chat=ChatService(
                responder,
                detector,
                catalogue,
                conversations,
                profiles,
                consent,
                owners,
                metrics,
                settings.history_limit,
            ),
            scripture=ScriptureService(
                catalogue,
                redis,
                metrics,
                # The version in the key: a new release never serves the old one's rendering.
                key_prefix=f"{prefix}scripture:{settings.app_version}:",
                ttl_seconds=settings.scripture_cache_ttl_seconds,
            ),
            prayer=PrayerService(
                prayer_requests,
                profiles,
                PrayerQueue(sqs, settings.prayer_queue_url, settings.prayer_queue_name),
            ),
            privacy=PrivacyService(profiles, consent_log, conversations, prayer_requests),
            rate_limiter=RateLimiter(
                redis,
                key_prefix=f"{prefix}ratelimit:",
                window=settings.rate_limit_window_seconds,
                enabled=settings.rate_limit_enabled,
            ),
            session_tokens=session_tokens,
            cognito=cognito,
            consent=consent,
            owners=owners,
        )
    finally:
        await redis.aclose()
        dynamodb.close()
        sqs.close()
