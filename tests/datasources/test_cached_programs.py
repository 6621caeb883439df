"""Whole-catalog reads for ranking come from the Redis catalog cache until a catalog write invalidates it
(FerretDB reads every document for them: ~135 ms a request on the local stack, see bench/api.py)."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from datasources.cache import RedisCatalogCache
from datasources.mongo.repos.programs import ProgramRepository
from domain.programs.catalog import CATALOG
from domain.programs.model import Program
from domain.programs.ports import ProgramRecord
from domain.programs.service import CachedPrograms
from migratio.settings import Settings
from migratio.wiring.services import Services

AT = datetime(2026, 11, 26, tzinfo=UTC)
Scratch = tuple[AsyncDatabase, RedisCatalogCache]


@pytest.fixture
async def scratch(services: Services, settings: Settings) -> AsyncIterator[Scratch]:
    """A database of its own (the run's catalog stays untouched) and a cache namespaced to it."""
    db = services.mongo[f"{settings.mongodb_db}_{uuid.uuid4().hex[:6]}"]
    yield db, RedisCatalogCache(services.redis, namespace=db.name)
    await services.mongo.drop_database(db.name)
    async for key in services.redis.scan_iter(f"{db.name}:*"):
        await services.redis.delete(key)


async def test_whole_catalog_reads_are_served_from_the_cache_until_it_is_invalidated(
    scratch: Scratch,
) -> None:
    db, cache = scratch
    repository = ProgramRepository(db)
    programs = CachedPrograms(repository, cache)
    first, second, third = CATALOG[:3]
    for program in (first, second):
        await repository.insert(program, AT, "test")
    read = await programs.all()
    assert read == await repository.all()
    assert [r.program.slug for r in read] == sorted([first.slug, second.slug])

    await repository.insert(third, AT, "test")  # behind the cache's back: no invalidation
    assert await programs.all() == read
    await cache.invalidate()  # what every Catalog write does
    assert {r.program.slug for r in await programs.all()} == {first.slug, second.slug, third.slug}

    found = await programs.by_slugs([third.slug, "no-such-program", first.slug])
    assert [r.program.slug if r else None for r in found] == [third.slug, None, first.slug]


class WriteDuringRead(ProgramRepository):
    """The real repository, with a catalog write (insert, then invalidation) landing between its whole-catalog
    read and the cache set that follows it."""

    def __init__(self, db: AsyncDatabase, cache: RedisCatalogCache, program: Program) -> None:
        super().__init__(db)
        self.cache = cache
        self.pending: Program | None = program

    async def all(self) -> list[ProgramRecord]:
        records = await super().all()
        if self.pending is not None:
            await self.insert(self.pending, AT, "test")
            await self.cache.invalidate()
            self.pending = None
        return records


async def test_a_read_overtaken_by_a_write_is_not_served_after_it(
    scratch: Scratch,
) -> None:
    db, cache = scratch
    first, second = CATALOG[:2]
    programs = CachedPrograms(WriteDuringRead(db, cache, second), cache)
    await ProgramRepository(db).insert(first, AT, "test")
    assert [r.program.slug for r in await programs.all()] == [first.slug]  # read before the write
    assert {r.program.slug for r in await programs.all()} == {first.slug, second.slug}
