"""Catalog read cache in Redis: a generation counter makes invalidation one INCR, whatever was cached.

A value stored under a generation never changes while that generation lasts, so each process keeps the ones it
read, decoded, and asks Redis only for the generation (a GET of a few bytes) until it moves: the whole catalog
is read by ranking on every request, and at 1,000 programs fetching its payload cost ~38% of a results page's
CPU (bench/profile.py --programs 1000). A missing generation starts at the clock in nanoseconds, so a Redis
that lost its data never brings back a generation a process still holds values for.

A cache is an optimisation, so a Redis outage here is logged and the read goes to the database.
"""

import json
import logging
import time
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
        self.decoded: OrderedDict[str, tuple[str, object]] = OrderedDict()

    async def get(self, key: str) -> tuple[object | None, str]:
        """The cached value (None on a miss) and the generation it was looked up in: `set` stores under that
        one, so a value read from the database before a write's invalidation is never served after it. The
        same generation gives the same object, which callers only read."""
        try:
            generation = await self._generation()
            held = self.decoded.get(key)
            if held is not None and held[0] == generation:
                self.decoded.move_to_end(key)
                return held[1], generation
            raw = await self.redis.get(self._key(generation, key))
        except RedisError as error:
            log.warning("catalog cache unavailable: %s", error)
            return None, ""
        if raw is None:
            return None, generation
        value = json.loads(raw)
        self.decoded[key] = (generation, value)
        if len(self.decoded) > DECODED_KEYS:
            self.decoded.popitem(last=False)
        return value, generation

    async def _generation(self) -> str:
        current = await self.redis.get(self.generation_key)
        if current is None:
            await self.redis.set(self.generation_key, time.time_ns(), nx=True)
            current = await self.redis.get(self.generation_key)
        return str(int(current or 0))

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
        await self._generation()  # a lost counter restarts at the clock, not at 1
        await self.redis.incr(self.generation_key)
