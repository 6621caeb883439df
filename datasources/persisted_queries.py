"""Automatic persisted queries in Redis: query text by its sha256, kept while it is used.

A lookup that cannot reach Redis answers "unknown", so Apollo Client resends the full query and the request
still succeeds: like the catalog cache, this store is an optimisation.
"""

import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class RedisPersistedQueryStore:
    def __init__(self, redis: Redis, prefix: str, ttl_s: int) -> None:
        self.redis = redis
        self.prefix = f"{prefix}:apq:"
        self.ttl_s = ttl_s

    async def get(self, sha256: str) -> str | None:
        """The query registered under this hash; each hit restarts its time to live."""
        try:
            query = await self.redis.getex(self.prefix + sha256, ex=self.ttl_s)
        except RedisError as error:
            log.warning("persisted queries unavailable: %s", error)
            return None
        return None if query is None else str(query)

    async def put(self, sha256: str, query: str) -> None:
        try:
            await self.redis.set(self.prefix + sha256, query, ex=self.ttl_s)
        except RedisError as error:
            log.warning("persisted queries unavailable: %s", error)
