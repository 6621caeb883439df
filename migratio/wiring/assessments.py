"""Wires the assessment and recommendation areas: each port gets its concrete adapter."""

from datetime import UTC, datetime

from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from datasources.cache import RedisCatalogCache
from datasources.mongo.repos.assessments import AssessmentRepository, SnapshotRepository
from datasources.mongo.repos.programs import CountryRepository, ProgramRepository
from datasources.pubsub import Fanout, RedisProgressEvents
from datasources.snapshot_versions import VersionedSnapshots
from domain.assessment.service import Assessments, StartLimits
from domain.programs.service import CachedCountries, CachedPrograms
from domain.recommendations.service import Recommendations
from migratio.settings import Settings
from migratio.wiring.identity import rate_limiter


def _now() -> datetime:
    return datetime.now(UTC)


def snapshots(settings: Settings, db: AsyncDatabase, redis: Redis) -> VersionedSnapshots:
    """Writers and the results cache's readers must share the versions: one key space per database."""
    return VersionedSnapshots(SnapshotRepository(db), redis, settings.mongodb_db)


def build_assessments(settings: Settings, db: AsyncDatabase, redis: Redis, fanout: Fanout) -> Assessments:
    return Assessments(
        assessments=AssessmentRepository(db),
        snapshots=snapshots(settings, db, redis),
        events=RedisProgressEvents(redis, fanout, settings.redis_key_prefix),
        clock=_now,
        limiter=rate_limiter(settings, redis),
        limits=StartLimits(
            per_ip=settings.assessment_starts_per_ip,
            per_user=settings.assessment_starts_per_user,
            window_s=settings.rate_limit_window_s,
        ),
    )


def build_recommendations(settings: Settings, db: AsyncDatabase, redis: Redis) -> Recommendations:
    return Recommendations(
        snapshots=snapshots(settings, db, redis),
        programs=CachedPrograms(ProgramRepository(db), RedisCatalogCache(redis, namespace=settings.mongodb_db)),
        countries=CachedCountries(CountryRepository(db), RedisCatalogCache(redis, namespace=settings.mongodb_db)),
        clock=_now,
    )
