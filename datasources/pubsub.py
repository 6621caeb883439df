"""Live events over Redis pub/sub: ONE subscriber connection per process, fanned out to in-process mailboxes.

Every API process sees every change (a channel per assessment or job), and a thousand subscribers cost one
Redis connection, not a thousand: the process subscribes to a channel once, when its first local subscriber
arrives, and unsubscribes when the last one leaves. Each subscriber reads its own bounded mailbox; a slow one
loses its oldest undelivered events, never the latest (progress may coalesce, the final state arrives).
After a lost connection the channels are subscribed again and each mailbox receives `GAP`: events may have
been missed meanwhile, so the subscriber re-reads the current state.

Publishing is best effort (the change is saved already; a client can always re-read).
"""

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

GAP: Final = None
"""Put in every mailbox after a reconnect: events may have been lost, re-read the state."""

MAILBOX_SIZE = 16
POLL_S = 1.0  # how long the reader waits for a message before looking again (and noticing it was closed)
RECONNECT_DELAY_S = 0.5
IDLE_PING_S = 15.0  # a link silent this long is sent a PING; no answer within the subscribe timeout → reconnect


def connect_subscriber(url: str, connect_timeout_s: float, client_name: str | None = None) -> Redis:
    """No read timeout: a subscriber waits for as long as nothing happens; health checks find a dead link."""
    return Redis.from_url(
        url,
        socket_connect_timeout=connect_timeout_s,
        socket_timeout=None,
        health_check_interval=30,
        decode_responses=True,
        client_name=client_name,
    )


class Mailbox:
    """One subscriber's events, oldest first; when full, the oldest is dropped to keep the newest."""

    def __init__(self, size: int = MAILBOX_SIZE) -> None:
        self._items: deque[str | None] = deque(maxlen=size)
        self._ready = asyncio.Event()
        self.dropped = 0

    def put(self, item: str | None) -> None:
        if len(self._items) == self._items.maxlen:
            self.dropped += 1
        self._items.append(item)
        self._ready.set()

    def __aiter__(self) -> "Mailbox":
        return self

    async def __anext__(self) -> str | None:
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()


