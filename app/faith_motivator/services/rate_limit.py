"""Per-client rate limiting on Redis: a fixed window counter per scope and client."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decision:
    """The outcome of counting one request."""
    allowed: bool
    retry_after: int
    remaining: int


class RateLimiter:
    """Fixed-window counters per (scope, client key), each key with its own limit.

    Counters live in Redis, so every worker and both colours share them. When Redis is
    unreachable requests are let through: /ready already reports the outage, and refusing
    all chat because the limiter's store is down would turn a degraded cache into an outage.
    """

    def __init__(self, redis: Redis, key_prefix: str, window: int, enabled: bool):
        self.redis = redis
        self.key_prefix = key_prefix
        self.window = window
        self.enabled = enabled

    async def hit(self, scope: str, counters: list[tuple[str, int]]) -> Decision:
        """Count one request on every (client key, limit); refused if any is over its limit."""
        if not self.enabled:
            return Decision(True, 0, min(limit for _, limit in counters))
        now = time.time()
        window_index = int(now // self.window)
        try:
            # One round trip for all counters.
            async with self.redis.pipeline(transaction=True) as pipe:
                for client_key, _ in counters:
                    # Hashed: the key names a client without its address or id in clear.
                    client_hash = hashlib.sha256(client_key.encode()).hexdigest()[:24]
                    key = f"{self.key_prefix}{scope}:{client_hash}:{window_index}"
                    pipe.incr(key)
                    pipe.expire(key, self.window + 1)
                results = await pipe.execute()
        except RedisError:
            logger.warning("rate limiter unavailable", extra={"fields": {"scope": scope}})
            return Decision(True, 0, min(limit for _, limit in counters))
        counts = results[0::2]
        retry_after = max(1, int((window_index + 1) * self.window - now + 0.999))
        limits = [limit for _, limit in counters]
        allowed = all(count <= limit for count, limit in zip(counts, limits, strict=True))
        remaining = min(max(0, limit - count) for count, limit in zip(counts, limits, strict=True))
        return Decision(allowed, retry_after, remaining)
