"""How long the product keeps what nobody needs any more, and the purge the worker's cron and
`migratio purge-expired-data` run: each kind of record is deleted once strictly older than its period."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RetentionPeriods:
    anonymous_assessment: timedelta
    """An assessment nobody claimed, counted from its last change."""
    report: timedelta
    """A report (record and PDF), counted from when it was ready or failed."""
    job: timedelta
    """A finished job record, counted from its last change."""
    audit: timedelta
    """A security event, counted from when it happened."""


@dataclass(frozen=True, slots=True)
class Purged:
    anonymous_assessments: int
    reports: int
    jobs: int
    audit_events: int


class ExpiredRecords(Protocol):
    """Each method deletes what is older than `before` and returns how many it deleted."""

    async def purge_anonymous_assessments(self, before: datetime) -> int: ...
    async def purge_reports(self, before: datetime) -> int: ...
    async def purge_finished_jobs(self, before: datetime) -> int: ...
    async def purge_audit_events(self, before: datetime) -> int: ...


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class Retention:
    records: ExpiredRecords
    periods: RetentionPeriods
    clock: Clock

    async def purge(self) -> Purged:
        now, periods, records = self.clock.now(), self.periods, self.records
        return Purged(
            anonymous_assessments=await records.purge_anonymous_assessments(now - periods.anonymous_assessment),
            reports=await records.purge_reports(now - periods.report),
            jobs=await records.purge_finished_jobs(now - periods.job),
            audit_events=await records.purge_audit_events(now - periods.audit),
        )