class Fanout:
    """The process's shared subscription: `listen(channel)` gives a mailbox fed from one pub/sub connection."""

    def __init__(
        self,
        redis: Redis,
        subscribe_timeout_s: float,
        mailbox_size: int = MAILBOX_SIZE,
        idle_ping_s: float = IDLE_PING_S,
    ) -> None:
        self.redis = redis
        self.subscribe_timeout_s = subscribe_timeout_s
        self.mailbox_size = mailbox_size
        self.idle_ping_s = idle_ping_s
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._lock: asyncio.Lock | None = None
        self._mailboxes: dict[str, set[Mailbox]] = {}
        self._confirmed: dict[str, asyncio.Event] = {}

    @property
    def subscribers(self) -> int:
        return sum(len(m) for m in self._mailboxes.values())

    @asynccontextmanager
    async def listen(self, channel: str) -> AsyncIterator[Mailbox]:
        """Subscribed on entry (Redis has confirmed the channel, so nothing published later is missed)."""
        mailbox = Mailbox(self.mailbox_size)
        try:
            async with asyncio.timeout(self.subscribe_timeout_s):
                confirmed = await self._add(channel, mailbox)
                await confirmed.wait()
        except TimeoutError:
            await self._remove(channel, mailbox)
            raise RedisTimeoutError(f"redis did not confirm the subscription to {channel}") from None
        except BaseException:
            await self._remove(channel, mailbox)
            raise
        try:
            yield mailbox
        finally:
            await self._remove(channel, mailbox)

    async def _add(self, channel: str, mailbox: Mailbox) -> asyncio.Event:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._pubsub is None:
                self._pubsub = self.redis.pubsub()
            local = self._mailboxes.setdefault(channel, set())
            local.add(mailbox)
            if channel not in self._confirmed:
                self._confirmed[channel] = asyncio.Event()
                await self._pubsub.subscribe(channel)
            if self._reader is None or self._reader.done():
                self._reader = asyncio.create_task(self._read(self._pubsub), name="pubsub-fanout")
            return self._confirmed[channel]

    async def _remove(self, channel: str, mailbox: Mailbox) -> None:
        if self._lock is None:
            return
        async with self._lock:
            local = self._mailboxes.get(channel)
            if local is None:
                return
            local.discard(mailbox)
            if local:
                return
            del self._mailboxes[channel]
            self._confirmed.pop(channel, None)
            if self._pubsub is not None:
                with contextlib.suppress(RedisError):
                    await self._pubsub.unsubscribe(channel)

    async def _read(self, pubsub: PubSub) -> None:
        """Delivers messages; reconnects after an error, and after a PING left unanswered (a server gone
        without closing the connection never sends an error: the link just falls silent)."""
        lost = False
        heard, pinged = time.monotonic(), None
        while True:
            try:
                message = await pubsub.get_message(timeout=POLL_S)
                now = time.monotonic()
                if message is not None:
                    heard, pinged = now, None
                elif pinged is not None and now - pinged > self.subscribe_timeout_s:
                    if pubsub.connection is not None:
                        await pubsub.connection.disconnect()
                    raise RedisTimeoutError(f"no answer to a PING within {self.subscribe_timeout_s}s")
                elif pinged is None and pubsub.subscribed and now - heard > self.idle_ping_s:
                    await pubsub.ping()
                    pinged = now
            except Exception as error:  # whatever breaks the link, the one reader every subscriber needs goes on
                if not lost:
                    log.warning("pub/sub connection lost (%s); reconnecting every %ss", error, RECONNECT_DELAY_S)
                lost = True
                heard, pinged = time.monotonic(), None
                await asyncio.sleep(RECONNECT_DELAY_S)
                continue  # the next read reconnects, and redis-py subscribes to every channel again
            if lost:
                log.warning("pub/sub connection back; %d channel(s) subscribed again", len(self._mailboxes))
                lost = False
            if message is not None:
                self._deliver(message)

    def _deliver(self, message: dict[str, str]) -> None:
        kind, channel = message.get("type"), message.get("channel")
        if channel is None:
            return
        if kind == "message":
            for mailbox in self._mailboxes.get(channel, ()):
                mailbox.put(message["data"])
        elif kind == "subscribe":
            confirmed = self._confirmed.get(channel)
            if confirmed is None:
                return
            if confirmed.is_set():  # subscribed again after a reconnect: events may have been missed
                for mailbox in self._mailboxes.get(channel, ()):
                    mailbox.put(GAP)
            confirmed.set()

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, RedisError):
                await self._reader
        if self._pubsub is not None:
            with contextlib.suppress(RedisError):
                await self._pubsub.aclose()
        await self.redis.aclose()


class RedisProgressEvents:
    """Assessment progress: the revision saved, on a channel per assessment."""

    def __init__(self, publisher: Redis, fanout: Fanout, namespace: str) -> None:
        self.publisher = publisher
        self.fanout = fanout
        self.namespace = namespace

    def channel(self, assessment_id: str) -> str:
        return f"{self.namespace}:assessment-progress:{assessment_id}"

    async def publish(self, assessment_id: str, revision: int) -> None:
        try:
            await self.publisher.publish(self.channel(assessment_id), str(revision))
        except RedisError as error:
            log.warning("progress of assessment %s not published: %s", assessment_id, error)

    @asynccontextmanager
    async def subscribe(self, assessment_id: str) -> AsyncIterator[AsyncIterator[int]]:
        async with self.fanout.listen(self.channel(assessment_id)) as mailbox:
            yield _revisions(mailbox)


REREAD = 2**62
"""Yielded after a gap: above any real revision, so the watcher reads the assessment again."""


async def _revisions(mailbox: Mailbox) -> AsyncIterator[int]:
    async for data in mailbox:
        if data is GAP:
            yield REREAD
            continue
        try:
            yield int(data)
        except ValueError:
            log.warning("ignored malformed progress event %r", data)
