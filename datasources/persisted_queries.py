"""Automatic persisted queries in Redis: query text by its sha256, kept while it is used.

A lookup that cannot reach Redis answers "unknown", so Apollo Client resends the full query and the request
still succeeds: like the catalog cache, this store is an optimisation.
"""

import hashlib
import hmac
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class RedisPersistedQueryStore:
    def __init__(self, redis: Redis, prefix: str, ttl_s: int, key_secret: bytes) -> None:
        self.redis = redis
        self._secret = key_secret
        self.prefix = f"{prefix}:apq:"
        self.counters = f"{prefix}:apq-registrations:"
        self.ttl_s = ttl_s

    async def get(self, sha256: str) -> str | None:
        """The query registered under this hash; each hit restarts its time to live."""
        try:
            query = await self.redis.getex(self.prefix + sha256, ex=self.ttl_s)
        except RedisError as error:
            log.warning("persisted queries unavailable: %s", error)
            return None
        return None if query is None else str(query)

    async def count_registration(self, address: str, window_s: int) -> int:
        """INCR and EXPIRE NX in one round-trip: counted before it is judged, so parallel requests cannot pass
        together. Without Redis nothing can be stored anyway."""
        key = self.counters + self.address_digest(address)
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.incr(key)
                pipe.expire(key, window_s, nx=True)
                count, _ = await pipe.execute()
        except RedisError as error:
            log.warning("persisted queries unavailable: %s", error)
            return 0
        return int(count)

    def address_digest(self, address: str) -> str:
        """Keyed, like the rate limits' keys: a plain hash of an IPv4 address is undone by trying them all."""
        return hmac.new(self._secret, address.encode(), hashlib.sha256).hexdigest()[:32]

    async def put(self, sha256: str, query: str) -> None:
        try:
            await self.redis.set(self.prefix + sha256, query, ex=self.ttl_s)
        except RedisError as error:
            log.warning("persisted queries unavailable: %s", error)
