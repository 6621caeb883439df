"""Whole-catalog reads for ranking come from the Redis catalog cache until a catalog write invalidates it
(FerretDB reads every document for them: ~135 ms a request on the local stack, see bench/api.py)."""

import asyncio
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


async def test_a_value_read_in_a_generation_is_held_by_the_process_until_the_generation_moves(
    scratch: Scratch,
) -> None:
    _, cache = scratch
    await cache.set("page", {"n": 1}, (await cache.get("page"))[1])
    held, generation = await cache.get("page")
    assert held == {"n": 1}
    await cache.redis.delete(cache._key(generation, "page"))  # the payload gone from Redis: the process has it
    assert await cache.get("page") == (held, generation)
    await cache.invalidate()
    assert (await cache.get("page"))[0] is None


async def test_a_redis_that_lost_the_generation_never_revives_one_a_process_holds_values_for(
    scratch: Scratch,
) -> None:
    db, process_a = scratch
    process_b = RedisCatalogCache(process_a.redis, namespace=db.name)
    await process_a.set("page", {"n": 1}, (await process_a.get("page"))[1])
    assert (await process_a.get("page"))[0] == {"n": 1}
    async for key in process_a.redis.scan_iter(f"{db.name}:*"):  # Redis restarted without its data
        await process_a.redis.delete(key)
    await process_b.set("page", {"n": 2}, (await process_b.get("page"))[1])
    assert (await process_a.get("page"))[0] == {"n": 2}


class CountedReads(ProgramRepository):
    """The real repository, counting its whole-catalog reads."""

    reads = 0

    async def all(self) -> list[ProgramRecord]:
        self.reads += 1
        return await super().all()


async def test_requests_that_miss_together_share_one_database_read(scratch: Scratch) -> None:
    db, cache = scratch
    repository = CountedReads(db)
    for program in CATALOG[:3]:
        await repository.insert(program, AT, "test")
    programs = CachedPrograms(repository, cache)
    read = await asyncio.gather(*(programs.versioned() for _ in range(8)))
    assert repository.reads == 1
    assert all(r == read[0] for r in read) and len(read[0][1]) == 3
    await cache.invalidate()
    await asyncio.gather(*(programs.versioned() for _ in range(8)))
    assert repository.reads == 2  # a new generation is read again, once
