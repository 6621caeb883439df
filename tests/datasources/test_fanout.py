"""The process's shared pub/sub connection against a real Redis of the test's own, restarted mid-subscription."""

import asyncio
import time
from collections.abc import Iterator

import pytest
from redis.asyncio import Redis

from datasources.pubsub import GAP, Fanout, Mailbox, connect_subscriber
from tests.builders.redis_server import start_redis
from tests.server import free_port


@pytest.fixture
def redis_port() -> Iterator[int]:
    port = free_port()
    process = start_redis(port)
    yield port
    process.kill()
    process.wait()


async def _next(mailbox: Mailbox) -> str | None:
    return await asyncio.wait_for(anext(mailbox), 10)


def test_a_full_mailbox_drops_the_oldest_events_and_keeps_the_newest() -> None:
    mailbox = Mailbox(size=3)
    for n in range(10):
        mailbox.put(str(n))
    assert (list(mailbox._items), mailbox.dropped) == (["7", "8", "9"], 7)


async def test_subscribers_of_many_channels_share_one_connection_and_each_gets_its_own_events(redis_port: int) -> None:
    url = f"redis://127.0.0.1:{redis_port}/0"
    fanout = Fanout(connect_subscriber(url, 2.0, "fanout-test"), 2.0)
    publisher = Redis.from_url(url, decode_responses=True)
    try:
        async with fanout.listen("a") as a1, fanout.listen("a") as a2, fanout.listen("b") as b:
            assert await publisher.pubsub_numsub("a", "b") == [("a", 1), ("b", 1)]
            await publisher.publish("a", "1")
            await publisher.publish("b", "2")
            assert (await _next(a1), await _next(a2), await _next(b)) == ("1", "1", "2")
            names = [c["name"] for c in await publisher.client_list()]
            assert names.count("fanout-test") == 1
        assert fanout.subscribers == 0
        await asyncio.sleep(0.2)
        assert await publisher.pubsub_numsub("a", "b") == [("a", 0), ("b", 0)]  # unsubscribed with the last one
    finally:
        await fanout.close()
        await publisher.aclose()


async def test_after_redis_restarts_the_channel_is_subscribed_again_and_subscribers_are_told_to_reread() -> None:
    port = free_port()
    process = start_redis(port)
    url = f"redis://127.0.0.1:{port}/0"
    fanout = Fanout(connect_subscriber(url, 2.0, "fanout-test"), 2.0)
    try:
        async with fanout.listen("progress") as mailbox:
            process.kill()
            process.wait()
            await asyncio.sleep(1.5)  # the reader notices and retries meanwhile
            process = start_redis(port)
            assert await _next(mailbox) is GAP
            publisher = Redis.from_url(url, decode_responses=True)
            await publisher.publish("progress", "7")
            await publisher.aclose()
            assert await _next(mailbox) == "7"
    finally:
        await fanout.close()
        process.kill()
        process.wait()


async def test_subscribing_while_redis_is_down_fails_within_the_timeout() -> None:
    fanout = Fanout(connect_subscriber(f"redis://127.0.0.1:{free_port()}/0", 1.0), 1.0)
    started = time.monotonic()
    with pytest.raises(Exception) as raised:
        async with fanout.listen("nowhere"):
            pass
    assert type(raised.value).__module__.startswith("redis")
    assert time.monotonic() - started < 1.5
    assert fanout.subscribers == 0
    await fanout.close()
