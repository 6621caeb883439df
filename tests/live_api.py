"""`python -m tests.live_api`: the real API for the Node client tests (clients/), on a free loopback port.

Like a pytest run it gets a database, index prefix, bucket and Redis prefix of its own, with the catalog
seeded; it prints one JSON line (url, stackDir), serves until its standard input closes or it is sent
SIGTERM, then removes everything it made.
"""

import asyncio
import json
import signal
import sys
from types import FrameType

from datasources.search import ProgramSearchIndex
from domain.programs.catalog import CATALOG, COUNTRIES
from migratio.migrations import apply_migrations
from migratio.services import open_services
from migratio.settings import Settings
from migratio.stack import ensure_stack_running
from tests.isolation import run_bucket, run_settings
from tests.server import start_server

ACCESS_TOKEN_TTL_S = 10
"""Short, so the client tests meet expired tokens and refresh them as the apps must."""


async def seed(settings: Settings) -> None:
    services = open_services(settings)
    try:
        await apply_migrations(services.db, services.settings)
        await services.catalog.seed(CATALOG, COUNTRIES, actor="test")
    finally:
        await services.close()


async def clean(settings: Settings) -> None:
    services = open_services(settings)
    try:
        await services.mongo.drop_database(settings.mongodb_db)
        await ProgramSearchIndex(services.search, settings.opensearch_index_prefix).drop()
        for pattern in (f"{settings.mongodb_db}:*", f"{settings.redis_key_prefix}:*"):
            async for key in services.redis.scan_iter(pattern):
                await services.redis.delete(key)
    finally:
        await services.close()


def _stop(_signal: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def main() -> int:
    settings = run_settings("clients", access_token_ttl_s=ACCESS_TOKEN_TTL_S)
    ensure_stack_running(settings)
    signal.signal(signal.SIGTERM, _stop)
    with run_bucket(settings):
        try:
            asyncio.run(seed(settings))
            live = start_server(settings)
            try:
                print(json.dumps({"url": live.url, "stackDir": str(settings.stack_dir)}), flush=True)
                sys.stdin.read()
            finally:
                live.stop()
        finally:
            asyncio.run(clean(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
