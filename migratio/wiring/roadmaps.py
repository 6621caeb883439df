"""Wires the roadmap, document, report and job areas for the settings' database, bucket and key prefix: the API
and the worker each build them once, over their own connections."""

from dataclasses import dataclass
from datetime import UTC, datetime

from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis
from saq import Queue

from datasources.jobs import RedisJobEvents, SaqJobDelivery, SaqJobQueue
from datasources.mail import Mailer
from datasources.mongo.repos.assessments import SnapshotRepository
from datasources.mongo.repos.documents import CatalogDocumentKeys, DocumentRepository
from datasources.mongo.repos.job_leases import JobLeaseRepository
from datasources.mongo.repos.jobs import JobRepository
from datasources.mongo.repos.programs import CountryRepository, ProgramRepository
from datasources.mongo.repos.roadmaps import ReportRepository, RoadmapRepository, TaskReminders
from datasources.mongo.repos.users import MongoUserRepository
from datasources.pdf import PdfReportRenderer
from datasources.people import UserDirectory
from datasources.pubsub import Fanout
from datasources.storage import DocumentFileStore, ObjectStore
from domain.documents.model import DocumentPolicy
from domain.documents.service import Documents
from domain.jobs.model import Job
from domain.jobs.recovery import JobRecovery
from domain.jobs.service import JobTracker
from domain.roadmaps.reminders import Reminders
from domain.roadmaps.reporting import ReportProduction, Reports
from domain.roadmaps.service import Roadmaps
from migratio.settings import Settings
from migratio.wiring.assessments import build_recommendations
from migratio.wiring.identity import field_cipher
from migratio.wiring.notifications import build_notifications


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class RoadmapArea:
    roadmaps: Roadmaps
    documents: Documents
    reports: Reports
    jobs: JobTracker
    production: ReportProduction
    reminders: Reminders
    recovery: JobRecovery


def build_roadmap_area(
    settings: Settings,
    db: AsyncDatabase,
    store: ObjectStore,
    redis: Redis,
    fanout: Fanout | None,
    mailer: Mailer,
    queue: Queue,
) -> RoadmapArea:
    files = DocumentFileStore(store)
    people = UserDirectory(MongoUserRepository(db, field_cipher(settings)))
    documents = DocumentRepository(db)
    roadmaps = RoadmapRepository(db)
    reports = ReportRepository(db)
    snapshots = SnapshotRepository(db)
    job_records = JobRepository(db)
    events = RedisJobEvents(redis, fanout, settings.redis_key_prefix, job_records.by_id)
    jobs = JobTracker(job_records, events, _now)
    queue_side = SaqJobQueue(queue, settings.job_attempts, settings.job_timeout_s)

    notifications = build_notifications(settings, db, redis, mailer, queue).notifications

    async def report_failed(job: Job, reason: str) -> None:
        await reports.mark_failed(job.subject_id, reason, _now())

    return RoadmapArea(
        roadmaps=Roadmaps(roadmaps, snapshots, ProgramRepository(db), CountryRepository(db), documents, _now),
        documents=Documents(
            documents=documents,
            files=files,
            advising=people,
            categories=CatalogDocumentKeys(ProgramRepository(db)),
            policy=DocumentPolicy(
                max_bytes=settings.document_max_bytes,
                content_types=tuple(settings.document_content_types),
                upload_ttl_s=settings.upload_url_ttl_s,
                max_share_minutes=settings.share_link_max_minutes,
            ),
            clock=_now,
            notifier=notifications,
        ),
        reports=Reports(
            reports=reports,
            roadmaps=roadmaps,
            jobs=jobs,
            queue=queue_side,
            files=files,
            clock=_now,
            link_ttl_s=settings.download_url_ttl_s,
        ),
        jobs=jobs,
        production=ReportProduction(
            reports=reports,
            roadmaps=roadmaps,
            snapshots=snapshots,
            recommendations=build_recommendations(settings, db, redis),
            contacts=people,
            documents=documents,
            renderer=PdfReportRenderer(),
            files=files,
            jobs=jobs,
            clock=_now,
            notifier=notifications,
            app_url=settings.app_url.rstrip("/"),
        ),
        reminders=Reminders(
            tasks=TaskReminders(db),
            contacts=people,
            mailer=mailer,
            clock=_now,
            app_url=settings.app_url.rstrip("/"),
            days_ahead=settings.reminder_days_ahead,
            notifier=notifications,
        ),
        recovery=JobRecovery(
            leases=JobLeaseRepository(db),
            delivery=SaqJobDelivery(queue_side),
            events=events,
            clock=_now,
            attempts=settings.job_attempts,
            lease_s=settings.job_lease_s,
            on_failed=report_failed,
        ),
    )
