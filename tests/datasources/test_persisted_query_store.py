"""The persisted-query store in Redis: hits restart the time to live, and an outage reads as "unknown"."""

import hashlib
import uuid

from datasources import redis
from datasources.persisted_queries import RedisPersistedQueryStore
from migratio.settings import Settings
from tests.server import free_port


async def test_a_hit_restarts_the_time_to_live(settings: Settings) -> None:
    client = redis.connect(settings.redis_url, 2)
    store = RedisPersistedQueryStore(
        client, f"{settings.redis_key_prefix}-store-{uuid.uuid4().hex[:6]}", ttl_s=600, key_secret=b"k" * 32
    )
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
    store = RedisPersistedQueryStore(client, "nowhere", ttl_s=600, key_secret=b"k" * 32)
    try:
        assert await store.get("a" * 64) is None
        await store.put("a" * 64, "{ __typename }")
    finally:
        await client.aclose()


async def test_registrations_are_counted_under_a_keyed_digest_of_the_address(settings: Settings) -> None:
    client = redis.connect(settings.redis_url, 2)
    prefix = f"{settings.redis_key_prefix}-store-{uuid.uuid4().hex[:6]}"
    store = RedisPersistedQueryStore(client, prefix, ttl_s=600, key_secret=b"k" * 32)
    other = RedisPersistedQueryStore(client, prefix, ttl_s=600, key_secret=b"j" * 32)
    try:
        assert [await store.count_registration("203.0.113.7", 60) for _ in range(2)] == [1, 2]
        keys = [key async for key in client.scan_iter(f"{prefix}:*")]
        assert keys == [f"{prefix}:apq-registrations:{store.address_digest('203.0.113.7')}"]
        assert hashlib.sha256(b"203.0.113.7").hexdigest()[:32] not in keys[0]
        assert store.address_digest("203.0.113.7") != other.address_digest("203.0.113.7")
    finally:
        for key in [key async for key in client.scan_iter(f"{prefix}:*")]:
            await client.delete(key)
        await client.aclose()
