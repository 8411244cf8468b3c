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
    """``limit`` requests per ``window`` seconds for each (scope, client).

    Counters live in Redis, so every worker and both colours share them. When Redis is
    unreachable requests are let through: /ready already reports the outage, and refusing
    all chat because the limiter's store is down would turn a degraded cache into an outage.
    """

    def __init__(self, redis: Redis, key_prefix: str, limit: int, window: int, enabled: bool):
        self.redis = redis
        self.key_prefix = key_prefix
        self.limit = limit
        self.window = window
        self.enabled = enabled

    async def hit(self, scope: str, client_key: str) -> Decision:
        """Count a request of ``client_key`` against ``scope``."""
        if not self.enabled:
            return Decision(True, 0, self.limit)
        now = time.time()
        window_index = int(now // self.window)
        # Hashed: the key names a client without storing its address or id in clear.
        client_hash = hashlib.sha256(client_key.encode()).hexdigest()[:24]
        key = f"{self.key_prefix}{scope}:{client_hash}:{window_index}"
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.incr(key)
                pipe.expire(key, self.window + 1)
                count, _ = await pipe.execute()
        except RedisError:
            logger.warning("rate limiter unavailable", extra={"fields": {"scope": scope}})
            return Decision(True, 0, self.limit)
        retry_after = max(1, int((window_index + 1) * self.window - now + 0.999))
        return Decision(count <= self.limit, retry_after, max(0, self.limit - count))
