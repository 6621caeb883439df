"""The persisted-query store in Redis: hits restart the time to live, and an outage reads as "unknown"."""

import uuid

from datasources import redis
from datasources.persisted_queries import RedisPersistedQueryStore
from migratio.settings import Settings
from tests.server import free_port


async def test_a_hit_restarts_the_time_to_live(settings: Settings) -> None:
    client = redis.connect(settings.redis_url, 2)
    store = RedisPersistedQueryStore(client, f"{settings.redis_key_prefix}-store-{uuid.uuid4().hex[:6]}", ttl_s=600)
    try:
        await store.put("a" * 64, "{ __typename }")
        await client.expire(store.prefix + "a" * 64, 5)
        assert await store.get("a" * 64) == "{ __typename }"
        assert await client.ttl(store.prefix + "a" * 64) > 590
        assert await store.get("b" * 64) is None
    finally:
        await client.delete(store.prefix + "a" * 64)
        await client.aclose()


async def test_an_unreachable_redis_reads_as_unknown_and_storing_does_not_fail() -> None:
    client = redis.connect(f"redis://127.0.0.1:{free_port()}/0", 0.5)
    store = RedisPersistedQueryStore(client, "nowhere", ttl_s=600)
    try:
        assert await store.get("a" * 64) is None
        await store.put("a" * 64, "{ __typename }")
    finally:
        await client.aclose()
