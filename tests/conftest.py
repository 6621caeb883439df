"""The real stack for every test run: started when not running, with a database, index prefix and bucket
of this run's own, so tests never touch demo data and clean up after themselves."""

from collections.abc import AsyncIterator, Iterator

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from datasources.search import ProgramSearchIndex
from domain.programs.catalog import CATALOG, COUNTRIES
from migratio.migrations import apply_migrations
from migratio.services import Services, open_services
from migratio.settings import Settings
from migratio.stack import ensure_stack_running
from tests.isolation import run_bucket, run_settings
from tests.server import LiveServer, start_server


@pytest.fixture(scope="session")
def settings() -> Iterator[Settings]:
    settings = run_settings("test", expose_query_stats=True)
    ensure_stack_running(settings)
    with run_bucket(settings):
        yield settings


@pytest.fixture(scope="session")
def server(settings: Settings) -> Iterator[LiveServer]:
    live = start_server(settings)
    yield live
    live.stop()


@pytest.fixture(scope="session")
async def services(settings: Settings) -> AsyncIterator[Services]:
    """The app's own adapters, opened in the test loop, for arranging data and checking what changed."""
    services = open_services(settings)
    yield services
    await services.mongo.drop_database(settings.mongodb_db)
    await ProgramSearchIndex(services.search, settings.opensearch_index_prefix).drop()
    async for key in services.redis.scan_iter(f"{settings.mongodb_db}:*"):
        await services.redis.delete(key)
    await services.close()


@pytest.fixture(scope="session")
def db(services: Services) -> AsyncDatabase:
    return services.db


@pytest.fixture(scope="session")
async def seeded(services: Services) -> Services:
    """The curated catalog, loaded once per run into this run's database and index."""
    await apply_migrations(services.db, services.settings)
    await services.catalog.seed(CATALOG, COUNTRIES, actor="test")
    return services
