"""Whether a person's conversations may be stored, cached in Redis in front of UserProfiles.

Every chat needs the answer, and it changes only when the person records a choice or erases
their data: both forget the cached answer at once, in the Redis every worker and both colours
share. Only a hash of the principal names the key, and the value is one flag.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

import anyio
from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class StorageConsent:
    """``may_store(principal)``: Redis first, then the profile (blocking, on the thread pool)."""

    def __init__(
        self, redis: Redis, key_prefix: str, ttl_seconds: int, read: Callable[[str], bool]
    ) -> None:
        self.redis = redis
        self.key_prefix = key_prefix
        self.ttl_seconds = ttl_seconds
        self.read = read

    def key(self, principal_id: str) -> str:
        """The cache key of a principal (hashed: no id in clear in Redis)."""
        return f"{self.key_prefix}{hashlib.sha256(principal_id.encode()).hexdigest()[:32]}"

    async def may_store(self, principal_id: str) -> bool:
        """True unless the person withdrew store_conversations."""
        key = self.key(principal_id)
        try:
            cached = await self.redis.get(key)
        except RedisError:
            cached = None
        if cached is not None:
            return cached == b"1"
        allowed = await anyio.to_thread.run_sync(self.read, principal_id)
        try:
            await self.redis.set(key, b"1" if allowed else b"0", ex=self.ttl_seconds)
        except RedisError:
            logger.warning("consent cache write failed", extra={"fields": {"dependency": "redis"}})
        return allowed

    async def forget(self, principal_id: str) -> None:
        """Drop the cached answer (after a consent change or an erasure).

        A failure is raised: a stale "may store" after a withdrawal would store what the
        person refused, so the caller must not report success.
        """
        await self.redis.delete(self.key(principal_id))


class SessionOwners:
    """Who owns each conversation, cached in Redis in front of ConversationSessions.

    Continuing a conversation needs its owner; the owner never changes, so after the first
    look-up the answer comes from Redis instead of a DynamoDB Query. Only hashes are kept:
    the key names the session, the value a hash of the owner. Erasure forgets its sessions.
    """

    def __init__(self, redis: Redis, key_prefix: str, ttl_seconds: int) -> None:
        self.redis = redis
        self.key_prefix = key_prefix
        self.ttl_seconds = ttl_seconds

    @staticmethod
    def digest(principal_id: str) -> bytes:
        """What is stored for an owner."""
        return hashlib.sha256(principal_id.encode()).hexdigest()[:32].encode()

    async def cached(self, session_id: str) -> bytes | None:
        """The owner's digest, or None when not cached (or Redis is down: ask DynamoDB)."""
        try:
            return await self.redis.get(f"{self.key_prefix}{session_id}")
        except RedisError:
            return None

    async def remember(self, session_id: str, owner: str) -> None:
        """Cache the owner of a session (best effort: DynamoDB stays the truth)."""
        try:
            await self.redis.set(
                f"{self.key_prefix}{session_id}", self.digest(owner), ex=self.ttl_seconds
            )
        except RedisError:
            logger.warning("owner cache write failed", extra={"fields": {"dependency": "redis"}})

    async def forget(self, session_ids: list[str]) -> None:
        """Drop erased sessions (a failure is raised: the erasure is not complete)."""
        if session_ids:
            await self.redis.delete(*(f"{self.key_prefix}{s}" for s in session_ids))
