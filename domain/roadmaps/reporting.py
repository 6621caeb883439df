"""Report use cases: request one (a tracked job), read it with a short-lived link, and produce it in a worker."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from domain.analytics.model import EventName, ServerEvent
from domain.analytics.ports import NO_ANALYTICS, Analytics
from domain.errors import BadUserInput, NotFound
from domain.jobs.model import Job, JobKind
from domain.jobs.service import JobTracker, Progress
from domain.notifications.model import Kind, Message
from domain.points import PointsResult
from domain.recommendations.gaps import GapReport
from domain.roadmaps.ports import (
    Contacts,
    DocumentLedger,
    Notifier,
    RecommendationSource,
    ReportAllowance,
    ReportFiles,
    ReportQueue,
    ReportRenderer,
    ReportRepository,
    RoadmapRepository,
    SnapshotSource,
)
from domain.roadmaps.reports import Report, ReportStatus, report_data
from domain.roadmaps.service import RoadmapNotFound

TOP_RECOMMENDATIONS = 10
PDF = "application/pdf"


class ReportNotFound(NotFound):
    def __init__(self, report_id: str) -> None:
        super().__init__(f"no report {report_id!r} of yours", id=report_id)


def report_key(report: Report) -> str:
    """Under the owner's prefix, so their data export lists it and account deletion removes it."""
    return f"users/{report.owner_id}/reports/{report.id}.pdf"


@dataclass
class Reports:
    reports: ReportRepository
    roadmaps: RoadmapRepository
    jobs: JobTracker
    queue: ReportQueue
    files: ReportFiles
    clock: Callable[[], datetime]
    link_ttl_s: int
    new_id: Callable[[], str] = field(default=lambda: secrets.token_hex(12))
    allowance: ReportAllowance | None = None  # the plan's monthly report quota (billing)
    analytics: Analytics = NO_ANALYTICS

    async def request(self, owner_id: str, roadmap_id: str) -> tuple[Report, Job]:
        if await self.roadmaps.for_owner(owner_id, roadmap_id) is None:
            raise RoadmapNotFound(roadmap_id)
        if self.allowance is not None:
            await self.allowance.take_report(owner_id)
        report_id = self.new_id()
        job = await self.jobs.create(owner_id, JobKind.REPORT, report_id)
        report = Report(report_id, owner_id, roadmap_id, job.id, ReportStatus.PENDING, self.clock())
        await self.reports.insert(report)
        try:
            await self.queue.enqueue_report(job.id, report.id)
        except Exception as error:
            reason = f"could not queue the job: {type(error).__name__}"
            await self.jobs.abandon(job.id, reason)
            await self.reports.mark_failed(report.id, reason, self.clock())
            raise
        self.analytics.emit(ServerEvent(EventName.REPORT_REQUESTED, owner_id))
        return report, job

    async def get(self, owner_id: str, report_id: str) -> Report:
        found = await self.reports.for_owner(owner_id, report_id)
        if found is None:
            raise ReportNotFound(report_id)
        return found

    def download_url(self, report: Report) -> str | None:
        """A presigned link that expires after `link_ttl_s`; None until the report is ready."""
        if report.status is not ReportStatus.READY or report.object_key is None:
            return None
        return self.files.download_url(report.object_key, self.link_ttl_s)


@dataclass
class ReportProduction:
    """The worker's side: gather, render, store, mark ready; each stage reported as job progress."""

    reports: ReportRepository
    roadmaps: RoadmapRepository
    snapshots: SnapshotSource
    recommendations: RecommendationSource
    contacts: Contacts
    documents: DocumentLedger
    renderer: ReportRenderer
    files: ReportFiles
    jobs: JobTracker
    clock: Callable[[], datetime]
    notifier: Notifier | None = None  # tells the owner the report is ready, on the channels they chose
    app_url: str = ""
    analytics: Analytics = NO_ANALYTICS

    async def produce(self, job_id: str, report_id: str, *, final_attempt: bool) -> None:
        async def work(progress: Progress) -> None:
            await self._produce(report_id, progress)

        try:
            await self.jobs.run(job_id, work, final_attempt=final_attempt)
        except Exception as error:
            if final_attempt:
                await self.reports.mark_failed(report_id, f"{type(error).__name__}: {error}", self.clock())
            raise

    async def _produce(self, report_id: str, progress: Progress) -> None:
        report = await self.reports.by_id(report_id)
        if report is None:
            raise ReportNotFound(report_id)
        roadmap = await self.roadmaps.for_owner(report.owner_id, report.roadmap_id)
        if roadmap is None:
            raise RoadmapNotFound(report.roadmap_id)
        await progress(10, "gathering your profile and recommendations")
        owner = report.owner_id
        snapshot = await self.snapshots.latest_for_owner(owner)
        contact = await self.contacts.contact(owner)
        if snapshot is None or contact is None:
            raise NotFound("the report's owner or their profile is gone")
        ranked = await self.recommendations.ranked(owner, 0, TOP_RECOMMENDATIONS)
        points: PointsResult | None = None
        try:
            points = (await self.recommendations.points(owner, roadmap.program_slug)).result
        except BadUserInput:
            points = None  # the program has no points test
        gaps: GapReport = await self.recommendations.gaps(owner, roadmap.program_slug)
        data = report_data(
            person_name=contact.name,
            roadmap=roadmap,
            profile=snapshot.profile,
            ranked=ranked.items,
            points=points,
            gaps=gaps,
            verified_categories=await self.documents.verified_categories(owner),
            on=self.clock().date(),
        )
        await progress(40, "drawing the report")
        pdf = await self.renderer.render(data)
        await progress(80, "storing the report")
        key = report_key(report)
        await self.files.put(key, pdf, PDF)
        await self.reports.mark_ready(report.id, key, len(pdf), self.clock())
        self.analytics.emit(ServerEvent(EventName.REPORT_READY, owner, props={"program": roadmap.program_slug}))
        if self.notifier is not None:
            ready = Message(
                kind=Kind.REPORT_READY,
                title="Your Migratio report is ready",
                body=f"The report on your {roadmap.program_slug} roadmap is ready to download.",
                link=f"{self.app_url}/roadmaps/{roadmap.id}",
                deep_link=f"migratio://roadmaps/{roadmap.id}",
                data={"roadmapId": roadmap.id, "reportId": report.id},
            )
            await self.notifier.notify(owner, ready, key=report.id)  # once per report, however often retried
