"""Assessment progress over Redis pub/sub: a channel per assessment, so every API process sees every change.

Publishing is best effort (the answer is already saved; a client can always re-read progress). Subscribers
use their own connection pool with no read timeout, since a subscriber waits for as long as nothing happens.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


def connect_subscriber(url: str, connect_timeout_s: float) -> Redis:
    return Redis.from_url(
        url,
        socket_connect_timeout=connect_timeout_s,
        socket_timeout=None,
        health_check_interval=30,
        decode_responses=True,
    )


class RedisProgressEvents:
    def __init__(self, publisher: Redis, subscriber: Redis, namespace: str) -> None:
        self.publisher = publisher
        self.subscriber = subscriber
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
        pubsub = self.subscriber.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(self.channel(assessment_id))
        try:
            yield _revisions(pubsub)
        finally:
            try:
                await pubsub.unsubscribe()
            finally:
                await pubsub.aclose()


async def _revisions(pubsub: PubSub) -> AsyncIterator[int]:
    async for message in pubsub.listen():
        if message.get("type") == "message":
            try:
                yield int(message["data"])
            except ValueError:
                log.warning("ignored malformed progress event %r", message["data"])
