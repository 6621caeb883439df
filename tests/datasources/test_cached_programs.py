"""Whole-catalog reads for ranking come from the Redis catalog cache until a catalog write invalidates it
(FerretDB reads every document for them: ~135 ms a request on the local stack, see bench/api.py)."""

from datetime import UTC, datetime

from datasources.cache import RedisCatalogCache
from datasources.mongo.repos.programs import ProgramRepository
from domain.programs.catalog import CATALOG
from domain.programs.service import CachedPrograms
from migratio.services import Services
from migratio.settings import Settings


async def test_whole_catalog_reads_are_served_from_the_cache_until_it_is_invalidated(
    services: Services, settings: Settings
) -> None:
    db = services.mongo[f"{settings.mongodb_db}_cached"]
    repository = ProgramRepository(db)
    cache = RedisCatalogCache(services.redis, namespace=db.name)
    programs = CachedPrograms(repository, cache)
    at = datetime(2026, 11, 26, tzinfo=UTC)
    first, second, third = CATALOG[:3]
    try:
        for program in (first, second):
            await repository.insert(program, at, "test")
        read = await programs.all()
        assert read == await repository.all()
        assert [r.program.slug for r in read] == sorted([first.slug, second.slug])

        await repository.insert(third, at, "test")  # behind the cache's back: no invalidation
        assert await programs.all() == read
        await cache.invalidate()  # what every Catalog write does
        assert {r.program.slug for r in await programs.all()} == {first.slug, second.slug, third.slug}

        found = await programs.by_slugs([third.slug, "no-such-program", first.slug])
        assert [r.program.slug if r else None for r in found] == [third.slug, None, first.slug]
    finally:
        await services.mongo.drop_database(db.name)
        async for key in services.redis.scan_iter(f"{db.name}:*"):
            await services.redis.delete(key)
