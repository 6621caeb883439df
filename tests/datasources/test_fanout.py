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
        deadline = time.monotonic() + 5
        while (counts := await publisher.pubsub_numsub("a", "b")) != [("a", 0), ("b", 0)]:
            assert time.monotonic() < deadline, counts  # unsubscribed with the last one
            await asyncio.sleep(0.01)
    finally:
        await fanout.close()
        await publisher.aclose()


async def test_after_redis_restarts_the_channel_is_subscribed_again_and_subscribers_are_told_to_reread(
    caplog: pytest.LogCaptureFixture,
) -> None:
    port = free_port()
    process = start_redis(port)
    url = f"redis://127.0.0.1:{port}/0"
    fanout = Fanout(connect_subscriber(url, 2.0, "fanout-test"), 2.0)
    try:
        async with fanout.listen("progress") as mailbox:
            process.kill()
            process.wait()
            deadline = time.monotonic() + 10
            while not any("pub/sub connection lost" in r.getMessage() for r in caplog.records):
                assert time.monotonic() < deadline, "the reader did not notice Redis stopped"
                await asyncio.sleep(0.01)  # the reader noticed, and retries until Redis is back
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


class SilencingRelay:
    """A TCP relay to Redis that can black-hole the connections it carries (no reset, no close: silence, as
    when a server or a network path dies) while new connections still get through."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.generation = 0

    async def start(self) -> int:
        server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.server = server
        listening: int = server.sockets[0].getsockname()[1]
        return listening

    def silence_current(self) -> None:
        self.generation += 1

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        generation = self.generation
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.port)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            while data := await source.read(65536):
                if generation == self.generation:
                    sink.write(data)
                    await sink.drain()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer), return_exceptions=True)


async def test_a_link_gone_silent_is_pinged_then_replaced_and_subscribers_told_to_reread(redis_port: int) -> None:
    relay = SilencingRelay(redis_port)
    through = await relay.start()
    fanout = Fanout(connect_subscriber(f"redis://127.0.0.1:{through}/0", 1.0), 1.0, idle_ping_s=1.0)
    publisher = Redis.from_url(f"redis://127.0.0.1:{redis_port}/0", decode_responses=True)
    try:
        async with fanout.listen("quiet") as mailbox:
            relay.silence_current()
            await publisher.publish("quiet", "lost")  # never arrives: the link is silent
            started = time.monotonic()
            assert await asyncio.wait_for(anext(mailbox), 10) is GAP
            took = time.monotonic() - started
            await publisher.publish("quiet", "after")
            assert await _next(mailbox) == "after"
        assert took < 5  # idle ping after 1 s, unanswered for 1 s, then a new connection
    finally:
        await fanout.close()
        await publisher.aclose()
        relay.server.close()
