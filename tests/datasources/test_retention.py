"""The retention purge on the real stack, the clock moved instead of waited for: of each kind of record, the one
just past its period goes (a report's PDF with it), the one exactly at it and the newer ones stay, and records no
period applies to (claimed assessments, pending reports, running jobs) stay whatever their age."""

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest

from datasources.mongo.atomic import claims_for
from datasources.mongo.repos.assessments import AssessmentRepository
from datasources.mongo.repos.audit import MongoAuditLog
from datasources.mongo.repos.jobs import JobRepository
from datasources.mongo.repos.roadmaps import ReportRepository
from domain.assessment.model import Assessment, Status
from domain.jobs.model import Job, JobKind, JobStatus
from domain.roadmaps.reports import Report, ReportStatus
from domain.users.model import AuditEvent, AuditKind
from migratio.admin.retention import purge_expired_records, retention_periods
from migratio.entrypoints import worker
from migratio.entrypoints.worker import WorkerContext, WorkerRuntime, worker_options
from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import run_cli

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def ages(period: timedelta) -> dict[str, datetime]:
    """Times on both sides of the boundary: only `past` is strictly older than the period."""
    return {"past": NOW - period - SECOND, "at": NOW - period, "within": NOW - period + SECOND}


async def ids(services: Services, collection: str) -> set[str]:
    return {doc["_id"] async for doc in services.db[collection].find({}, {"_id": 1})}


@pytest.fixture(scope="module")
async def seeded(settings: Settings, services: Services) -> dict[str, dict[str, datetime]]:
    periods = retention_periods(settings)
    when = {
        "assessment": ages(periods.anonymous_assessment),
        "report": ages(periods.report),
        "job": ages(periods.job),
        "audit": ages(periods.audit),
    }
    assessments = AssessmentRepository(services.db)
    for age, at in when["assessment"].items():
        await assessments.insert(Assessment(f"anon-{age}", None, 1, {}, 0, Status.IN_PROGRESS, at, at), "hash")
    old = NOW - timedelta(days=3650)
    await assessments.insert(Assessment("claimed-old", "user-1", 1, {}, 0, Status.COMPLETED, old, old), None)
    await services.db["profile_snapshots"].insert_many(
        [{"_id": f"snap-{a}", "assessment_id": f"anon-{a}", "owner_id": None} for a in ("past", "at")]
    )

    reports = ReportRepository(services.db)
    for age, at in when["report"].items():
        key = f"users/user-1/reports/report-{age}.pdf"
        await reports.insert(Report(f"report-{age}", "user-1", "roadmap-1", f"job-{age}", ReportStatus.PENDING, at))
        await services.store.put(key, b"%PDF-1.7", "application/pdf")
        await reports.mark_ready(f"report-{age}", key, 8, at)
    await reports.insert(Report("report-failed-past", "user-1", "roadmap-1", "j", ReportStatus.PENDING, old))
    await reports.mark_failed("report-failed-past", "boom", when["report"]["past"])
    await reports.insert(Report("report-pending-old", "user-1", "roadmap-1", "j", ReportStatus.PENDING, old))

    jobs = JobRepository(services.db)
    for age, at in when["job"].items():
        await jobs.insert(Job(f"job-{age}", "user-1", JobKind.REPORT, "r", JobStatus.SUCCEEDED, 100, "", 1, 0, at, at))
    await jobs.insert(Job("job-failed-past", "user-1", JobKind.REPORT, "r", JobStatus.FAILED, 0, "", 3, 0, old, old))
    await jobs.insert(Job("job-running-old", "user-1", JobKind.REPORT, "r", JobStatus.RUNNING, 50, "", 1, 0, old, old))

    audit = MongoAuditLog(services.db)
    for age, at in when["audit"].items():
        await audit.record(AuditEvent(AuditKind.LOGIN_SUCCEEDED, at, "user-1", None, {"age": age}))
    return when


async def test_the_purge_deletes_exactly_what_is_past_its_period(
    settings: Settings, services: Services, seeded: dict[str, dict[str, datetime]]
) -> None:
    claims = claims_for(services.db["reports"])
    assert await claims.count_documents({"doc": "report-past"}) == 1  # mark_ready's

    purged = await purge_expired_records(settings, NOW)

    assert asdict(purged) == {"anonymous_assessments": 1, "reports": 2, "jobs": 2, "audit_events": 1}
    assert await ids(services, "assessments") == {"anon-at", "anon-within", "claimed-old"}
    assert await ids(services, "profile_snapshots") == {"snap-at"}
    assert await ids(services, "reports") == {"report-at", "report-within", "report-pending-old"}
    files = {item.key for item in await services.store.list_objects("users/user-1/reports/")}
    assert files == {f"users/user-1/reports/report-{age}.pdf" for age in ("at", "within")}
    assert await claims.count_documents({"doc": "report-past"}) == 0
    assert await ids(services, "jobs") == {"job-at", "job-within", "job-running-old"}
    kept = [doc["details"]["age"] async for doc in services.db["audit_events"].find({})]
    assert sorted(kept) == ["at", "within"]

    again = await purge_expired_records(settings, NOW)
    assert asdict(again) == {"anonymous_assessments": 0, "reports": 0, "jobs": 0, "audit_events": 0}


async def test_the_command_purges_what_a_later_clock_puts_past_the_period(
    settings: Settings, seeded: dict[str, dict[str, datetime]]
) -> None:
    await purge_expired_records(settings, NOW)
    output = run_cli(settings, "purge-expired-data", "--now", (NOW + SECOND).isoformat())
    assert output.splitlines() == ["anonymous_assessments: 1", "reports: 1", "jobs: 1", "audit_events: 1"]


async def test_the_worker_runs_the_purge_on_its_cron_with_the_wall_clock(
    settings: Settings, services: Services
) -> None:
    cron = {job.function.__name__: job.cron for job in worker_options(settings)["cron_jobs"]}
    assert cron["purge_expired_records"] == settings.retention_cron
    now, period = datetime.now(UTC), retention_periods(settings).audit
    audit = MongoAuditLog(services.db)
    for age, at in {
        "worker-past": now - period - timedelta(hours=1),
        "worker-within": now - period + timedelta(hours=1),
    }.items():
        await audit.record(AuditEvent(AuditKind.LOGIN_SUCCEEDED, at, "user-2", None, {"age": age}))
    runtime = WorkerRuntime(settings)
    try:
        purged = await worker.purge_expired_records(cast(WorkerContext, {"runtime": runtime}))
    finally:
        await runtime.close()
    assert purged["audit_events"] >= 1
    kept = [doc["details"]["age"] async for doc in services.db["audit_events"].find({"user_id": "user-2"})]
    assert kept == ["worker-within"]
