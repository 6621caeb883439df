"""Pending social sign-ins in Redis: amending one (the name a form_post provider posts) keeps its expiry and never
brings back one that was taken (used) in the meantime."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from datasources import redis
from datasources.oauth_state import RedisPendingSignIns
from domain.users.oauth_ports import PendingSignIn
from migratio.settings import Settings

PENDING = PendingSignIn(
    provider="apple",
    redirect_uri="https://api.example.com/oauth/apple/callback",
    nonce="n",
    code_verifier="v",
    expires_at=datetime(2030, 1, 1, tzinfo=UTC) + timedelta(minutes=10),
    app_redirect_uri="migratio://auth/callback",
)


async def test_an_amended_attempt_keeps_its_expiry_and_its_new_name(settings: Settings) -> None:
    client = redis.connect(settings.redis_url, 2)
    store = RedisPendingSignIns(client, settings.redis_key_prefix)
    try:
        await store.put("state-a", PENDING, 600)
        await client.expire(store._key("state-a"), 100)
        await store.amend("state-a", replace(PENDING, name="Ada Lovelace"))
        assert 90 < await client.ttl(store._key("state-a")) <= 100
        assert await store.peek("state-a") == replace(PENDING, name="Ada Lovelace")
        assert await store.take("state-a") == replace(PENDING, name="Ada Lovelace")
    finally:
        await client.delete(store._key("state-a"))
        await client.aclose()


async def test_amending_a_taken_attempt_does_not_bring_it_back(settings: Settings) -> None:
    client = redis.connect(settings.redis_url, 2)
    store = RedisPendingSignIns(client, settings.redis_key_prefix)
    try:
        await store.put("state-b", PENDING, 600)
        assert await store.take("state-b") == PENDING
        await store.amend("state-b", replace(PENDING, name="Ada Lovelace"))
        assert await store.peek("state-b") is None
        assert await store.take("state-b") is None
    finally:
        await client.delete(store._key("state-b"))
        await client.aclose()
