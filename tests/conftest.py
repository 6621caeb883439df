"""The real stack for every test run: started when not running, with a database, index prefix and bucket
of this run's own, so tests never touch demo data and clean up after themselves."""

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from motor.motor_asyncio import AsyncIOMotorDatabase

from datasources.mongo import client as mongo
from datasources.mongo.monitoring import CommandCounter
from datasources.storage import connect as s3_connect
from migratio.settings import Settings
from migratio.stack import ensure_stack_running
from tests.server import LiveServer, start_server


def _run_settings() -> Settings:
    run = uuid.uuid4().hex[:8]
    return Settings(
        environment="test",
        mongodb_db=f"migratio_test_{run}",
        opensearch_index_prefix=f"migratio-test-{run}",
        s3_bucket=f"migratio-test-{run}",
        log_level="WARNING",
    )


@pytest.fixture(scope="session")
def settings() -> Iterator[Settings]:
    settings = _run_settings()
    ensure_stack_running(settings)
    s3 = s3_connect(settings.s3_endpoint_url, settings.s3_region, settings.s3_access_key,
                    settings.s3_secret_key.get_secret_value(), settings.dependency_timeout_s)
    s3.create_bucket(Bucket=settings.s3_bucket)
    yield settings
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=settings.s3_bucket):
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=settings.s3_bucket, Key=item["Key"])
    s3.delete_bucket(Bucket=settings.s3_bucket)


@pytest.fixture(scope="session")
def server(settings: Settings) -> Iterator[LiveServer]:
    live = start_server(settings)
    yield live
    live.stop()


@pytest.fixture(scope="session")
async def db(settings: Settings) -> AsyncIterator[AsyncIOMotorDatabase]:
    client = mongo.connect(settings.mongodb_url, settings.dependency_timeout_s, CommandCounter())
    yield client[settings.mongodb_db]
    await client.drop_database(settings.mongodb_db)
    client.close()
