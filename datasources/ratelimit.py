"""Sliding-window counters in Redis sorted sets: one member per attempt, scored by its time.

An attempt is counted before it is checked, in one Lua script over all its keys, so parallel attempts
cannot all read "under the limit" before any of them is counted. Key names hold a keyed hash (HMAC) of what
they count — e-mail addresses and IPs are personal data and must not survive in Redis under their own name.
"""

import hashlib
import hmac
import math
import time
from collections.abc import Sequence

from redis.asyncio import Redis

# KEYS: the counters; ARGV: now, window, attempt id, then one limit per key.
# Counts the attempt in every key, or — when any key already holds its limit — in none, and returns the
# seconds until the fullest key frees a slot. Redis runs a script alone: check and count are one step.
_ACQUIRE = """
local now, window, member = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local wait = 0
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local limit = tonumber(ARGV[3 + i])
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local frees = tonumber(oldest[2]) + window - now
    if frees > wait then wait = frees end
  end
end
if wait > 0 then return tostring(wait) end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, member)
  redis.call('EXPIRE', key, window)
end
return false
"""


class RedisRateLimiter:
    def __init__(self, redis: Redis, prefix: str, key_secret: bytes) -> None:
        self.redis = redis
        self.prefix = prefix
        self._secret = key_secret
        self._acquire = redis.register_script(_ACQUIRE)

    def _key(self, key: str) -> str:
        """`login:account:<hmac>`: the kind of counter stays readable, whose it is does not."""
        *kind, subject = key.split(":", 2)  # an IPv6 subject keeps its colons
        digest = hmac.new(self._secret, subject.encode(), hashlib.sha256).hexdigest()[:32]
        return ":".join([self.prefix, "rl", *kind, digest])

    async def acquire(self, limits: Sequence[tuple[str, int]], window_s: int, attempt_id: str) -> int | None:
        names = [self._key(key) for key, _ in limits]
        wait = await self._acquire(keys=names, args=[time.time(), window_s, attempt_id, *(n for _, n in limits)])
        return None if wait is None else max(1, math.ceil(float(wait)))

    async def release(self, keys: Sequence[str], attempt_id: str) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.zrem(self._key(key), attempt_id)
            await pipe.execute()

    async def clear(self, key: str) -> None:
        await self.redis.delete(self._key(key))
