"""Catalog read cache in Redis: a generation counter makes invalidation one INCR, whatever was cached.

A cache is an optimisation, so a Redis outage here is logged and the read goes to the database.
"""

import json
import logging
from collections import OrderedDict

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

DECODED_KEYS = 64
"""Payloads kept decoded, most recently read first: the whole catalog and the busiest catalog pages."""


class RedisCatalogCache:
    def __init__(self, redis: Redis, namespace: str, ttl_s: int = 3600) -> None:
        self.redis = redis
        self.generation_key = f"{namespace}:catalog:generation"
        self.namespace = namespace
        self.ttl_s = ttl_s
        self.decoded: OrderedDict[str, tuple[bytes | str, object]] = OrderedDict()

    async def get(self, key: str) -> tuple[object | None, str]:
        """The cached value (None on a miss) and the generation it was looked up in: `set` stores under that
        one, so a value read from the database before a write's invalidation is never served after it."""
        try:
            generation = str(await self.redis.get(self.generation_key) or "0")
            raw = await self.redis.get(self._key(generation, key))
        except RedisError as error:
            log.warning("catalog cache unavailable: %s", error)
            return None, ""
        return (None if raw is None else self._decoded(key, raw)), generation

    def _decoded(self, key: str, raw: bytes | str) -> object:
        """The payload decoded once while it stays the same (ranking reads the whole catalog on every request):
        the same payload gives the same object, which callers only read."""
        last = self.decoded.get(key)
        if last is not None and last[0] == raw:
            self.decoded.move_to_end(key)
            return last[1]
        value = json.loads(raw)
        self.decoded[key] = (raw, value)
        if len(self.decoded) > DECODED_KEYS:
            self.decoded.popitem(last=False)
        return value

    async def set(self, key: str, value: object, generation: str) -> None:
        if not generation:
            return  # the lookup failed: no generation to store under
        try:
            await self.redis.set(self._key(generation, key), json.dumps(value), ex=self.ttl_s)
        except RedisError as error:
            log.warning("catalog cache unavailable: %s", error)

    def _key(self, generation: str, key: str) -> str:
        return f"{self.namespace}:catalog:{generation}:{key}"

    async def invalidate(self) -> None:
        # Failing loudly here: a write that cannot invalidate would leave stale reads for an hour.
        await self.redis.incr(self.generation_key)
