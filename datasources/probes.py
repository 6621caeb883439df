"""One health probe per backing service, each a cheap round-trip."""

from dataclasses import dataclass
from typing import Any

from opensearchpy import AsyncOpenSearch
from pymongo import AsyncMongoClient
from redis.asyncio import Redis

from datasources.mail import Mailer
from datasources.storage import ObjectStore


@dataclass
class MongoProbe:
    client: AsyncMongoClient
    name: str = "mongodb"

    async def ping(self) -> None:
        await self.client.admin.command("ping")


@dataclass
class RedisProbe:
    redis: Redis
    name: str = "redis"

    async def ping(self) -> None:
        await self.redis.ping()


@dataclass
class OpenSearchProbe:
    client: AsyncOpenSearch
    name: str = "opensearch"

    async def ping(self) -> None:
        info: Any = await self.client.info()
        if "version" not in info:
            raise ConnectionError("unexpected OpenSearch answer")


@dataclass
class S3Probe:
    store: ObjectStore
    name: str = "s3"

    async def ping(self) -> None:
        await self.store.head_bucket()


@dataclass
class SmtpProbe:
    mailer: Mailer
    name: str = "smtp"

    async def ping(self) -> None:
        await self.mailer.noop()
