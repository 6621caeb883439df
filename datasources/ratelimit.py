"""Sliding-window counters in Redis sorted sets: one member per attempt, scored by its time."""

import math
import time
import uuid

from redis.asyncio import Redis


class RedisRateLimiter:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix

    def _key(self, key: str) -> str:
        return f"{self.prefix}:rl:{key}"

    async def retry_after(self, key: str, limit: int, window_s: int) -> int | None:
        name, now = self._key(key), time.time()
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zremrangebyscore(name, 0, now - window_s)
            pipe.zcard(name)
            _, count = await pipe.execute()
        if count < limit:
            return None
        # allowed again when enough of the oldest hits have left the window
        oldest = await self.redis.zrange(name, count - limit, count - limit, withscores=True)
        if not oldest:
            return None
        return max(1, math.ceil(float(oldest[0][1]) + window_s - now))

    async def hit(self, key: str, window_s: int) -> None:
        name = self._key(key)
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zadd(name, {uuid.uuid4().hex: time.time()})
            pipe.expire(name, window_s)
            await pipe.execute()

    async def clear(self, key: str) -> None:
        await self.redis.delete(self._key(key))
