"""The composition root's container: one instance of each adapter per process, opened and closed once."""

from dataclasses import dataclass, field
from typing import Any

from motor.motor_asyncio import AsyncIOMotorClient, AsyncIOMotorDatabase
from opensearchpy import AsyncOpenSearch
from redis.asyncio import Redis

from datasources import mail, probes, redis, search, storage
from datasources.mongo import client as mongo
from datasources.mongo.monitoring import CommandCounter
from domain.health import DependencyProbe
from migratio.settings import Settings


@dataclass
class Services:
    settings: Settings
    mongo: AsyncIOMotorClient
    db: AsyncIOMotorDatabase
    redis: Redis
    search: AsyncOpenSearch
    store: storage.ObjectStore
    mailer: mail.Mailer
    commands: CommandCounter
    probes: list[DependencyProbe] = field(default_factory=list)

    async def close(self) -> None:
        self.mongo.close()
        await self.redis.aclose()
        await self.search.close()


def open_services(settings: Settings) -> Services:
    timeout = settings.dependency_timeout_s
    commands = CommandCounter()
    mongo_client = mongo.connect(settings.mongodb_url, timeout, commands)
    s3: Any = storage.connect(
        settings.s3_endpoint_url,
        settings.s3_region,
        settings.s3_access_key,
        settings.s3_secret_key.get_secret_value(),
        timeout,
    )
    services = Services(
        settings=settings,
        mongo=mongo_client,
        db=mongo.database(mongo_client, settings.mongodb_db),
        redis=redis.connect(settings.redis_url, timeout),
        search=search.connect(settings.opensearch_url, timeout),
        store=storage.ObjectStore(s3, settings.s3_bucket),
        mailer=mail.Mailer(settings.smtp_url, settings.mail_from, timeout),
        commands=commands,
    )
    services.probes = [
        probes.MongoProbe(services.mongo),
        probes.RedisProbe(services.redis),
        probes.OpenSearchProbe(services.search),
        probes.S3Probe(services.store),
        probes.SmtpProbe(services.mailer),
    ]
    return services
