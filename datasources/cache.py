"""Catalog read cache in Redis: a generation counter makes invalidation one INCR, whatever was cached.

A cache is an optimisation, so a Redis outage here is logged and the read goes to the database.
"""

import json
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class RedisCatalogCache:
    def __init__(self, redis: Redis, namespace: str, ttl_s: int = 3600) -> None:
        self.redis = redis
        self.generation_key = f"{namespace}:catalog:generation"
        self.namespace = namespace
        self.ttl_s = ttl_s

    async def _key(self, key: str) -> str:
        generation = str(await self.redis.get(self.generation_key) or "0")
        return f"{self.namespace}:catalog:{generation}:{key}"

    async def get(self, key: str) -> object | None:
        try:
            raw = await self.redis.get(await self._key(key))
        except RedisError as error:
            log.warning("catalog cache unavailable: %s", error)
            return None
        return None if raw is None else json.loads(raw)

    async def set(self, key: str, value: object) -> None:
        try:
            await self.redis.set(await self._key(key), json.dumps(value), ex=self.ttl_s)
        except RedisError as error:
            log.warning("catalog cache unavailable: %s", error)

    async def invalidate(self) -> None:
        # Failing loudly here: a write that cannot invalidate would leave stale reads for an hour.
        await self.redis.incr(self.generation_key)
