"""The retention purge of product records (domain.retention) with its own services, for the CLI and the worker."""

from datetime import datetime, timedelta

from datasources.clock import FixedClock, SystemClock
from datasources.mongo.repos.retention import MongoExpiredRecords
from domain.retention import Purged, Retention, RetentionPeriods
from migratio.settings import Settings
from migratio.wiring.services import open_services


def retention_periods(settings: Settings) -> RetentionPeriods:
    return RetentionPeriods(
        anonymous_assessment=timedelta(days=settings.retention_anonymous_assessment_days),
        report=timedelta(days=settings.retention_report_days),
        job=timedelta(days=settings.retention_job_days),
        audit=timedelta(days=settings.retention_audit_days),
    )


async def purge_expired_records(settings: Settings, now: datetime | None = None) -> Purged:
    """Delete what is past its period as of `now` (default: the wall clock)."""
    services = open_services(settings)
    try:
        clock = SystemClock() if now is None else FixedClock(now)
        retention = Retention(MongoExpiredRecords(services.db, services.store), retention_periods(settings), clock)
        return await retention.purge()
    finally:
        await services.close()
