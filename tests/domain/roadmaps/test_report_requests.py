"""Requesting a report: a job that cannot be queued fails at once, with its report, instead of hanging."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from domain.jobs.model import Job, JobStatus
from domain.jobs.service import JobTracker
from domain.roadmaps.model import Roadmap
from domain.roadmaps.reporting import Reports
from domain.roadmaps.reports import Report, ReportStatus

NOW = datetime(2026, 6, 1, tzinfo=UTC)
ROADMAP = Roadmap("r1", "u1", "p", "Program", "CA", date(2026, 6, 1), "s1", (), (), (), NOW)


class Jobs:
    def __init__(self) -> None:
        self.rows: dict[str, Job] = {}

    async def insert(self, job: Job) -> None:
        self.rows[job.id] = job

    async def for_owner(self, owner_id: str, job_id: str) -> Job | None:
        job = self.rows.get(job_id)
        return job if job and job.owner_id == owner_id else None

    async def by_id(self, job_id: str) -> Job | None:
        return self.rows.get(job_id)

    async def change(self, job_id: str, changes: dict[str, Any]) -> Job | None:
        self.rows[job_id] = replace(self.rows[job_id], **changes, revision=self.rows[job_id].revision + 1)
        return self.rows[job_id]


class Events:
    async def publish(self, job: Job) -> None:
        pass

    @asynccontextmanager
    async def subscribe(self, job_id: str) -> AsyncIterator[AsyncIterator[Job]]:
        async def nothing() -> AsyncIterator[Job]:
            await asyncio.sleep(0)
            return
            yield

        yield nothing()


class ReportRows:
    def __init__(self) -> None:
        self.rows: dict[str, Report] = {}

    async def insert(self, report: Report) -> None:
        self.rows[report.id] = report

    async def for_owner(self, owner_id: str, report_id: str) -> Report | None:
        return self.rows.get(report_id)

    async def by_id(self, report_id: str) -> Report | None:
        return self.rows.get(report_id)

    async def mark_ready(self, report_id: str, object_key: str, size: int, at: datetime) -> None:
        raise AssertionError("not here")

    async def mark_failed(self, report_id: str, reason: str, at: datetime) -> None:
        self.rows[report_id] = replace(self.rows[report_id], status=ReportStatus.FAILED, error=reason)


class Roadmaps:
    async def for_owner(self, owner_id: str, roadmap_id: str) -> Roadmap | None:
        return ROADMAP if (owner_id, roadmap_id) == ("u1", "r1") else None


class DownQueue:
    async def enqueue_report(self, job_id: str, report_id: str) -> None:
        raise ConnectionError("redis is down")


class Files:
    async def put(self, key: str, body: bytes, content_type: str) -> None: ...

    def download_url(self, key: str, expires_s: int) -> str:
        return "https://example.invalid/x"


async def test_a_report_whose_job_cannot_be_queued_is_failed_with_its_job() -> None:
    jobs, reports = Jobs(), ReportRows()
    service = Reports(
        reports,
        Roadmaps(),  # type: ignore[arg-type]
        JobTracker(jobs, Events(), lambda: NOW),
        DownQueue(),  # type: ignore[arg-type]
        Files(),
        lambda: NOW,
        3600,
    )
    with pytest.raises(ConnectionError):
        await service.request("u1", "r1")
    [job] = jobs.rows.values()
    [report] = reports.rows.values()
    assert (job.status, job.error) == (JobStatus.FAILED, "could not queue the job: ConnectionError")
    assert (report.status, report.error) == (ReportStatus.FAILED, "could not queue the job: ConnectionError")
    assert service.download_url(report) is None
